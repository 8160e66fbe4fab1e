"""Evaluation against public annotated corpora (story clustering: ECB+, BASIL)."""
