"""Plain records the knowledge views are computed from.

The service layer reads rows from the store and turns them into these records; everything in
``mercato.knowledge`` (dossiers, ladder, credibility, timeline) is then a pure function of them,
so it can be tested without a database and reused by the CLI, the HTTP API and the web UI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

# Move claims: a club wants, negotiates for, agrees or completes a move for the player.
MOVE_TYPES = frozenset({"interest", "negotiation", "agreement", "transfer", "loan"})
CAREER_DETAIL = "career history"


@dataclass(slots=True, frozen=True)
class ArticleRef:
    """Where a claim was read: enough to cite it and to link to the evidence."""

    id: int  # store row id
    external_id: str
    url: str | None
    title: str | None
    outlet: str | None
    author: str | None
    language: str | None
    published: str | None
    duplicate_of: int | None = None  # set by the store for a near-duplicate (syndicated) copy

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "external_id": self.external_id,
            "url": self.url,
            "title": self.title,
            "outlet": self.outlet,
            "author": self.author,
            "language": self.language,
            "published": self.published,
            "duplicate_of": self.duplicate_of,
        }


@dataclass(slots=True)
class ClaimRecord:
    id: int
    type: str
    status: str
    article: ArticleRef
    player: str
    player_key: str | None = None
    club: str | None = None
    club_key: str | None = None
    from_club: str | None = None
    from_club_key: str | None = None
    source: str | None = None
    source_key: str | None = None
    source_type: str | None = None  # entity type of the source: journalist, coach, outlet...
    source_platform: str | None = None
    date: str | None = None
    fee: str | None = None
    detail: str | None = None
    counterpart: str | None = None
    evidence: str = ""
    evidence_start: int | None = None
    evidence_end: int | None = None
    confidence: float = 0.5
    alternatives: list[dict[str, Any]] = field(default_factory=list)

    @property
    def published(self) -> str | None:
        return self.article.published

    @property
    def is_career(self) -> bool:
        return (self.detail or "").startswith(CAREER_DETAIL)

    @property
    def is_move(self) -> bool:
        return self.type in MOVE_TYPES and not self.is_career

    def ref(self) -> dict[str, Any]:
        """The citation of this claim: article, offsets, url."""
        return {
            "claim_id": self.id,
            "article_id": self.article.id,
            "external_id": self.article.external_id,
            "url": self.article.url,
            "start": self.evidence_start,
            "end": self.evidence_end,
            "evidence": self.evidence,
        }


@dataclass(slots=True)
class FactRecord:
    id: int
    kind: str
    value: Any
    club: str | None = None
    club_key: str | None = None
    competition: str | None = None
    date: str | None = None
    article: ArticleRef | None = None  # None for facts imported from a data set
    evidence_start: int | None = None
    evidence_end: int | None = None
    origin: str = "analysis"


@dataclass(slots=True)
class EntityRecord:
    id: int
    key: str
    name: str
    type: str
    kb_id: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)


# -- dates ----------------------------------------------------------------------------------------
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


@lru_cache(maxsize=65536)  # the same few thousand date strings are compared over and over
def date_key(value: str | None) -> tuple[int, int, int]:
    """A sortable key of an ISO date, month or year; missing parts sort first, unknown dates last."""
    if not value:
        return (9999, 99, 99)
    m = _DATE.match(value)
    if not m:
        return (9999, 99, 99)
    return (int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0))


def to_date(value: str | None, end: bool = False) -> date | None:
    """The calendar day of a partial ISO date: its first day (or last, with ``end``)."""
    if not value:
        return None
    y, m, d = date_key(value)
    if y == 9999:
        return None
    if not m:
        m, d = (12, 31) if end else (1, 1)
    elif not d:
        d = 28 if end else 1  # close enough for ordering and decay; avoids month-length tables
    try:
        return date(y, m, d)
    except ValueError:
        return None


def on_or_before(value: str | None, limit: str | None) -> bool:
    """Whether a (partial) date is known by the day ``limit``: "2020-12" counts as its first day."""
    if limit is None:
        return True
    if not value:
        return True  # undated: keep; nothing says it came later
    return date_key(value) <= date_key(limit) or (value[: len(limit)] == limit)


# -- alternatives -----------------------------------------------------------------------------
_ALSO = re.compile(r"also stated by (a quote|the text): (\w+) (\S+) \((\w+)\)")


def alternatives_from_detail(detail: str | None, claim_type: str) -> list[dict[str, Any]]:
    """Alternatives of a claim when the store kept only the analysis' ``detail`` summary
    ("also stated by a quote: contract_expiry 2024-06 (reported)"): the claim rows have no column
    for ``Claim.alternatives`` yet, and the conflicting statement must not be lost."""
    out: list[dict[str, Any]] = []
    for where, ctype, when, status in _ALSO.findall(detail or ""):
        if ctype != claim_type:
            continue
        out.append(
            {
                "date": None if when == "undated" else when,
                "status": status,
                "source": None,
                "in_quote": where == "a quote",
                "evidence_offsets": None,
            }
        )
    return out
