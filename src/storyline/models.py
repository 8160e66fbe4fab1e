"""Records that cross stage boundaries.

Every record is a frozen, slotted dataclass. Anything extracted from an article
carries ``start``/``end`` character offsets into the *cleaned* article text, so
``text[start:end]`` is exactly the extracted string.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class Article:
    """One article as read from a source, before cleaning.

    ``raw`` is the body text as found (HTML already reduced to text); ``published``
    comes only from metadata or a date line in the source, never from a guess.
    ``published_source`` says which: "metadata" (a record field, HTML meta tags or URL,
    a feed entry; the default for a date given without a source) or "text" (a date line
    of the article itself); ``None`` when there is no date.
    """

    id: str
    raw: str
    source: str
    outlet: str = "unknown"
    title: str | None = None
    url: str | None = None
    published: date | None = None
    author: str | None = None
    published_source: str | None = None
    outlet_inferred: bool = False  # the outlet comes from the text's own self-reference

    def __post_init__(self) -> None:
        if self.published is not None and self.published_source is None:
            object.__setattr__(self, "published_source", "metadata")
        elif self.published is None and self.published_source is not None:
            object.__setattr__(self, "published_source", None)


@dataclass(frozen=True, slots=True)
class RemovedSpan:
    """A stretch of the raw text that cleaning removed, and why."""

    start: int
    end: int
    reason: str
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of the cleaned text, by offsets."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class CleanArticle:
    """An article with boilerplate removed; all later offsets point into ``text``."""

    article: Article
    text: str
    paragraphs: tuple[Paragraph, ...]
    removed: tuple[RemovedSpan, ...] = ()


@dataclass(frozen=True, slots=True)
class Mention:
    """One mention of an entity in the cleaned text."""

    start: int
    end: int
    text: str
    kind: str  # "name" | "surname" | "honorific" | "pronoun" | "description"


@dataclass(frozen=True, slots=True)
class Title:
    """A title or role an article gives an entity (``text[start:end] == title``)."""

    title: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Entity:
    """An entity inside one article: its canonical name, aliases and titles."""

    id: str
    name: str
    type: str  # PERSON | ORG | GPE | NORP | ...
    aliases: tuple[str, ...]
    mentions: tuple[Mention, ...]
    titles: tuple[Title, ...] = ()
    gender: str | None = None  # "f" | "m" | None, from pronouns and honorifics


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A time expression and its value normalised against the article date.

    ``value`` is an ISO date (``2024-10-22``), month (``2024-09``), year, week
    (``2024-W43``) or ``None`` when the article has no date to anchor a relative
    expression.
    """

    start: int
    end: int
    text: str
    type: str  # DATE | TIME | DURATION | SET
    value: str | None


#: How a quote's speaker was found, surest first (``Quote.speaker_via``).
SPEAKER_VIAS = ("name", "title", "description", "pronoun", "continuation", "unresolved")


@dataclass(frozen=True, slots=True)
class Quote:
    """A statement attributed to a speaker.

    ``speaker_via`` says how the speaker entity was found: ``name`` (the speaker phrase names
    it), ``title`` (a role the article gives that entity: "the mayor said"), ``description``
    (a role phrase bound by recency or an earlier indefinite mention), ``pronoun``,
    ``continuation`` (a quote with no cue of its own, given to the previous speaker) or
    ``unresolved`` (no entity). ``speaker_confidence`` in [0, 1] is how likely that entity is
    right; a finding about who said it should not rest on a low one.
    """

    id: str
    start: int
    end: int
    text: str
    kind: str  # direct | indirect | mixed
    cue: str
    cue_start: int | None
    cue_end: int | None
    speaker_text: str
    speaker_start: int | None
    speaker_end: int | None
    speaker_entity_id: str | None
    said_on: str | None = None
    said_on_text: str | None = None
    speaker_confidence: float = 0.0
    speaker_via: str = "unresolved"


@dataclass(frozen=True, slots=True)
class Claim:
    """A checkable fact: a figure, a dated event or a role (formats in :mod:`storyline.extract.claims`).

    ``noun`` is the lemma of what a figure counts or measures ("people", "point", "week");
    ``verb`` the lemma of the predicate it belongs to ("kill", "arrest", "divert"), so that
    reconciliation compares people *killed* with people killed, not with people *injured*.
    """

    id: str
    kind: str  # count | money | percent | measure | duration | time | score | date | role | residence
    start: int
    end: int
    text: str
    value: str
    subject: str | None = None  # what the value is about, e.g. "officials"
    entity_id: str | None = None
    noun: str | None = None
    verb: str | None = None


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything storyline extracts from one cleaned article."""

    article: CleanArticle
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    timexes: tuple[TimeExpression, ...] = ()
    claims: tuple[Claim, ...] = ()
    sentences: tuple[tuple[int, int], ...] = field(default=())
    #: content lemmas of each sentence, parallel to ``sentences`` (empty for analyses stored
    #: before storyline kept them; reconciliation then falls back to the words of the text)
    sentence_terms: tuple[tuple[str, ...], ...] = field(default=())


@dataclass(frozen=True, slots=True)
class InputFailure:
    """An input that could not be read, with a one-line reason."""

    source: str
    reason: str
    internal: bool = False  # True: a bug in storyline, not a fault of the input (exit status 3)

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"
