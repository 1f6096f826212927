"""Player summaries (``player_summaries``): what a club view needs of each player, computed
from his claims (``mercato.knowledge.dossier.club_view_summary``).

A stored summary is always current: every write that changes a player's claims, or the keys
they carry (ingest of a new or updated article, re-analysis, merge, split), deletes his summary
in its own transaction (:func:`invalidate`). Writing summaries is left for later, so storing an
article stays cheap however many claims its players have: :func:`refresh` after a batch of
articles (``ingest_items`` does), after a correction, or :func:`fill` for a whole store (``mercato db
upgrade``, a bulk load). A club view computes a missing summary from the claims, the same way.

Concurrent writers (PostgreSQL): a writer holds a KEY SHARE lock on each player's entity row from
before it deletes his summary until it commits (inserting claims takes it anyway, for the foreign
key); a refresh takes FOR UPDATE SKIP LOCKED on them first, so it skips a player whose claims
another transaction is changing, and a writer waits for a refresh holding the player, then
deletes what it wrote. SQLite runs one writer at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, delete, select

from mercato.store.models import ClaimRow, EntityRow, PlayerSummaryRow

SUMMARIES = PlayerSummaryRow.__table__
CHUNK = 200  # players per claims query when computing many summaries


def _chunks(ids: list[int], size: int = CHUNK) -> Iterator[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def compute(conn: Connection, player_ids: Iterable[int]) -> dict[int, str]:
    """Summaries of these players from their claims (players without claims are left out)."""
    from mercato.knowledge.dossier import club_view_summary
    from mercato.service.dossier import player_claims

    out: dict[int, str] = {}
    for chunk in _chunks(sorted(set(player_ids))):
        key_to_id = dict(conn.execute(select(EntityRow.key, EntityRow.id).where(EntityRow.id.in_(chunk))).all())
        by_key: dict[str, list[Any]] = {}
        for c in player_claims(conn, chunk, limit=None):
            if c.player_key:
                by_key.setdefault(c.player_key, []).append(c)
        for key, claims in by_key.items():
            out[key_to_id[key]] = club_view_summary(claims)
    return out


def claim_players(conn: Connection, *conds: Any) -> set[int]:
    """Players of the claims matching ``conds``."""
    q = select(ClaimRow.player_id).distinct().where(ClaimRow.player_id.is_not(None), *conds)
    return set(conn.scalars(q))


def invalidate(conn: Connection, player_ids: Iterable[int | None]) -> set[int]:
    """Delete these players' summaries: their claims change in this transaction. Returns the ids
    (to :func:`refresh` after the commit)."""
    ids = sorted({i for i in player_ids if i is not None})
    for chunk in _chunks(ids, 500):
        if conn.dialect.name != "sqlite":  # SQLite: one writer at a time, and no row locks
            lock = select(EntityRow.id).where(EntityRow.id.in_(chunk)).with_for_update(read=True, key_share=True)
            conn.execute(lock)
        conn.execute(delete(SUMMARIES).where(SUMMARIES.c.player_id.in_(chunk)))
    return set(ids)


def refresh(conn: Connection, player_ids: Iterable[int]) -> set[int]:
    """Write the summaries of these players that are missing, from their claims. Returns the ids it
    could not take (another transaction is changing their claims: refresh them later)."""
    wanted = sorted(set(player_ids))
    skipped: set[int] = set()
    for chunk in _chunks(wanted, 1000):
        if conn.dialect.name == "sqlite":
            locked = set(chunk)  # no row locks: the write transaction excludes every other writer
        else:
            lock = select(EntityRow.id).where(EntityRow.id.in_(chunk)).with_for_update(skip_locked=True)
            locked = set(conn.scalars(lock))
        skipped |= set(chunk) - locked
        have = set(conn.scalars(select(SUMMARIES.c.player_id).where(SUMMARIES.c.player_id.in_(sorted(locked)))))
        rows = [{"player_id": pid, "data": sm} for pid, sm in compute(conn, locked - have).items()]
        if rows:
            conn.execute(SUMMARIES.insert(), rows)
    return skipped


def fill(conn: Connection) -> int:
    """Write the summary of every player with claims but no summary; returns how many it wrote."""
    have = select(SUMMARIES.c.player_id)
    q = select(ClaimRow.player_id).distinct().where(ClaimRow.player_id.is_not(None), ClaimRow.player_id.not_in(have))
    missing = sorted(conn.scalars(q))
    return len(missing) - len(refresh(conn, missing))


def load(conn: Connection, player_ids: Iterable[int]) -> dict[int, tuple[str, dict[str, Any], str]]:
    """Stored summaries of these players, of the current version only: (key, header, summary)."""
    from mercato.knowledge.dossier import SUMMARY_VERSION, summary_header

    q = (
        select(SUMMARIES.c.player_id, EntityRow.key, SUMMARIES.c.data)
        .join(EntityRow, EntityRow.id == SUMMARIES.c.player_id)
        .where(SUMMARIES.c.player_id.in_(list(player_ids)))
    )
    out = {}
    for pid, key, data in conn.execute(q):
        header = summary_header(data)
        if header.get("v") == SUMMARY_VERSION:
            out[pid] = (key, header, data)
    return out
