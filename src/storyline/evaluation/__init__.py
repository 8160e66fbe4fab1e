"""Evaluation against public annotated corpora: one module per task (clusters, timex, ...)."""
