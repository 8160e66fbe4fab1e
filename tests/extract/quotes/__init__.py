"""Tests of storyline.extract.quotes (a package, so test files may share names with others)."""
