"""The ``storyline.report/1`` records: what the CLI's JSON, the API and the store speak."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from typing import Any

SCHEMA = "storyline.report/1"


@dataclass(frozen=True, slots=True)
class ReportArticle:
    """An article as reported; ``published_source`` says where ``published`` comes from:
    "metadata", "text" (a date line of the article), "inferred" (from the story) or ``None``."""

    id: str
    outlet: str
    title: str | None
    url: str | None
    published: str | None
    published_inferred: bool
    source_group: str
    text: str | None
    published_source: str | None = None
    outlet_inferred: bool = False


@dataclass(frozen=True, slots=True)
class TitleVariant:
    title: str
    article_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReportEntity:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    article_ids: tuple[str, ...]
    titles: tuple[TitleVariant, ...]


@dataclass(frozen=True, slots=True)
class ReportQuote:
    """A quote in a story; ``speaker_via`` and ``speaker_confidence`` as on :class:`~storyline.models.Quote`."""

    id: str
    article_id: str
    speaker_entity_id: str | None
    speaker_text: str
    cue: str
    text: str
    kind: str
    start: int
    end: int
    said_on: str | None
    speaker_confidence: float = 0.0
    speaker_via: str = "unresolved"


@dataclass(frozen=True, slots=True)
class ReportClaim:
    id: str
    article_id: str
    kind: str
    text: str
    value: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    date: str
    description: str
    article_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Evidence:
    article_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class FindingValue:
    """What one article says about the finding's subject (a figure, a date, a speaker, a title)."""

    article_id: str
    value: str


@dataclass(frozen=True, slots=True)
class Finding:
    """A cross-outlet finding.

    ``subkind`` says what is compared: figure | date | speaker | wording | role | place |
    statement; ``confidence`` in [0, 1] is how sure reconciliation is that the finding holds
    (for a conflict: the share of conflicts of its sub-kind and severity that were real on the
    development set); ``signals`` name the evidence behind it; ``values`` give what each side
    states; ``severity`` says whether a reader of one outlet would take away a different fact.
    """

    id: str
    kind: str  # corroborated | conflict | single_source
    about: str
    detail: str
    evidence: tuple[Evidence, ...]
    subkind: str | None = None
    confidence: float = 1.0
    signals: tuple[str, ...] = ()
    values: tuple[FindingValue, ...] = ()
    severity: str | None = None  # a conflict's: "major" (a reader would take away another fact) | "minor"


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    title: str
    articles: tuple[ReportArticle, ...]
    entities: tuple[ReportEntity, ...]
    quotes: tuple[ReportQuote, ...]
    claims: tuple[ReportClaim, ...]
    events: tuple[Event, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class Report:
    stories: tuple[Story, ...]
    failures: tuple[str, ...] = ()

    def to_dict(self, *, include_text: bool = True) -> dict[str, Any]:
        """The report as JSON-ready data in the ``storyline.report/1`` shape."""
        stories = []
        for story in self.stories:
            d = plain(story)
            if not include_text:
                for a in d["articles"]:
                    a.pop("text", None)
            stories.append(d)
        return {"schema": SCHEMA, "stories": stories}


_LEAVES = (str, int, float, bool, type(None))


_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    if cls not in _FIELDS:
        _FIELDS[cls] = tuple(f.name for f in fields(cls)) if is_dataclass(cls) else None
    return _FIELDS[cls]


def plain(obj: Any) -> Any:
    """A record as JSON-ready data: dataclasses become dicts, tuples lists, leaves stay as they are
    (the report's leaves are str, int, float, bool and None). ``dataclasses.asdict`` gives the same
    data but deep-copies every leaf: 8,000 one-article stories took 1.6 CPU s instead of 0.9."""
    if isinstance(obj, _LEAVES):
        return obj
    if isinstance(obj, tuple | list):
        return [plain(x) for x in obj]
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items()}
    names = _field_names(type(obj))
    if names is None:
        raise TypeError(f"not a report record: {type(obj).__name__}")
    return {name: plain(getattr(obj, name)) for name in names}


def outlet_count(articles: Sequence[ReportArticle | Mapping[str, Any]]) -> int:
    """Distinct outlets of a story's articles; articles whose outlet is unknown count once per
    source group (two unknown outlets are not taken to be one)."""
    seen: set[tuple[str, str]] = set()
    for a in articles:
        get = a.get if isinstance(a, Mapping) else lambda k, _a=a: getattr(_a, k, None)
        outlet = str(get("outlet") or "unknown")
        if outlet == "unknown":
            seen.add(("group", str(get("source_group") or get("id"))))
        else:
            seen.add(("outlet", outlet))
    return len(seen)
