"""Dossier queries: the one core the CLI, the HTTP API and the web UI call.

Each function takes an open :class:`~mercato.store.Store` and returns a JSON-serialisable dict
(see ``docs/knowledge.md`` for the shape). Lookups that find nothing raise :class:`NotFound` with
typo-tolerant suggestions, several matches raise :class:`Ambiguous` with the candidates; database
problems surface as :class:`~mercato.store.StoreError` with one clear line.

Queries are few and indexed: a player dossier is one entity lookup, one aliases query, one claims
query (``ix_claims_player_published``) and one facts query (``ix_facts_subject_date``), whatever
the size of the store; the rest is pure computation in ``mercato.knowledge``.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, and_, literal, or_, select
from sqlalchemy.orm import Session, aliased

from mercato.knowledge import dossier as kd
from mercato.knowledge.records import ArticleRef, ClaimRecord, EntityRecord, FactRecord, to_date
from mercato.store import Store, StoreError, summaries
from mercato.store.models import AliasRow, ArticleRow, ClaimRow, EntityRow, FactRow
from mercato.text import fold

PLAYER_TYPES = ("player",)
CLUB_TYPES = ("club", "national_team")
SOURCE_TYPES = ("journalist", "outlet", "coach", "executive", "agent", "player")
MAX_PLAYER_CLAIMS = 5000  # a dossier reads at most this many claims (newest first)
MAX_CLUB_PLAYERS = 150  # players a club dossier looks at: those in its most recent claims
MAX_SOURCE_CLAIMS = 500
_DATE_ARG = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class NotFound(LookupError):
    """Nothing of that kind goes by that name; ``suggestions`` are close names (name, key)."""

    def __init__(self, kind: str, name: str, suggestions: Sequence[tuple[str, str]]) -> None:
        self.kind, self.name, self.suggestions = kind, name, list(suggestions)
        hint = "; did you mean " + ", ".join(f"{n} ({k})" for n, k in self.suggestions) + "?" if suggestions else ""
        super().__init__(f"no {kind} named {name!r} in the store{hint}")


class Ambiguous(LookupError):
    """Several entities answer to the name; ``candidates`` are (name, key) pairs."""

    def __init__(self, kind: str, name: str, candidates: Sequence[tuple[str, str]]) -> None:
        self.kind, self.name, self.candidates = kind, name, list(candidates)
        listed = ", ".join(f"{n} ({k})" for n, k in self.candidates)
        super().__init__(f"{name!r} names several {kind}s: {listed}; use one of these keys")


def parse_at(at: str | None) -> str | None:
    """Validate ``--at``: an ISO day, month or year."""
    if at is None:
        return None
    at = at.strip()
    if not _DATE_ARG.match(at) or to_date(at) is None:
        raise ValueError(f"invalid date {at!r}: use YYYY-MM-DD, YYYY-MM or YYYY")
    return at


def _as_of(at: str | None, today: date | None) -> date:
    if at:
        day = to_date(at, end=True)
        assert day is not None
        return day
    return today or date.today()


# -- entity lookup ------------------------------------------------------------------------------
def _entity_record(s: Session, row: EntityRow) -> EntityRecord:
    aliases = list(
        s.scalars(
            select(AliasRow.surface)
            .where(AliasRow.entity_id == row.id, AliasRow.origin != "blocked")
            .order_by(AliasRow.id)
        )
    )
    return EntityRecord(row.id, row.key, row.name, row.type, row.kb_id, dict(row.attributes or {}), aliases)


def _follow(s: Session, row: EntityRow) -> EntityRow:
    seen = {row.id}
    while row.merged_into is not None and row.merged_into not in seen:
        seen.add(row.merged_into)
        row = s.get_one(EntityRow, row.merged_into)
    return row


def resolve(store: Store, name: str, types: Sequence[str], kind: str) -> EntityRecord:
    """An entity of one of ``types`` by key, KB id or (folded) name/alias."""
    with store.session() as s:
        row = s.scalar(select(EntityRow).where(EntityRow.key == name.strip()))
        if row is None:
            row = s.scalar(select(EntityRow).where(EntityRow.kb_id == name.strip(), EntityRow.type.in_(types)).limit(1))
        if row is not None:
            row = _follow(s, row)
            if row.type in types:
                return _entity_record(s, row)
        folded = fold(name)
        ids = set(
            s.scalars(
                select(AliasRow.entity_id)
                .join(EntityRow, EntityRow.id == AliasRow.entity_id)
                .where(AliasRow.folded == folded, AliasRow.origin != "blocked", EntityRow.type.in_(types))
            )
        )
        live = {r.id: r for r in (_follow(s, s.get_one(EntityRow, i)) for i in ids) if r.type in types}
        if len(live) == 1:
            return _entity_record(s, next(iter(live.values())))
        if len(live) > 1:
            raise Ambiguous(kind, name, sorted((r.name, r.key) for r in live.values()))
    hits: list[tuple[str, str]] = []
    for etype in types:
        hits += [(n, k) for k, n, _ in store.search_entities(name, limit=5, etype=etype)]
    raise NotFound(kind, name, hits[:5])


# -- reading claims and facts -------------------------------------------------------------------
_P, _C, _F, _S = (aliased(EntityRow) for _ in range(4))
# ``claims.alternatives`` is read when the store keeps it (a later migration); until then the
# alternatives come from the analysis' ``detail`` summary (see records.alternatives_from_detail).
_ALTS = getattr(ClaimRow, "alternatives", None)


def _claims_query() -> Select[Any]:
    cols: list[Any] = [
        ClaimRow.id, ClaimRow.type, ClaimRow.status, ClaimRow.player, ClaimRow.club, ClaimRow.from_club,
        ClaimRow.source, ClaimRow.source_platform, ClaimRow.date, ClaimRow.fee, ClaimRow.detail,
        ClaimRow.counterpart, ClaimRow.evidence, ClaimRow.evidence_start, ClaimRow.evidence_end,
        ClaimRow.confidence, _P.key, _C.key, _F.key, _S.key, _S.type,
        ArticleRow.id, ArticleRow.external_id, ArticleRow.url, ArticleRow.title, ArticleRow.outlet,
        ArticleRow.author, ArticleRow.language, ArticleRow.published, ArticleRow.duplicate_of,
    ]  # fmt: skip
    if _ALTS is not None:
        cols.append(_ALTS)
    return (
        select(*cols)
        .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
        .outerjoin(_P, _P.id == ClaimRow.player_id)
        .outerjoin(_C, _C.id == ClaimRow.club_id)
        .outerjoin(_F, _F.id == ClaimRow.from_club_id)
        .outerjoin(_S, _S.id == ClaimRow.source_id)
    )


def _claim_records(rows: Iterable[Any]) -> list[ClaimRecord]:
    out = []
    for r in rows:
        art = ArticleRef(r[21], r[22], r[23], r[24], r[25], r[26], r[27], r[28], r[29])
        out.append(
            ClaimRecord(
                id=r[0],
                type=r[1],
                status=r[2],
                article=art,
                player=r[3],
                club=r[4],
                from_club=r[5],
                source=r[6],
                source_platform=r[7],
                date=r[8],
                fee=r[9],
                detail=r[10],
                counterpart=r[11],
                evidence=r[12] or "",
                evidence_start=r[13],
                evidence_end=r[14],
                confidence=r[15],
                player_key=r[16],
                club_key=r[17],
                from_club_key=r[18],
                source_key=r[19],
                source_type=r[20],
                alternatives=list(r[30] or []) if len(r) > 30 else [],
            )
        )
    return out


def _published_filter(at: str | None) -> Any:
    # Partial dates sort before their first day ("2020-12" < "2020-12-01"), so "<= at + '~'"
    # keeps every report published on or before ``at`` whatever its precision.
    return ClaimRow.published <= at + "~" if at else None


_DEFAULT_LIMIT: Any = object()


def player_claims(
    s: Session | Connection, entity_ids: Sequence[int], at: str | None = None, limit: int | None = _DEFAULT_LIMIT
) -> list[ClaimRecord]:
    """Claims about these players, newest first; at most ``limit`` (default: MAX_PLAYER_CLAIMS
    per player; None: all)."""
    q = _claims_query().where(ClaimRow.player_id.in_(list(entity_ids)))
    if at:
        q = q.where(or_(ClaimRow.published.is_(None), _published_filter(at)))
    q = q.order_by(ClaimRow.published.desc(), ClaimRow.id.desc())
    if limit is _DEFAULT_LIMIT:
        limit = MAX_PLAYER_CLAIMS * max(1, len(entity_ids))
    if limit is not None:
        q = q.limit(limit)
    # Core execution: the ORM's row processing cost ~40 ms more on a club's ~8000 claims.
    conn = s.connection() if isinstance(s, Session) else s
    return _claim_records(conn.execute(q))


def player_facts(s: Session, entity_id: int) -> list[FactRecord]:
    club = aliased(EntityRow)
    q = (
        select(
            FactRow.id,
            FactRow.kind,
            FactRow.value,
            FactRow.club,
            club.key,
            FactRow.competition,
            FactRow.date,
            FactRow.evidence_start,
            FactRow.evidence_end,
            FactRow.origin,
            ArticleRow.id,
            ArticleRow.external_id,
            ArticleRow.url,
            ArticleRow.title,
            ArticleRow.outlet,
            ArticleRow.author,
            ArticleRow.language,
            ArticleRow.published,
            ArticleRow.duplicate_of,
        )
        .outerjoin(ArticleRow, ArticleRow.id == FactRow.article_id)
        .outerjoin(club, club.id == FactRow.club_id)
        .where(FactRow.subject_id == entity_id)
        .order_by(FactRow.date, FactRow.id)
        .limit(2000)
    )
    out = []
    for r in s.execute(q):
        art = ArticleRef(r[10], r[11], r[12], r[13], r[14], r[15], r[16], r[17], r[18]) if r[10] else None
        out.append(FactRecord(r[0], r[1], r[2], r[3], r[4], r[5], r[6], art, r[7], r[8], r[9] or "analysis"))
    return out


def _kb_info(kb_id: str | None) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Attributes and ordered clubs of a KB person: fills identity and career gaps."""
    if not kb_id:
        return {}, []
    try:
        from mercato.kb import load_kb

        kb = load_kb()
    except Exception:  # a broken user KB file must not take the dossier down; articles still speak
        return {}, []
    entry = kb.get(kb_id)
    if entry is None:
        return {}, []
    attrs = {k: v for k, v in entry.attrs.items() if k in ("nationality", "birth_year", "position")}
    clubs = []
    for cid in entry.attrs.get("clubs", []) or []:
        if isinstance(cid, str):
            club = kb.get(cid)
            clubs.append((f"club:{cid}", club.name if club else cid))
    return attrs, clubs


# -- the views ----------------------------------------------------------------------------------
def player_dossier(store: Store, name: str, at: str | None = None, today: date | None = None) -> dict[str, Any]:
    """The dossier of one player (see ``mercato.knowledge.dossier.player_dossier``)."""
    at = parse_at(at)
    entity = resolve(store, name, PLAYER_TYPES, "player")
    with store.session() as s:
        claims = player_claims(s, [entity.id], at)
        facts = player_facts(s, entity.id)
    attrs, clubs = _kb_info(entity.kb_id)
    return kd.player_dossier(entity, claims, facts, _as_of(at, today), at, attrs, clubs)


def club_dossier(store: Store, name: str, at: str | None = None, today: date | None = None) -> dict[str, Any]:
    """Squad, incoming and outgoing links of a club."""
    at = parse_at(at)
    club = resolve(store, name, CLUB_TYPES, "club")
    with store.session() as s:
        pids = _club_player_ids(s.connection(), club.id, at)
        if not at:
            # The present (no ``at``): from the players' stored summaries, one indexed read.
            return kd.club_dossier_from_summaries(club, _club_players(s.connection(), pids), _as_of(at, today))
        claims = player_claims(s, pids, at) if pids else []
    players: dict[str, tuple[str, list[ClaimRecord]]] = {}
    for c in claims:
        if c.player_key:
            players.setdefault(c.player_key, (c.player, []))[1].append(c)
    return kd.club_dossier(club, players, _as_of(at, today), at)


def _club_player_ids(conn: Connection, club_id: int, at: str | None) -> list[int]:
    """The players of a club's most recent claims (as its club or the club left): the first
    MAX_CLUB_PLAYERS of its newest MAX_CLUB_PLAYERS * 20 claims."""
    limit = MAX_CLUB_PLAYERS * 20
    base = select(ClaimRow.player_id, ClaimRow.published).where(ClaimRow.player_id.is_not(None))
    if at:
        base = base.where(_published_filter(at))
    cursors: list[Any] = []
    if conn.dialect.name != "sqlite":
        q = base.where(or_(ClaimRow.club_id == club_id, ClaimRow.from_club_id == club_id))
        rows: Iterable[Any] = conn.execute(q.order_by(ClaimRow.published.desc()).limit(limit)).all()
    else:
        # SQLite answers the OR above by reading both indexes' rows in full (~4000 rows, ~25 ms),
        # then sorting them; ties on the day keep that reading order: the club's rows, then
        # those of the club left, each by id. The same order, read lazily from both indexes and
        # merged, stops after the ~150 rows needed (~1 ms).
        day = ClaimRow.published.desc()
        as_club = base.add_columns(ClaimRow.id, literal(0)).where(ClaimRow.club_id == club_id)
        left = base.add_columns(ClaimRow.id, literal(1)).where(
            ClaimRow.from_club_id == club_id, or_(ClaimRow.club_id.is_(None), ClaimRow.club_id != club_id)
        )
        cursors = [
            conn.execute(q.order_by(day, ClaimRow.id.asc()).limit(limit)) for q in (as_club, left)
        ]  # fmt: skip
        # Descending day with NULL last (SQLite's order), then the club's rows first, then by id.
        rows = heapq.merge(
            *cursors, key=lambda r: ((r[1] is not None, r[1] or ""), -r[3], -r[2]), reverse=True
        )
    pids: dict[int, None] = {}
    for n, (pid, *_) in enumerate(rows):
        if n >= limit or len(pids) >= MAX_CLUB_PLAYERS:
            break
        pids.setdefault(pid, None)
    for cursor in cursors:
        cursor.close()  # read only in part
    return list(pids)


def _club_players(conn: Connection, pids: Sequence[int]) -> list[tuple[str, dict[str, Any], str]]:
    """(player key, summary header, summary) of these players, ordered as ``kd.club_dossier``
    visits them: by name, then (namesakes) by their newest claim, as ``player_claims`` reads them."""
    found = summaries.load(conn, pids)
    missing = [p for p in pids if p not in found]
    if missing:  # not stored yet (a store older than summaries, a bulk load): compute them now
        keys = dict(conn.execute(select(EntityRow.id, EntityRow.key).where(EntityRow.id.in_(missing))).all())
        for pid, sm in summaries.compute(conn, missing).items():
            found[pid] = (keys[pid], kd.summary_header(sm), sm)
    players = [found[p] for p in pids if p in found]
    names: dict[str, int] = {}
    for _, header, _ in players:
        names[header["name"]] = names.get(header["name"], 0) + 1
    tied = [p for p in pids if p in found and names[found[p][1]["name"]] > 1]
    first: dict[int, int] = {}
    if tied:
        q = (
            select(ClaimRow.player_id)
            .where(ClaimRow.player_id.in_(tied))
            .order_by(ClaimRow.published.desc(), ClaimRow.id.desc())
        )
        result = conn.execute(q)
        for (pid,) in result:
            first.setdefault(pid, len(first))
            if len(first) == len(tied):
                break
        result.close()
    rank = {found[p][0]: first.get(p, 0) for p in found}
    players.sort(key=lambda p: (p[1]["name"], rank[p[0]]))
    return players


def source_dossier(store: Store, name: str, at: str | None = None, today: date | None = None) -> dict[str, Any]:
    """A journalist's or outlet's claims and their outcomes. ``name`` is a source entity (journalist,
    outlet, coach...) or an outlet as articles name it."""
    at = parse_at(at)
    entity: EntityRecord | None = None
    missing: NotFound | None = None
    try:
        entity = resolve(store, name, SOURCE_TYPES, "source")
    except NotFound as exc:
        missing = exc
    with store.session() as s:
        outlets = _outlet_names(s, [name, *(entity.aliases if entity else [])])
        if entity is None and not outlets:
            raise missing or NotFound("source", name, [])
        conds = []
        if entity is not None:
            conds.append(ClaimRow.source_id == entity.id)
        if outlets and (entity is None or entity.type == "outlet"):
            # An outlet's own reports: claims of its articles that name no other source.
            conds.append(and_(ArticleRow.outlet.in_(outlets), ClaimRow.source_id.is_(None)))
        q = _claims_query().where(or_(*conds))
        if at:
            q = q.where(_published_filter(at))
        claims = _claim_records(s.execute(q.order_by(ClaimRow.published.desc()).limit(MAX_SOURCE_CLAIMS)))
        pids = sorted({c.player_key for c in claims if c.player_key})
        later: dict[str, list[ClaimRecord]] = {}
        if pids:
            q2 = (
                _claims_query()
                .where(
                    ClaimRow.player_id.in_(select(EntityRow.id).where(EntityRow.key.in_(pids))),
                    or_(
                        and_(ClaimRow.status == "official", ClaimRow.type.in_(("transfer", "loan"))),
                        ClaimRow.status == "denied",
                    ),
                )
                .limit(MAX_SOURCE_CLAIMS * 20)
            )
            for c in _claim_records(s.execute(q2)):
                later.setdefault(c.player_key or "", []).append(c)
    if entity is not None:
        shown, key, kind = entity.name, entity.key, entity.type
    else:
        shown, key, kind = outlets[0], None, "outlet"
    return kd.source_dossier(shown, key, kind, claims, later, _as_of(at, today), at)


def _outlet_names(s: Session, names: Sequence[str]) -> list[str]:
    """Outlet strings of stored articles that fold to one of ``names``."""
    wanted = {fold(n) for n in names if fold(n)}
    found = [o for o in s.scalars(select(ArticleRow.outlet).distinct()) if o and fold(o) in wanted]
    return sorted(found)


def ensure_open(db: str | None) -> Store:
    """Open the store for reading; a clear :class:`StoreError` when it cannot be."""
    return Store.open(db)


__all__ = [
    "Ambiguous",
    "NotFound",
    "StoreError",
    "club_dossier",
    "ensure_open",
    "parse_at",
    "player_dossier",
    "resolve",
    "source_dossier",
]
