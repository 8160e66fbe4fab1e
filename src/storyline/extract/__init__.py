"""Extractors: generator functions over a parsed spaCy Doc."""
