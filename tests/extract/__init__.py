"""Tests of storyline.extract (a package, so test files may share names with others)."""
