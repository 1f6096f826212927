"""Browsing queries for the HTTP API and the web UI: search, claims, articles, stories, health.

The dossier views (player, club, source) live in ``mercato.service.dossier``; this module adds what
a reader needs to move around a store: find an entity in any spelling, list claims with filters,
read an article with its entities and claims (offsets into its text), follow one deal across
outlets and languages (``mercato.knowledge.stories``). Every function takes an open
:class:`~mercato.store.Store` and returns JSON-ready dicts; the API and the web pages render the
same dicts, so what a page shows is exactly what the API says.

Lists are paged with ``limit``/``offset`` and read ``limit + 1`` rows to know whether a next page
exists without counting the whole table (a count over a million claims costs more than the page).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import and_, func, or_, select

from mercato.knowledge.ladder import RANK, claim_stage, source_units, syndicated_copies
from mercato.knowledge.records import ClaimRecord, date_key
from mercato.knowledge.stories import Story, bundle_stories

# The claims query and its row mapping are the dossier's own: one definition of what a claim
# record is, whichever view reads it.
from mercato.service.dossier import NotFound, _claim_records, _claims_query
from mercato.store import Store
from mercato.store.models import AliasRow, ArticleRow, ClaimRow, EntityRow, MentionRow
from mercato.text import fold

MAX_LIMIT = 200
STORY_SCAN_CLAIMS = 3000  # claims of one player or club bundled into stories (without a filter: the newest 800)
PAGE_KINDS = {
    "player": "players",
    "club": "clubs",
    "national_team": "clubs",
    "journalist": "sources",
    "outlet": "sources",
    "coach": "sources",
    "executive": "sources",
    "agent": "sources",
}


@dataclass(slots=True)
class Page:
    """One page of a list and whether another follows."""

    items: list[dict[str, Any]]
    limit: int
    offset: int
    has_next: bool

    def to_dict(self) -> dict[str, Any]:
        return {"items": self.items, "limit": self.limit, "offset": self.offset, "has_next": self.has_next}


def _page(rows: Sequence[dict[str, Any]], limit: int, offset: int) -> Page:
    return Page(list(rows[:limit]), limit, offset, len(rows) > limit)


# -- search -------------------------------------------------------------------------------------
def search(store: Store, q: str, limit: int = 10, types: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Entities named like ``q`` in any language and spelling (typo tolerant: rapidfuzz over folded
    names and aliases). Each hit says which page shows it (``page``: players, clubs, sources)."""
    q = (q or "").strip()[:200]
    if not fold(q):
        return []
    wanted = list(types)
    index = _alias_index(store)
    hits: list[tuple[str, str, float]] = []
    if index is not None:
        hits = index.search(fold(q), limit * 2, wanted)
    elif wanted:
        # A store too big to hold its names in memory: the store ranks per type.
        for t in wanted:
            hits += store.search_entities(q, limit=limit, etype=t)
        hits.sort(key=lambda h: (-h[2], h[1]))
    else:
        hits = store.search_entities(q, limit=limit * 2)
    if not hits:
        return []
    keys = [k for k, _, _ in hits]
    with store.session() as s:
        info = {
            r.key: (r.type, r.id)
            for r in s.execute(select(EntityRow.key, EntityRow.type, EntityRow.id).where(EntityRow.key.in_(keys)))
        }
        ids = [i for _, i in info.values()]
        claims = dict(
            s.execute(
                select(ClaimRow.player_id, func.count()).where(ClaimRow.player_id.in_(ids)).group_by(ClaimRow.player_id)
            ).all()
        )
    out = []
    folded_q = fold(q)
    for key, name, score in hits:
        etype, eid = info.get(key, ("?", -1))
        if wanted and etype not in wanted:
            continue
        # An exact (folded) name beats a fuzzy one of equal score; players with news come first.
        exact = fold(name) == folded_q or folded_q in fold(name).split()
        out.append(
            {
                "key": key,
                "name": name,
                "type": etype,
                "score": round(score, 1),
                "claims": int(claims.get(eid, 0)),
                "page": PAGE_KINDS.get(etype),
                "_rank": (-score - (5 if exact else 0), -int(claims.get(eid, 0)), name),
            }
        )
    out.sort(key=lambda h: h.pop("_rank"))
    return out[:limit]


class _AliasIndex:
    """Every live entity's folded names in memory, ranked by rapidfuzz like
    ``Store.search_entities`` (WRatio, cutoff 70) without reading the aliases table per keystroke."""

    def __init__(self, rows: Sequence[tuple[str, str, str, str]]) -> None:
        self.by_alias: dict[str, list[tuple[str, str, str]]] = {}
        for folded, key, name, etype in rows:
            self.by_alias.setdefault(folded, []).append((key, name, etype))
        self.choices = list(self.by_alias)

    def search(self, folded: str, limit: int, types: Sequence[str]) -> list[tuple[str, str, float]]:
        from rapidfuzz import fuzz, process

        best: dict[str, tuple[str, float]] = {}
        for alias, score, _ in process.extract(
            folded, self.choices, scorer=fuzz.WRatio, limit=limit * 4, score_cutoff=70
        ):
            for key, name, etype in self.by_alias[alias]:
                if types and etype not in types:
                    continue
                if score > best.get(key, ("", -1.0))[1]:
                    best[key] = (name, float(score))
        out = [(k, n, sc) for k, (n, sc) in best.items()]
        out.sort(key=lambda o: (-o[2], o[1]))
        return out[:limit]


MAX_INDEXED_ALIASES = 300_000  # about 60 MB of strings at most; beyond, the store searches itself
_INDEXES: dict[str, tuple[tuple[int, int, int], _AliasIndex]] = {}


def _alias_index(store: Store) -> _AliasIndex | None:
    """The in-memory name index of a store, rebuilt when aliases or corrections changed (a cheap
    max/count query tells)."""
    from mercato.store.models import CorrectionRow

    with store.session() as s:
        version = (
            int(s.scalar(select(func.max(AliasRow.id))) or 0),
            int(s.scalar(select(func.count()).select_from(AliasRow)) or 0),
            int(s.scalar(select(func.max(CorrectionRow.id))) or 0),
        )
        if version[1] > MAX_INDEXED_ALIASES:
            return None
        cached = _INDEXES.get(store.url)
        if cached is not None and cached[0] == version:
            return cached[1]
        rows = s.execute(
            select(AliasRow.folded, EntityRow.key, EntityRow.name, EntityRow.type)
            .join(EntityRow, EntityRow.id == AliasRow.entity_id)
            .where(EntityRow.merged_into.is_(None), AliasRow.origin != "blocked")
        ).all()
    index = _AliasIndex([tuple(r) for r in rows])  # type: ignore[misc]
    _INDEXES[store.url] = (version, index)
    return index


# -- claims -------------------------------------------------------------------------------------
def claim_dict(c: ClaimRecord) -> dict[str, Any]:
    return {
        "id": c.id,
        "type": c.type,
        "status": c.status,
        "stage": claim_stage(c) if c.is_move else None,
        "player": c.player,
        "player_key": c.player_key,
        "club": c.club,
        "club_key": c.club_key,
        "from_club": c.from_club,
        "from_club_key": c.from_club_key,
        "source": c.source,
        "source_key": c.source_key,
        "source_type": c.source_type,
        "source_platform": c.source_platform,
        "date": c.date,
        "fee": c.fee,
        "detail": c.detail,
        "counterpart": c.counterpart,
        "career": c.is_career,
        "evidence": c.evidence,
        "evidence_offsets": [c.evidence_start, c.evidence_end],
        "confidence": round(c.confidence, 3) if c.confidence is not None else None,
        "published": c.published,
        "article": c.article.to_dict(),
    }


@dataclass(slots=True)
class ClaimFilter:
    types: Sequence[str] = ()
    statuses: Sequence[str] = ()
    date_from: str | None = None  # published on or after (ISO day, month or year)
    date_to: str | None = None  # published on or before
    language: str | None = None
    club: str | None = None  # key or name; matches the club or the club he leaves
    source: str | None = None  # key or name of a source entity, or an outlet as articles name it
    player: str | None = None


def _entity_ids(s: Any, ref: str, types: Sequence[str]) -> list[int]:
    """Ids of the entities a filter value names: a key, else a folded name or alias."""
    ref = ref.strip()
    ids = list(s.scalars(select(EntityRow.id).where(EntityRow.key == ref)))
    if not ids:
        ids = list(
            s.scalars(
                select(AliasRow.entity_id)
                .join(EntityRow, EntityRow.id == AliasRow.entity_id)
                .where(AliasRow.folded == fold(ref), AliasRow.origin != "blocked", EntityRow.type.in_(list(types)))
                .distinct()
                .limit(50)
            )
        )
    if ids:
        # Entities merged into these keep their own rows' claims moved, but a merged key typed by
        # a user must land on the live entity.
        live = list(s.scalars(select(EntityRow.merged_into).where(EntityRow.id.in_(ids))))
        ids += [i for i in live if i is not None]
    return ids


def list_claims(store: Store, flt: ClaimFilter, limit: int = 50, offset: int = 0) -> Page:
    """Claims, newest publication first, filtered by type, status, date range, language, club,
    source and player."""
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    q = _claims_query()
    with store.session() as s:
        if flt.types:
            q = q.where(ClaimRow.type.in_(list(flt.types)))
        if flt.statuses:
            q = q.where(ClaimRow.status.in_(list(flt.statuses)))
        # With a player or a club the per-entity (id, published) indexes lead; otherwise the
        # articles' published index does (claims.published is a copy of it), so the newest claims
        # come without sorting a million rows.
        by_entity = bool(flt.player or flt.club)
        published = ClaimRow.published if by_entity else ArticleRow.published
        if flt.date_from:
            q = q.where(published >= flt.date_from)
        if flt.date_to:
            # "2025-06" <= published <= "2025-06~" keeps every day of that month (see dossier).
            q = q.where(published <= flt.date_to + "~")
        if flt.language:
            q = q.where(ArticleRow.language == flt.language)
        if flt.player:
            ids = _entity_ids(s, flt.player, ("player",))
            q = q.where(ClaimRow.player_id.in_(ids or [-1]))
        if flt.club:
            ids = _entity_ids(s, flt.club, ("club", "national_team"))
            q = q.where(or_(ClaimRow.club_id.in_(ids or [-1]), ClaimRow.from_club_id.in_(ids or [-1])))
        if flt.source:
            ids = _entity_ids(s, flt.source, ("journalist", "outlet", "coach", "executive", "agent", "player"))
            conds = [ClaimRow.source_id.in_(ids or [-1])]
            outlets = [o for o in s.scalars(select(ArticleRow.outlet).distinct().limit(5000)) if o]
            named = [o for o in outlets if fold(o) == fold(flt.source)]
            if named:
                conds.append(and_(ArticleRow.outlet.in_(named), ClaimRow.source_id.is_(None)))
            q = q.where(or_(*conds))
        q = q.order_by(published.desc(), ClaimRow.id.desc()).limit(limit + 1).offset(offset)
        rows = [claim_dict(c) for c in _claim_records(s.execute(q))]
    return _page(rows, limit, offset)


# -- articles -----------------------------------------------------------------------------------
def _article_head(a: ArticleRow) -> dict[str, Any]:
    return {
        "id": a.id,
        "external_id": a.external_id,
        "title": a.title,
        "url": a.url,
        "outlet": a.outlet,
        "author": a.author,
        "language": a.language,
        "published": a.published,
        "duplicate_of": a.duplicate_of,
    }


def list_articles(
    store: Store, limit: int = 50, offset: int = 0, language: str | None = None, outlet: str | None = None
) -> Page:
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    cols = (
        ArticleRow.id, ArticleRow.external_id, ArticleRow.title, ArticleRow.url, ArticleRow.outlet,
        ArticleRow.author, ArticleRow.language, ArticleRow.published, ArticleRow.duplicate_of,
    )  # fmt: skip
    q = select(*cols)
    if language:
        q = q.where(ArticleRow.language == language)
    if outlet:
        q = q.where(ArticleRow.outlet == outlet)
    q = q.order_by(ArticleRow.published.desc(), ArticleRow.id.desc()).limit(limit + 1).offset(offset)
    keys = ("id", "external_id", "title", "url", "outlet", "author", "language", "published", "duplicate_of")
    with store.session() as s:
        rows = [dict(zip(keys, r, strict=True)) for r in s.execute(q)]
    return _page(rows, limit, offset)


def article(store: Store, article_id: int) -> dict[str, Any]:
    """One article: its text, the entities mentioned (with offsets into the text) and its claims
    (with evidence offsets), plus the copies of it the store found (syndication)."""
    with store.session() as s:
        a = s.get(ArticleRow, article_id)
        if a is None:
            raise NotFound("article", str(article_id), [])
        out = _article_head(a)
        out["text"] = a.text
        out["version"] = a.version
        out["warnings"] = list(a.analysis_warnings or [])
        ents: dict[str, dict[str, Any]] = {}
        q = (
            select(EntityRow.key, EntityRow.name, EntityRow.type, MentionRow.surface, MentionRow.start, MentionRow.end)
            .join(EntityRow, EntityRow.id == MentionRow.entity_id)
            .where(MentionRow.article_id == article_id)
            .order_by(MentionRow.start, MentionRow.id)
        )
        for key, name, etype, surface, start, end in s.execute(q):
            e = ents.setdefault(
                key, {"key": key, "name": name, "type": etype, "page": PAGE_KINDS.get(etype), "mentions": []}
            )
            e["mentions"].append({"surface": surface, "start": start, "end": end})
        out["entities"] = sorted(ents.values(), key=lambda e: (_first_offset(e), e["name"]))
        claims = _claim_records(
            s.execute(_claims_query().where(ClaimRow.article_id == article_id).order_by(ClaimRow.evidence_start))
        )
        out["claims"] = [claim_dict(c) for c in claims]
        copies = s.execute(
            select(ArticleRow.id, ArticleRow.outlet, ArticleRow.published).where(ArticleRow.duplicate_of == article_id)
        ).all()
        out["copies"] = [{"id": i, "outlet": o, "published": p} for i, o, p in copies]
    return out


def _first_offset(e: dict[str, Any]) -> int:
    starts = [m["start"] for m in e["mentions"] if m["start"] is not None]
    return min(starts) if starts else 1 << 30


# -- stories ------------------------------------------------------------------------------------
def _names(s: Any, keys: set[str]) -> dict[str, str]:
    if not keys:
        return {}
    return dict(s.execute(select(EntityRow.key, EntityRow.name).where(EntityRow.key.in_(sorted(keys)))).all())


def _story_dict(story: Story, names: dict[str, str]) -> dict[str, Any]:
    base = story.to_dict()
    reports = sorted(story.reports, key=lambda r: (r.role != "origin", date_key(r.claim.published), r.claim.id))
    stages = [claim_stage(r.claim) for r in story.reports if r.claim.is_move]
    top = max((RANK.get(st or "", 0) for st in stages), default=0)
    any_claim = story.reports[0].claim if story.reports else None
    return {
        "id": base["id"],
        "player": {"key": story.key[0], "name": names.get(story.key[0]) or (any_claim.player if any_claim else None)},
        "club": {
            "key": story.key[1] or None,
            "name": names.get(story.key[1]) or (any_claim.club if any_claim else None),
        },
        "family": base["family"],
        "first": base["first"],
        "last": base["last"],
        "outlets": base["outlets"],
        "languages": base["languages"],
        "independent": base["independent"],
        "stage": next((s for s, r in RANK.items() if r == top), None) or ("denied" if "denied" in stages else None),
        "reports": [{"role": r.role, "cites": r.cites, "claim": claim_dict(r.claim)} for r in reports],
    }


def _story_claims(store: Store, player: str | None, club: str | None) -> tuple[list[ClaimRecord], dict[str, str]]:
    with store.session() as s:
        q = _claims_query()
        if player:
            q = q.where(ClaimRow.player_id.in_(_entity_ids(s, player, ("player",)) or [-1]))
        if club:
            ids = _entity_ids(s, club, ("club", "national_team")) or [-1]
            q = q.where(ClaimRow.club_id.in_(ids))
        published = ClaimRow.published if (player or club) else ArticleRow.published  # see list_claims
        q = q.order_by(published.desc(), ClaimRow.id.desc()).limit(STORY_SCAN_CLAIMS if (player or club) else 800)
        claims = _mark_copies(_claim_records(s.execute(q)))
        keys = {c.player_key for c in claims if c.player_key} | {c.club_key for c in claims if c.club_key}
        return claims, _names(s, keys)


def _mark_copies(claims: list[ClaimRecord]) -> list[ClaimRecord]:
    """Mark syndicated copies the store's SimHash missed (a few words changed) the way the player
    dossier does (near-identical evidence, ``ladder.source_units``), so a story and a dossier
    agree on what counts as one report."""
    by_player: dict[str, list[ClaimRecord]] = {}
    for c in claims:
        if c.is_move:
            by_player.setdefault(c.player_key or fold(c.player), []).append(c)
    copies: dict[int, int] = {}
    for group in by_player.values():
        copies.update(syndicated_copies(source_units(group)))
    for c in claims:
        if c.article.duplicate_of is None and c.article.id in copies:
            c.article = replace(c.article, duplicate_of=copies[c.article.id])
    return claims


def list_stories(
    store: Store, player: str | None = None, club: str | None = None, limit: int = 20, offset: int = 0
) -> Page:
    """Deals and events told by several reports, most recently active first."""
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    claims, names = _story_claims(store, player, club)
    stories = bundle_stories(claims)
    stories.sort(key=lambda st: (date_key(st.last), st.first or ""), reverse=True)
    rows = [_story_dict(st, names) for st in stories[offset : offset + limit + 1]]
    return _page(rows, limit, offset)


def story(store: Store, story_id: str) -> dict[str, Any]:
    """One story by id (``player key|club key|family|first day``)."""
    parts = story_id.split("|")
    if len(parts) != 4 or not parts[0]:
        raise NotFound("story", story_id, [])
    claims, names = _story_claims(store, parts[0], None)
    for st in bundle_stories(claims):
        if st.id == story_id:
            return _story_dict(st, names)
    raise NotFound("story", story_id, [])


# -- health -------------------------------------------------------------------------------------
def health(store: Store) -> dict[str, Any]:
    """Whether the store answers, and how much it holds (cheap: three indexed counts)."""
    with store.session() as s:
        articles = s.scalar(select(func.count()).select_from(ArticleRow)) or 0
        claims = s.scalar(select(func.max(ClaimRow.id))) or 0
        entities = s.scalar(select(func.max(EntityRow.id))) or 0
    from mercato.store.db import display_url

    return {
        "status": "ok",
        "store": display_url(store.url).split("://", 1)[0],
        "articles": int(articles),
        "claims_max_id": int(claims),
        "entities_max_id": int(entities),
    }


def overview(store: Store) -> dict[str, Any]:
    """What the home page shows: the latest articles and the most active players."""
    latest = list_articles(store, limit=8).items
    with store.session() as s:
        # The newest articles (indexed on published), not a scan of every claim: the home page
        # must stay instant on a store of millions of claims.
        newest = select(ArticleRow.id).order_by(ArticleRow.published.desc()).limit(300).subquery()
        recent = (
            select(ClaimRow.player_id, func.count().label("n"), func.max(ClaimRow.published).label("last"))
            .where(ClaimRow.article_id.in_(select(newest.c.id)), ClaimRow.player_id.is_not(None))
            .group_by(ClaimRow.player_id)
            .subquery()
        )
        rows = s.execute(
            select(EntityRow.key, EntityRow.name, recent.c.n, recent.c.last)
            .join(recent, recent.c.player_id == EntityRow.id)
            .order_by(recent.c.last.desc(), recent.c.n.desc())
            .limit(8)
        ).all()
    players = [{"key": k, "name": n, "claims": int(c), "last": last} for k, n, c, last in rows]
    return {"articles": latest, "players": players}
