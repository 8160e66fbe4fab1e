"""The version of storyline, in a module of its own so any module can read it without the package."""

__version__ = "0.1.0"
