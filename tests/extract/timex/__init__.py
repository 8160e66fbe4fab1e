"""Tests of storyline.extract.timex (a package, so test files may share names with others)."""
