"""Annotated corpora in the layouts storyline trains on and is measured on."""
