"""The types every layer shares: an article in, an analysis out.

These mirror ``SCHEMA.md`` (the contract between analysis, store and evaluation). ``Analysis.to_dict``
produces exactly the "Analysis output" shape, plus extra keys the scorer ignores.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

LANGUAGES: tuple[str, ...] = ("it", "nl", "fr", "es", "de", "pt", "en")


class EntityType(StrEnum):
    PLAYER = "player"
    COACH = "coach"
    JOURNALIST = "journalist"
    AGENT = "agent"
    EXECUTIVE = "executive"
    CLUB = "club"
    NATIONAL_TEAM = "national_team"
    COMPETITION = "competition"
    OUTLET = "outlet"

    @property
    def is_person(self) -> bool:
        return self in PERSON_TYPES

    @property
    def kind(self) -> str:
        """Coarse kind used by untyped scoring: person, organisation or competition."""
        if self in PERSON_TYPES:
            return "person"
        if self is EntityType.COMPETITION:
            return "competition"
        return "organisation"


PERSON_TYPES = frozenset(
    {EntityType.PLAYER, EntityType.COACH, EntityType.JOURNALIST, EntityType.AGENT, EntityType.EXECUTIVE}
)


class ClaimType(StrEnum):
    INTEREST = "interest"
    NEGOTIATION = "negotiation"
    AGREEMENT = "agreement"
    TRANSFER = "transfer"
    LOAN = "loan"
    DEPARTURE = "departure"
    CONTRACT_EXPIRY = "contract_expiry"
    CONTRACT_EXTENSION = "contract_extension"
    INJURY = "injury"
    SQUAD_EXCLUSION = "squad_exclusion"
    CONFLICT = "conflict"


class Status(StrEnum):
    RUMOUR = "rumour"
    REPORTED = "reported"
    OFFICIAL = "official"
    DENIED = "denied"


@dataclass(slots=True)
class Article:
    """One news article as mercato reads it. ``text`` is what offsets refer to."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO "YYYY-MM-DD", "YYYY-MM" or "YYYY"
    author: str | None = None
    outlet: str | None = None
    language: str | None = None
    fetched: str | None = None  # ISO timestamp of retrieval, when known
    origin: str | None = None  # where it came from: a path, a URL, a WARC record

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Entity:
    id: str  # stable across articles: the same real-world entity gets the same id
    name: str  # canonical full name
    type: EntityType
    mentions: list[str] = field(default_factory=list)  # distinct surface forms, first-seen order
    spans: list[Span] = field(default_factory=list)
    kb_id: str | None = None  # set when the entity is in the knowledge base
    attributes: dict[str, Any] = field(default_factory=dict)  # age, birth_year, nationality, position...

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "type": self.type.value,
            "mentions": list(self.mentions),
            "offsets": [[s.start, s.end] for s in self.spans],
        }
        if self.kb_id:
            out["kb_id"] = self.kb_id
        if self.attributes:
            out["attributes"] = dict(self.attributes)
        return out


@dataclass(slots=True)
class Claim:
    type: ClaimType
    player: str  # canonical name of the player entity
    club: str | None
    status: Status
    date: str | None = None
    source: str | None = None
    from_club: str | None = None
    fee: str | None = None
    detail: str | None = None
    counterpart: str | None = None
    evidence: str = ""
    evidence_span: tuple[int, int] = (0, 0)
    player_id: str | None = None
    club_id: str | None = None
    from_club_id: str | None = None
    source_id: str | None = None
    source_platform: str | None = None  # "X", "Instagram", "press conference", ...
    confidence: float = 0.5
    # other statements of the same (type, player, club) in the article: conflicting dates or status
    alternatives: list[dict[str, Any]] = field(default_factory=list)

    def key(self) -> tuple[str, str, str | None]:
        return (self.type.value, self.player, self.club)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": self.type.value,
            "player": self.player,
            "club": self.club,
            "date": self.date,
            "status": self.status.value,
            "source": self.source,
            "evidence": self.evidence,
            "evidence_offsets": list(self.evidence_span),
            "confidence": round(self.confidence, 3),
        }
        optional = {
            "from_club": self.from_club,
            "fee": self.fee,
            "detail": self.detail,
            "counterpart": self.counterpart,
            "player_id": self.player_id,
            "club_id": self.club_id,
            "from_club_id": self.from_club_id,
            "source_id": self.source_id,
            "source_platform": self.source_platform,
        }
        out.update({k: v for k, v in optional.items() if v is not None})
        if self.alternatives:
            out["alternatives"] = list(self.alternatives)
        return out


@dataclass(slots=True)
class Fact:
    """A non-claim fact stated about an entity: career stint, appearances, goals, minutes."""

    kind: str  # "stint", "appearances", "goals", "minutes", "debut"
    subject_id: str
    subject: str
    value: Any
    club: str | None = None
    competition: str | None = None
    date: str | None = None
    evidence_span: tuple[int, int] = (0, 0)

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in asdict(self).items() if v is not None}
        out["evidence_span"] = list(self.evidence_span)
        return out


@dataclass(slots=True)
class Analysis:
    id: str
    language: str
    published: str | None
    entities: list[Entity] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    warnings: list[str] = field(default_factory=list)

    def entity(self, entity_id: str) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)

    def to_dict(self) -> dict[str, Any]:
        """The "Analysis output" of SCHEMA.md; keys beyond the schema are ignored by scorers."""
        out: dict[str, Any] = {
            "id": self.id,
            "language": self.language,
            "published": self.published,
            "url": self.url,
            "title": self.title,
            "outlet": self.outlet,
            "author": self.author,
            "entities": [e.to_dict() for e in self.entities],
            "claims": [c.to_dict() for c in self.claims],
            "facts": [f.to_dict() for f in self.facts],
        }
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out
