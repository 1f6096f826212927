"""The chronicle: every claim about a player as a dated event with its status, source and evidence."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from mercato.knowledge.ladder import claim_stage
from mercato.knowledge.records import ClaimRecord, date_key


def event(claim: ClaimRecord, syndicated_of: int | None = None) -> dict[str, Any]:
    """One chronicle entry: what, when, how sure, who said it, where to read it."""
    return {
        "published": claim.published,
        "date": claim.date,
        "type": claim.type,
        "status": claim.status,
        "stage": claim_stage(claim) if claim.is_move else None,
        "career": claim.is_career,
        "club": claim.club,
        "club_key": claim.club_key,
        "from_club": claim.from_club,
        "from_club_key": claim.from_club_key,
        "source": claim.source,
        "source_key": claim.source_key,
        "source_platform": claim.source_platform,
        "outlet": claim.article.outlet,
        "author": claim.article.author,
        "language": claim.article.language,
        "title": claim.article.title,
        "detail": claim.detail,
        "counterpart": claim.counterpart,
        "fee": claim.fee,
        "alternatives": list(claim.alternatives),
        "syndicated_of": syndicated_of or claim.article.duplicate_of,
        "evidence": claim.ref(),
    }


def sort_key(claim: ClaimRecord) -> tuple[Any, ...]:
    # Publication first (the order the world learnt things), then the date the claim is about,
    # then article and position in it, so the order is stable across runs and backends.
    return (date_key(claim.published), date_key(claim.date), claim.article.id, claim.evidence_start or 0, claim.id)


def chronicle(claims: Iterable[ClaimRecord], syndicated: Mapping[int, int] | None = None) -> list[dict[str, Any]]:
    syndicated = syndicated or {}
    return [event(c, syndicated.get(c.article.id)) for c in sorted(claims, key=sort_key)]
