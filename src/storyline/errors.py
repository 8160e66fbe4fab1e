"""Exceptions raised by storyline.

    StorylineError
    ├── InputError       an article source cannot be read (names the input and the reason)
    ├── ConfigError      a bad option value or config file
    ├── ModelError       the spaCy pipeline cannot be loaded
    └── AnalysisError    an extractor failed on one article (a bug: please report it)

The CLI turns each into a one-line message and a non-zero exit code.
"""

from __future__ import annotations


class StorylineError(Exception):
    """Base class for every error storyline raises on purpose."""


class InputError(StorylineError):
    """An input (file, record, line) cannot be read as an article."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ConfigError(StorylineError):
    """An option or config file holds a value storyline cannot use."""


class ModelError(StorylineError):
    """The requested spaCy pipeline is not installed or cannot be loaded."""


class AnalysisError(StorylineError):
    """An extractor failed on an article; batch runs report it as that article's failure."""
