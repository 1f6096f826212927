"""A transparent credibility score for a player-club link, with every reason that moved it.

score = source prior (best report)
        + corroboration by independent voices (syndicated copies count once)
        x denial factor (a denial nobody contradicted afterwards weighs most)
        x "he signed elsewhere" factor
        x recency decay (not for official moves: an announcement does not age)

Every step is listed in ``reasons`` as ``{"code", "effect", "params"}`` so a reader (and the
templates in each language) can say why a link scores what it does. The numbers are deliberately
simple, documented constants: they order links sensibly, they are not probabilities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mercato.knowledge.ladder import SourceUnit
from mercato.knowledge.records import ClaimRecord, date_key, to_date

# Source priors: official > known journalist > outlet's own report > unnamed / hedged rumour.
PRIORS: dict[str, float] = {"official": 0.9, "journalist": 0.7, "outlet": 0.5, "unnamed": 0.3}
# People who speak for a club or for themselves: their on-record word counts as official.
FIRST_HAND_TYPES = frozenset({"coach", "executive", "player", "agent"})
CORROBORATION_STEP = 0.08  # per independent voice beyond the first
CORROBORATION_CAP = 0.24
DENIAL_STANDING = 0.25  # a denial with no positive report after it
DENIAL_CONTRADICTED = 0.7  # an older denial later reports went past
SIGNED_ELSEWHERE = 0.5
HALF_LIFE_DAYS = 120  # rumours lose half their weight in four months without a new report
DECAY_FLOOR = 0.35


def source_class(claim: ClaimRecord) -> str:
    """Which prior a report gets: official, journalist, outlet or unnamed."""
    if claim.status == "official" or (claim.source_type in FIRST_HAND_TYPES):
        return "official"
    if claim.source_type == "journalist" or (claim.source and claim.source_platform in ("X", "Twitter")):
        return "journalist"
    if claim.status == "reported" and claim.article.outlet:
        return "outlet"
    return "unnamed"


@dataclass(slots=True)
class Credibility:
    score: float
    reasons: list[dict[str, Any]] = field(default_factory=list)
    # What the score is before recency (``base``) and the day recency counts from (``last``,
    # None when the score does not decay): with them a stored link gets today's score through
    # ``final_score`` without its reports (see ``mercato.store.summaries``).
    base: float = 0.0
    last: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "reasons": list(self.reasons)}


def _reason(code: str, effect: str, **params: Any) -> dict[str, Any]:
    return {"code": code, "effect": effect, "params": params}


def recency(last: date, as_of: date) -> tuple[int, float]:
    """Days since ``last`` and the decay factor they give."""
    days = max(0, (as_of - last).days)
    return days, max(DECAY_FLOOR, 0.5 ** (days / HALF_LIFE_DAYS))


def final_score(base: float, last: date | None, as_of: date) -> float:
    """The score of a link from its score before recency and the day recency counts from."""
    score = base
    if last is not None:
        score *= recency(last, as_of)[1]
    return round(min(1.0, max(0.0, score)), 3)


def link_credibility(
    units: Sequence[SourceUnit],
    stage: str,
    as_of: date,
    signed_elsewhere: tuple[str, str | None] | None = None,
) -> Credibility:
    """Score one link from its source units (see module doc). ``signed_elsewhere`` is (club, date)
    of an official move to another club after this link's last report."""
    positive = [u for u in units if u.first.status != "denied"]
    denials = [u for u in units if u.first.status == "denied"]
    reasons: list[dict[str, Any]] = []
    pool = positive or denials
    if not pool:
        return Credibility(0.0, [])
    best = max(pool, key=lambda u: (PRIORS[source_class(u.first)], date_key(u.first.published)))
    cls = source_class(best.first)
    score = PRIORS[cls]
    reasons.append(
        _reason(
            "prior_" + cls,
            f"{score:.2f}",
            source=best.first.source or best.first.article.outlet,
            published=best.first.published,
        )
    )
    voices = {u.voice() for u in positive}
    if len(voices) > 1:
        bonus = min(CORROBORATION_CAP, CORROBORATION_STEP * (len(voices) - 1))
        score += bonus
        reasons.append(_reason("corroborated", f"+{bonus:.2f}", sources=len(voices)))
    copies = sum(len(u.copies) for u in units)
    if copies:
        reasons.append(_reason("syndicated", "+0.00", copies=copies))
    if denials and stage != "official":
        last_denial = max(denials, key=lambda u: date_key(u.first.published))
        last_positive = max((date_key(u.first.published) for u in positive), default=None)
        standing = last_positive is None or date_key(last_denial.first.published) >= last_positive
        factor = DENIAL_STANDING if standing else DENIAL_CONTRADICTED
        score *= factor
        reasons.append(
            _reason(
                "denied" if standing else "denied_before",
                f"x{factor:.2f}",
                source=last_denial.first.source or last_denial.first.article.outlet,
                published=last_denial.first.published,
            )
        )
    if signed_elsewhere is not None and stage != "official":
        score *= SIGNED_ELSEWHERE
        reasons.append(
            _reason("signed_elsewhere", f"x{SIGNED_ELSEWHERE:.2f}", club=signed_elsewhere[0], date=signed_elsewhere[1])
        )
    last = None
    if stage == "official":
        reasons.append(_reason("official_no_decay", "x1.00"))
    else:
        last = max((to_date(u.first.published) for u in units if to_date(u.first.published)), default=None)
        if last is not None:
            days, factor = recency(last, as_of)
            reasons.append(_reason("recency", f"x{factor:.2f}", days=days, last_seen=last.isoformat()))
    return Credibility(final_score(score, last, as_of), reasons, score, last)
