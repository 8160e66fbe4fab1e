"""Exceptions raised by storyline, and the helpers that keep their messages short and safe.

    StorylineError
    ├── InputError       an article source cannot be read (names the input and the reason)
    ├── ConfigError      a bad option value or config file
    ├── ModelError       the spaCy pipeline cannot be loaded
    └── AnalysisError    an extractor failed on one article (a bug: please report it)

The CLI turns each into a one-line message and an exit code (see ``storyline.cli``):
0 all good, 1 some inputs failed, 2 a usage or configuration error, 3 an internal error.

Messages quote inputs only through ``excerpt`` (at most ``MAX_EXCERPT`` characters,
escaped) and are cut to ``MAX_MESSAGE`` characters by ``one_line``, so a hostile input can
neither flood a terminal or log nor break a line or an encoding.
"""

from __future__ import annotations

import re

#: The most characters of an input a message quotes.
MAX_EXCERPT = 80
#: The longest message line storyline writes for one failed input (``source: reason``).
MAX_MESSAGE = 280

# Control and format characters, lone surrogates and line or paragraph separators: never
# written raw into a one-line message.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _escape(text: str) -> str:
    return _UNSAFE.sub(lambda m: repr(m[0])[1:-1], text)


def excerpt(value: object, limit: int = MAX_EXCERPT) -> str:
    """``value`` quoted for a message: at most ``limit`` of its characters, escaped, "…" when cut."""
    if isinstance(value, int) and not isinstance(value, bool):
        digits = _int_digits(value)
        return str(value) if digits <= limit else f"<a {digits}-digit number>"
    text = value if isinstance(value, str) else _safe_str(value)
    cut = text[:limit]
    return f"'{_escape(cut)}'" + ("…" if len(text) > limit else "")


def one_line(message: str, limit: int = MAX_MESSAGE) -> str:
    """``message`` on one line, escaped, and cut to ``limit`` characters ("…" marks the cut)."""
    text = _escape(message)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def describe(exc: BaseException) -> str:
    """An unexpected exception in a few words: its type and the start of its message, escaped."""
    detail = _safe_str(exc)
    return f"{type(exc).__name__}: {excerpt(detail)}" if detail else type(exc).__name__


def _safe_str(value: object) -> str:
    try:
        return str(value)
    except Exception:  # noqa: BLE001 - a value whose str() fails (a 5000-digit int) still gets named
        return f"<{type(value).__name__}>"


def _int_digits(value: int) -> int:
    return len(str(value)) if value.bit_length() < 10_000 else int(value.bit_length() * 0.30103) + 1


class StorylineError(Exception):
    """Base class for every error storyline raises on purpose."""


class InputError(StorylineError):
    """An input (file, record, line) cannot be read as an article.

    ``source`` and ``reason`` are kept on one line and short (see ``one_line``); reasons
    quote the input only through ``excerpt``.
    """

    def __init__(self, source: str, reason: str) -> None:
        source = one_line(source, MAX_MESSAGE // 2)
        reason = one_line(reason, MAX_MESSAGE - len(source) - 2)
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ConfigError(StorylineError):
    """An option or config file holds a value storyline cannot use."""


class ModelError(StorylineError):
    """The requested spaCy pipeline is not installed or cannot be loaded."""


class AnalysisError(StorylineError):
    """An extractor failed on an article; batch runs report it as that article's failure."""
