"""The deal stage ladder of a player-club link, and which reports are independent.

interest < negotiation < agreement < medical < official (transfer or loan). A link that was
denied and never advanced afterwards is ``denied`` (or ``collapsed`` when it had reached talks);
a link that ends in an official move stays ``official`` whatever was said before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from mercato.knowledge.records import ClaimRecord, date_key
from mercato.text import fold

STAGES: tuple[str, ...] = ("interest", "negotiation", "agreement", "medical", "official")
RANK: dict[str, int] = {s: i + 1 for i, s in enumerate(STAGES)}
OUTCOMES: tuple[str, ...] = ("denied", "collapsed")
# A medical is reported with these words; the claim type stays agreement (or transfer), so the
# stage is read from the evidence. Folded forms, one per language at least.
MEDICAL_WORDS: tuple[str, ...] = (
    "medical",  # en, and "visite medicale" after folding is covered below
    "medizincheck",
    "medizinische untersuchung",
    "visite medicale",
    "visites medicales",
    "visita medica",
    "visite mediche",
    "reconocimiento medico",
    "reconocimientos medicos",
    "pruebas medicas",
    "examenes medicos",
    "exames medicos",
    "testes medicos",
    "medische keuring",
    "medische tests",
)
# Evidence this close (rapidfuzz ratio on folded text) in two articles is one text copied.
SYNDICATION_SIMILARITY = 90
MIN_SYNDICATION_CHARS = 25


def is_medical(claim: ClaimRecord) -> bool:
    text = fold(claim.evidence or "")
    return any(w in text for w in MEDICAL_WORDS)


def claim_stage(claim: ClaimRecord) -> str | None:
    """The ladder step one claim stands for (``denied`` for a denial), None for non-move claims."""
    if claim.status == "denied":
        return "denied"
    if claim.type in ("transfer", "loan"):
        if claim.status == "official":
            return "official"
        # A reported, not yet announced move is an agreement at most (SCHEMA: transfer = official).
        return "medical" if is_medical(claim) else "agreement"
    if claim.type == "agreement":
        return "medical" if is_medical(claim) else "agreement"
    if claim.type in ("interest", "negotiation"):
        return claim.type
    return None


def stage_rank(stage: str | None) -> int:
    return RANK.get(stage or "", 0)


@dataclass(slots=True)
class SourceUnit:
    """Reports counted as one source: an article and its syndicated copies."""

    first: ClaimRecord
    copies: list[ClaimRecord] = field(default_factory=list)

    @property
    def claims(self) -> list[ClaimRecord]:
        return [self.first, *self.copies]

    def voice(self) -> str:
        """Who is speaking: the named source, else the outlet, else the article itself. Two
        outlets relaying the same journalist are one voice, not two."""
        c = self.first
        if c.source_key or c.source:
            return "source:" + (c.source_key or fold(c.source or ""))
        if c.article.outlet:
            return "outlet:" + fold(c.article.outlet)
        return f"article:{c.article.id}"


def _origin(claim: ClaimRecord) -> int:
    return claim.article.duplicate_of or claim.article.id


def source_units(claims: Iterable[ClaimRecord]) -> list[SourceUnit]:
    """Group reports so that syndicated copies count once: the store's near-duplicate mark
    (``duplicate_of``) first, then near-identical evidence in two articles (a copy the store's
    SimHash threshold missed because a few words were changed)."""
    units: list[SourceUnit] = []
    by_origin: dict[int, SourceUnit] = {}
    ordered = sorted(claims, key=lambda c: (date_key(c.published), c.article.id, c.id))
    for c in ordered:
        unit = by_origin.get(_origin(c))
        if unit is None:
            unit = _similar_unit(units, c)
        if unit is None:
            unit = SourceUnit(c)
            units.append(unit)
        elif unit.first.article.id != c.article.id and all(x.article.id != c.article.id for x in unit.copies):
            unit.copies.append(c)
        by_origin.setdefault(_origin(c), unit)
    return units


def _similar_unit(units: Sequence[SourceUnit], claim: ClaimRecord) -> SourceUnit | None:
    text = fold(claim.evidence or "")
    if len(text) < MIN_SYNDICATION_CHARS:
        return None
    for unit in units:
        other = unit.first
        if other.article.id == claim.article.id or other.status != claim.status:
            continue
        if fuzz.ratio(text, fold(other.evidence or "")) >= SYNDICATION_SIMILARITY:
            return unit
    return None


def syndicated_copies(units: Iterable[SourceUnit]) -> dict[int, int]:
    """Article id of each copy -> article id of the report it copies."""
    out: dict[int, int] = {}
    for u in units:
        for c in u.copies:
            out[c.article.id] = u.first.article.id
    return out
