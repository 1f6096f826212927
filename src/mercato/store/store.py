"""The store: one API every adapter calls to remember articles, entities and claims.

``Store.open(url)`` connects (SQLite by default, PostgreSQL by URL) and migrates;
``store.add(article, analysis)`` stores one article in one transaction and tells whether it was
new, an exact duplicate, a near duplicate (stored, marked ``duplicate_of``) or an update of a URL
already stored (mentions and claims replaced). Entities are placed by the registry
(``mercato.knowledge.registry``); user corrections (merge, split, alias) are recorded and replayed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import sqlalchemy.exc as sa_exc
from sqlalchemy import (
    Connection,
    Engine,
    Row,
    bindparam,
    delete,
    func,
    literal,
    literal_column,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from mercato.ingest.dedup import (
    NEAR_DUPLICATE_BITS,
    canonical_url,
    content_hash,
    hamming,
    simhash,
    simhash_bands,
)
from mercato.knowledge import registry
from mercato.model import Analysis, Article
from mercato.store import summaries
from mercato.store.db import (
    StoreError,
    display_url,
    enable_wal,
    insert_plain,
    make_engine,
    migrate,
    resolve_url,
    translate_error,
)
from mercato.store.models import (
    AliasRow,
    ArticleRow,
    ClaimRow,
    CorrectionRow,
    EntityRow,
    FactRow,
    MentionRow,
    NameKeyRow,
    utcnow,
)
from mercato.store.resolver import RegistryCache, Resolver
from mercato.text import fold, fold_tokens, slug

AddStatus = Literal["new", "duplicate", "near_duplicate", "updated"]
MIN_NEAR_DUP_TOKENS = 20  # SimHash of a few words is too unstable to call two texts copies
_INT64 = 1 << 63
# Keys in Session.info / Connection.info: a transaction's resolver, and the connection's entity cache.
_RESOLVER = "mercato.resolver"
_CACHE = "mercato.entity_cache"

ARTICLES = ArticleRow.__table__
MENTIONS = MentionRow.__table__
_MENTION_COLUMNS = ("article_id", "entity_id", "analysis_id", "surface", "start", "end")
CLAIMS = ClaimRow.__table__
FACTS = FactRow.__table__


def _first_with_content() -> Any:
    first = (
        select(ARTICLES.c.id, ARTICLES.c.content_hash)
        .where(ARTICLES.c.content_hash == bindparam("hash"))
        .order_by(ARTICLES.c.id)
        .limit(1)
        .subquery()
    )
    return select(first.c.id, first.c.content_hash, literal(False).label("same"))


# Duplicate checks, one query each: the same page (flagged `same`) and the first same content.
_SAME_CONTENT = _first_with_content()
_SAME_URL_OR_CONTENT = union_all(
    select(ARTICLES.c.id, ARTICLES.c.content_hash, literal(True).label("same")).where(
        ARTICLES.c.canonical_url == bindparam("url")
    ),
    _first_with_content(),
)
_SAME_ORIGIN_OR_CONTENT = union_all(
    select(ARTICLES.c.id, ARTICLES.c.content_hash, literal(True).label("same"))
    .where(
        # `|| ''` keeps the same meaning but hides the column from SQLite's planner, which would
        # otherwise walk the unique URL index over every article without a URL.
        ARTICLES.c.canonical_url.concat(literal_column("''")).is_(None),
        ARTICLES.c.external_id == bindparam("external_id"),
        ARTICLES.c.origin == bindparam("origin"),
    )
    .order_by(ARTICLES.c.id)
    .limit(1)
    .subquery()
    .select(),
    _first_with_content(),
)
# Near-duplicate candidates: two SimHashes within 3 bits share a 16-bit band (pigeonhole).
_BAND_PROBE = (
    select(ARTICLES.c.id, ARTICLES.c.simhash, ARTICLES.c.duplicate_of)
    .where(
        or_(
            ARTICLES.c.band0 == bindparam("b0"),
            ARTICLES.c.band1 == bindparam("b1"),
            ARTICLES.c.band2 == bindparam("b2"),
            ARTICLES.c.band3 == bindparam("b3"),
        )
    )
    .order_by(ARTICLES.c.id)
    .limit(500)
)


def to_signed64(value: int) -> int:
    return value - (1 << 64) if value >= _INT64 else value


def to_unsigned64(value: int) -> int:
    return value + (1 << 64) if value < 0 else value


@dataclass(slots=True)
class AddResult:
    status: AddStatus
    article_id: int  # the stored row (for a duplicate: the row it duplicates)
    duplicate_of: int | None = None
    entities: dict[str, str] = field(default_factory=dict)  # analysis entity id -> stored key


@dataclass(slots=True)
class Fingerprint:
    canonical_url: str | None
    content_hash: str
    simhash: int  # unsigned
    bands: list[int]
    tokens: int

    @classmethod
    def of(cls, article: Article) -> Fingerprint:
        sh = simhash(article.text)
        return cls(
            canonical_url=canonical_url(article.url) if article.url else None,
            content_hash=content_hash(article.text),
            simhash=sh,
            bands=simhash_bands(sh),
            tokens=len(article.text.split()),
        )


@dataclass(slots=True)
class EntityInfo:
    key: str
    name: str
    type: str
    kb_id: str | None
    attributes: dict[str, Any]
    aliases: list[tuple[str, str]]  # (surface, origin)
    articles: int
    claims: int
    merged_into: str | None = None


class Store:
    """A connection to one mercato database. Cheap to open; close it (or use ``with``) when done."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self._write_engine = engine.execution_options(sqlite_begin="BEGIN IMMEDIATE")
        # Players whose claims this store changed and whose summaries are not written yet.
        self._stale: set[int] = set()

    # -- opening --------------------------------------------------------------------------------
    @classmethod
    def open(cls, url: str | None = None, *, timeout: float | None = None, upgrade: bool = True) -> Store:
        """Open (and create or migrate) the database at ``url``: a path, a SQLAlchemy URL or
        ``postgresql://...``; None means ``$MERCATO_DB`` or the default SQLite file."""
        resolved = resolve_url(url)
        try:
            engine = make_engine(resolved, timeout)
            if resolved.startswith("sqlite"):
                enable_wal(engine)
            if upgrade:
                migrate(engine, resolved)
            else:
                with engine.connect():
                    pass
        except StoreError:
            raise
        except sa_exc.SQLAlchemyError as exc:
            raise translate_error(exc, resolved) from exc
        return cls(engine, resolved)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({display_url(self.url)!r})"

    @contextlib.contextmanager
    def session(self, write: bool = False) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        try:
            with Session(self._write_engine if write else self.engine, expire_on_commit=False) as s:
                with s.begin():
                    yield s
                    resolver: Resolver | None = s.info.get(_RESOLVER)
                    if resolver is not None:
                        resolver.seal()
                if resolver is not None:
                    resolver.cache.confirm()  # committed: what the cache holds is now the database
        except (sa_exc.OperationalError, sa_exc.InterfaceError) as exc:
            # The database itself failed (locked, gone, disk full): the caller cannot go on.
            # Other errors concern one article's data and propagate as they are.
            raise translate_error(exc, self.url) from exc

    @contextlib.contextmanager
    def _transaction(self, write: bool) -> Iterator[Connection]:
        """A Core transaction, for the hot paths (lookup, add): an ORM Session costs ~0.2 ms more.
        Same contract as :meth:`session`; a resolver used in it is sealed and confirmed."""
        try:
            with (self._write_engine if write else self.engine).connect() as conn:
                try:
                    with conn.begin():
                        yield conn
                        resolver: Resolver | None = conn.info.get(_RESOLVER)
                        if resolver is not None:
                            resolver.seal()
                    if resolver is not None:
                        resolver.cache.confirm()
                finally:
                    conn.info.pop(_RESOLVER, None)  # Connection.info outlives the transaction
        except (sa_exc.OperationalError, sa_exc.InterfaceError) as exc:
            raise translate_error(exc, self.url) from exc

    def resolver(self, s: Session | Connection) -> Resolver:
        """The entity resolver of a write transaction (one per transaction; its cache stays with
        the database connection for the next one, see ``mercato.store.resolver``).

        Ask for it before the transaction's first write: it compares the connection's change
        counter with the one it left, and a write it did not make looks like someone else's
        (harmless, but the cache is then dropped every time)."""
        # Session.info lives as long as the session (one transaction here); Connection.info as
        # long as the DBAPI connection, so _transaction() removes the resolver when it ends.
        resolver: Resolver | None = s.info.get(_RESOLVER)
        if resolver is None:
            conn = s.connection() if isinstance(s, Session) else s
            cache = conn.info.get(_CACHE)
            if cache is None:
                cache = conn.info[_CACHE] = RegistryCache()
            resolver = s.info[_RESOLVER] = Resolver(conn, cache)
        return resolver

    # -- articles -------------------------------------------------------------------------------
    def lookup(self, article: Article, fp: Fingerprint | None = None) -> AddResult | None:
        """An exact duplicate already stored (same canonical URL and content, or same content),
        without writing anything: callers skip analysing it."""
        fp = fp or Fingerprint.of(article)
        with self._transaction(write=False) as conn:
            return self._duplicate(self._known(conn, article, fp), fp)

    @staticmethod
    def _known(conn: Connection, article: Article, fp: Fingerprint) -> tuple[Row[Any] | None, int | None]:
        """In one query: the stored version of the same page (same canonical URL; without a URL,
        the same article id read from the same origin, i.e. a file edited and ingested again), and
        the first article with the same content."""
        if fp.canonical_url:
            rows = conn.execute(_SAME_URL_OR_CONTENT, {"url": fp.canonical_url, "hash": fp.content_hash})
        elif article.origin:
            params = {"external_id": article.id, "origin": article.origin, "hash": fp.content_hash}
            rows = conn.execute(_SAME_ORIGIN_OR_CONTENT, params)
        else:
            rows = conn.execute(_SAME_CONTENT, {"hash": fp.content_hash})
        same = hit = None
        for r in rows:
            if r.same and same is None:
                same = r
            elif not r.same:
                hit = r.id
        return same, hit

    @staticmethod
    def _duplicate(known: tuple[Row[Any] | None, int | None], fp: Fingerprint) -> AddResult | None:
        same, hit = known
        if same is not None:
            # The same page with other content is an update, even if that content is stored elsewhere.
            return AddResult("duplicate", same.id) if same.content_hash == fp.content_hash else None
        return AddResult("duplicate", hit) if hit is not None else None

    def add(self, article: Article, analysis: Analysis | None, fp: Fingerprint | None = None) -> AddResult:
        """Store one article and its analysis in one transaction (all or nothing)."""
        fp = fp or Fingerprint.of(article)
        for attempt in range(2):
            try:
                with self._transaction(write=True) as conn:
                    return self._add(conn, article, analysis, fp)
            except sa_exc.IntegrityError as exc:
                # Another process stored the same URL between our lookup and insert: look again.
                if attempt:
                    raise translate_error(exc, self.url) from exc
        raise AssertionError("unreachable")

    def _add(self, conn: Connection, article: Article, analysis: Analysis | None, fp: Fingerprint) -> AddResult:
        # Core statements throughout: the ORM's per-object bookkeeping cost more than the SQL.
        known = self._known(conn, article, fp)
        duplicate = self._duplicate(known, fp)
        if duplicate is not None:
            return duplicate
        resolver = self.resolver(conn)  # before the first write: it checks only we changed the database
        same = known[0]
        original = self._near_duplicate(conn, fp, exclude=same.id if same else None)
        values = self._article_values(article, analysis, fp)
        values["duplicate_of"] = original
        values["updated_at"] = utcnow()
        players: set[int] = set()  # whose claims this changes: their summaries go (see summaries)
        if same is not None:
            article_id = same.id
            players = summaries.claim_players(conn, CLAIMS.c.article_id == article_id)
            for table in (MENTIONS, CLAIMS, FACTS):
                conn.execute(delete(table).where(table.c.article_id == article_id))
            conn.execute(
                update(ARTICLES).where(ARTICLES.c.id == article_id).values(version=ARTICLES.c.version + 1),
                values,
            )
            status: AddStatus = "updated"
        else:
            values["version"] = 1
            values["created_at"] = values["updated_at"]
            (article_id,) = conn.execute(ARTICLES.insert(), values).inserted_primary_key  # type: ignore[misc]
            status = "near_duplicate" if original is not None else "new"
        mapping: dict[str, str] = {}
        if analysis is not None:
            mapping = self._store_analysis(resolver, article_id, values["published"], analysis, players)
        self._stale |= summaries.invalidate(conn, players)
        return AddResult(status, article_id, original, mapping)

    def _near_duplicate(self, conn: Connection, fp: Fingerprint, exclude: int | None) -> int | None:
        if fp.tokens < MIN_NEAR_DUP_TOKENS:
            return None
        b = fp.bands
        for art_id, sh, dup_of in conn.execute(_BAND_PROBE, {"b0": b[0], "b1": b[1], "b2": b[2], "b3": b[3]}):
            if art_id == exclude:
                continue
            if hamming(to_unsigned64(sh), fp.simhash) <= NEAR_DUPLICATE_BITS:
                # Point at the first copy seen, so every copy of a story counts as one.
                return dup_of or art_id
        return None

    @staticmethod
    def _article_values(article: Article, analysis: Analysis | None, fp: Fingerprint) -> dict[str, Any]:
        return {
            "external_id": article.id,
            "url": article.url,
            "canonical_url": fp.canonical_url,
            "content_hash": fp.content_hash,
            "simhash": to_signed64(fp.simhash),
            "band0": fp.bands[0],
            "band1": fp.bands[1],
            "band2": fp.bands[2],
            "band3": fp.bands[3],
            "title": article.title or (analysis.title if analysis else None),
            "outlet": article.outlet or (analysis.outlet if analysis else None),
            "author": article.author or (analysis.author if analysis else None),
            "language": (analysis.language if analysis else None) or article.language,
            "published": article.published or (analysis.published if analysis else None),
            "fetched": article.fetched,
            "text": article.text,
            "origin": article.origin,
            "analysis_warnings": list(analysis.warnings) if analysis and analysis.warnings else None,
        }

    # -- analysis rows --------------------------------------------------------------------------
    def _store_analysis(
        self, resolver: Resolver, article_id: int, published: str | None, analysis: Analysis, players: set[int]
    ) -> dict[str, str]:
        """Store the analysis rows of an article; adds the players of its claims to ``players``."""
        conn = resolver.conn
        clubs_of = _claim_clubs(analysis)
        # Organisations first: a person's club links are expressed in stored club keys.
        ordered = sorted(analysis.entities, key=lambda e: e.type.is_person)
        subjects = [
            registry.Subject(
                key=ent.id,
                name=ent.name,
                type=ent.type.value,
                kb_id=ent.kb_id,
                surfaces=list(ent.mentions),
                attributes=dict(ent.attributes),
            )
            for ent in ordered
        ]
        resolver.prefetch(subjects)
        ids: dict[str, int] = {}
        keys: dict[str, str] = {}
        for ent, subject in zip(ordered, subjects, strict=True):
            subject.clubs = {keys.get(c, c) for c in clubs_of.get(ent.id, set())}
            erow = resolver.place(subject, ent)
            ids[ent.id] = erow.id
            keys[ent.id] = erow.key
        resolver.flush()  # the entities exist before the rows that refer to them
        mention_rows: list[tuple[Any, ...]] = []  # article_id, entity_id, analysis_id, surface, start, end
        for ent in analysis.entities:
            eid = ids[ent.id]
            if ent.spans:
                mention_rows.extend((article_id, eid, ent.id, sp.text[:300], sp.start, sp.end) for sp in ent.spans)
            else:
                mention_rows.extend((article_id, eid, ent.id, m[:300], None, None) for m in ent.mentions or [ent.name])
        if mention_rows:
            insert_plain(conn, "mentions", _MENTION_COLUMNS, mention_rows)
        by_name = {fold(e.name): e.id for e in analysis.entities}

        def ref(entity_id: str | None, name: str | None) -> int | None:
            if entity_id and entity_id in ids:
                return ids[entity_id]
            if name and fold(name) in by_name:
                return ids[by_name[fold(name)]]
            return None

        claim_rows = [
            {
                "article_id": article_id,
                "type": c.type.value,
                "player_id": ref(c.player_id, c.player),
                "club_id": ref(c.club_id, c.club),
                "from_club_id": ref(c.from_club_id, c.from_club),
                "source_id": ref(c.source_id, c.source),
                "player": c.player,
                "club": c.club,
                "from_club": c.from_club,
                "source": c.source,
                "status": c.status.value,
                "date": c.date,
                "published": published,
                "fee": c.fee,
                "detail": c.detail,
                "counterpart": c.counterpart,
                "evidence": c.evidence,
                "evidence_start": c.evidence_span[0],
                "evidence_end": c.evidence_span[1],
                "confidence": c.confidence,
                "source_platform": c.source_platform,
            }
            for c in analysis.claims
        ]
        if claim_rows:
            conn.execute(CLAIMS.insert(), claim_rows)
            players.update(r["player_id"] for r in claim_rows if r["player_id"] is not None)
        fact_rows = [
            {
                "article_id": article_id,
                "kind": f.kind,
                "subject_id": ref(f.subject_id, f.subject),
                "subject": f.subject,
                "value": f.value,
                "club_id": ref(None, f.club),
                "club": f.club,
                "competition": f.competition,
                "date": f.date,
                "evidence_start": f.evidence_span[0],
                "evidence_end": f.evidence_span[1],
                "origin": "analysis",
            }
            for f in analysis.facts
        ]
        if fact_rows:
            conn.execute(FACTS.insert(), fact_rows)
        return keys

    @staticmethod
    def _follow(s: Session, row: EntityRow) -> EntityRow:
        seen = {row.id}
        while row.merged_into is not None and row.merged_into not in seen:
            seen.add(row.merged_into)
            row = s.get_one(EntityRow, row.merged_into)
        return row

    def _unique_key(self, s: Session, key: str) -> str:
        if s.scalar(select(EntityRow.id).where(EntityRow.key == key)) is None:
            return key
        n = 2
        while s.scalar(select(EntityRow.id).where(EntityRow.key == f"{key}-{n}")) is not None:
            n += 1
        return f"{key}-{n}"

    @staticmethod
    def _index_names(s: Session, entity_id: int, forms: Iterable[str]) -> None:
        keys: set[str] = set()
        for sn in registry.person_surnames(forms):
            keys |= registry.surname_keys(sn)
        if not keys:
            return
        have = set(
            s.scalars(
                select(NameKeyRow.key).where(NameKeyRow.entity_id == entity_id, NameKeyRow.key.in_(keys))
            )
        )
        new = [{"key": k, "entity_id": entity_id} for k in sorted(keys - have)]
        if new:
            s.execute(NameKeyRow.__table__.insert(), new)

    # -- entities: lookup -------------------------------------------------------------------------
    def find_entity(self, ref: str) -> EntityRow | None:
        """An entity by key (``person:jose-luis-palomino``), KB id, or exact (folded) name/alias.
        Merged entities resolve to the entity they were merged into."""
        with self.session() as s:
            return self._find_entity(s, ref)

    def _find_entity(self, s: Session, ref: str) -> EntityRow | None:
        row = s.scalar(select(EntityRow).where(EntityRow.key == ref))
        if row is None:
            row = s.scalar(select(EntityRow).where(EntityRow.kb_id == ref).order_by(EntityRow.id).limit(1))
        if row is None:
            folded = fold(ref)
            ids = list(
                s.scalars(
                    select(AliasRow.entity_id)
                    .where(AliasRow.folded == folded, AliasRow.origin != "blocked")
                    .distinct()
                )
            )
            live = {self._follow(s, s.get_one(EntityRow, i)).id for i in ids}
            if len(live) == 1:
                row = s.get_one(EntityRow, live.pop())
            elif len(live) > 1:
                names = ", ".join(sorted(s.get_one(EntityRow, i).key for i in live))
                raise StoreError(f"{ref!r} names several entities: {names}; use one of these keys")
        return self._follow(s, row) if row is not None else None

    def require_entity(self, ref: str) -> EntityRow:
        row = self.find_entity(ref)
        if row is None:
            hint = self.suggest(ref)
            more = f"; did you mean {', '.join(hint)}?" if hint else ""
            raise StoreError(f"no entity {ref!r}{more}")
        return row

    def suggest(self, text: str, limit: int = 5) -> list[str]:
        return [f"{name} ({key})" for key, name, _ in self.search_entities(text, limit=limit)]

    def search_entities(
        self, text: str, limit: int = 20, etype: str | None = None
    ) -> list[tuple[str, str, float]]:
        """Entities whose name or alias is close to ``text`` (typo tolerant): (key, name, score)."""
        from rapidfuzz import fuzz, process

        folded = fold(text)
        if not folded:
            return []
        with self.session() as s:
            q = (
                select(AliasRow.folded, EntityRow.key, EntityRow.name, EntityRow.type)
                .join(EntityRow, EntityRow.id == AliasRow.entity_id)
                .where(EntityRow.merged_into.is_(None), AliasRow.origin != "blocked")
            )
            if etype:
                q = q.where(EntityRow.type == etype)
            # Narrow by a token or a prefix in SQL when the store is large; rapidfuzz ranks the rest.
            tokens = [t for t in folded.split() if len(t) >= 3]
            count = s.scalar(select(func.count()).select_from(AliasRow)) or 0
            if count > 50000 and tokens:
                q = q.where(or_(*[AliasRow.folded.like(f"%{t[:3]}%") for t in tokens]))
            rows = s.execute(q).all()
        choices: dict[str, tuple[str, str]] = {}
        best: dict[str, float] = {}
        for alias, key, name, _ in rows:
            choices.setdefault(alias, (key, name))
        matches = process.extract(folded, list(choices), scorer=fuzz.WRatio, limit=limit * 4, score_cutoff=70)
        out: list[tuple[str, str, float]] = []
        by_alias: dict[str, list[tuple[str, str]]] = {}
        for alias, key, name, _ in rows:
            by_alias.setdefault(alias, []).append((key, name))
        for alias, score, _ in matches:
            for key, name in by_alias[alias]:
                if score > best.get(key, -1):
                    best[key] = score
                    out = [o for o in out if o[0] != key] + [(key, name, float(score))]
        out.sort(key=lambda o: (-o[2], o[1]))
        return out[:limit]

    def entity_info(self, ref: str) -> EntityInfo:
        row = self.require_entity(ref)
        with self.session() as s:
            aliases = [
                (a, o)
                for a, o in s.execute(
                    select(AliasRow.surface, AliasRow.origin)
                    .where(AliasRow.entity_id == row.id)
                    .order_by(AliasRow.id)
                )
            ]
            articles = s.scalar(
                select(func.count(func.distinct(MentionRow.article_id))).where(MentionRow.entity_id == row.id)
            )
            claims = s.scalar(
                select(func.count())
                .select_from(ClaimRow)
                .where(or_(ClaimRow.player_id == row.id, ClaimRow.club_id == row.id))
            )
        return EntityInfo(
            row.key,
            row.name,
            row.type,
            row.kb_id,
            dict(row.attributes or {}),
            aliases,
            articles or 0,
            claims or 0,
        )

    # -- corrections ------------------------------------------------------------------------------
    def merge(self, keep_ref: str, drop_ref: str, note: str | None = None) -> tuple[str, str]:
        """Merge ``drop`` into ``keep``: its mentions, claims, facts and aliases move; its key keeps
        resolving to ``keep``. Recorded, so it survives re-analysis."""
        keep, drop = self.require_entity(keep_ref), self.require_entity(drop_ref)
        if keep.id == drop.id:
            raise StoreError(f"{keep_ref!r} and {drop_ref!r} are already the same entity ({keep.key})")
        if keep.type != drop.type:
            raise StoreError(f"cannot merge a {keep.type} ({keep.key}) with a {drop.type} ({drop.key})")
        with self.session(write=True) as s:
            s.add(CorrectionRow(kind="merge", payload={"keep": keep.key, "drop": drop.key}, note=note))
            self._apply_merge(s, keep.key, drop.key)
        self.refresh_summaries()
        return keep.key, drop.key

    def _apply_merge(self, s: Session, keep_key: str, drop_key: str) -> None:
        keep = s.scalar(select(EntityRow).where(EntityRow.key == keep_key))
        drop = s.scalar(select(EntityRow).where(EntityRow.key == drop_key))
        if keep is None or drop is None:
            return
        keep = self._follow(s, keep)
        if keep.id == drop.id:
            return
        # Players whose claims name `drop` (as player, club or source): their summaries change.
        cols = (ClaimRow.player_id, ClaimRow.club_id, ClaimRow.from_club_id, ClaimRow.source_id)
        players = summaries.claim_players(s.connection(), or_(*(col == drop.id for col in cols)))
        # Everything that was merged into `drop` now points at `keep` directly.
        s.execute(update(EntityRow).where(EntityRow.merged_into == drop.id).values(merged_into=keep.id))
        s.execute(update(MentionRow).where(MentionRow.entity_id == drop.id).values(entity_id=keep.id))
        for col in cols:
            s.execute(update(ClaimRow).where(col == drop.id).values({col.key: keep.id}))
        for col in (FactRow.subject_id, FactRow.club_id):
            s.execute(update(FactRow).where(col == drop.id).values({col.key: keep.id}))
        have = set(s.execute(select(AliasRow.surface, AliasRow.origin).where(AliasRow.entity_id == keep.id)))
        for alias in list(s.scalars(select(AliasRow).where(AliasRow.entity_id == drop.id))):
            if (alias.surface, alias.origin) in have:
                s.delete(alias)
            else:
                alias.entity_id = keep.id
        keys = set(s.scalars(select(NameKeyRow.key).where(NameKeyRow.entity_id == keep.id)))
        for nk in list(s.scalars(select(NameKeyRow).where(NameKeyRow.entity_id == drop.id))):
            if nk.key in keys:
                s.delete(nk)
            else:
                s.add(NameKeyRow(key=nk.key, entity_id=keep.id))
                s.delete(nk)
        attrs = dict(keep.attributes or {})
        for k, v in (drop.attributes or {}).items():
            if k == "clubs_seen":
                attrs[k] = sorted(set(attrs.get(k, [])) | set(v))
            else:
                attrs.setdefault(k, v)
        keep.attributes = attrs
        if len(fold_tokens(drop.name)) > len(fold_tokens(keep.name)) and not keep.kb_id:
            keep.name = drop.name
        drop.merged_into = keep.id
        s.flush()
        self._stale |= summaries.invalidate(s.connection(), players | {keep.id, drop.id})

    def split(self, ref: str, aliases: list[str], name: str | None = None, note: str | None = None) -> str:
        """Split off a new entity from ``ref``: mentions written as one of ``aliases`` (folded), and
        the claims and facts of those articles about it, move to the new entity; the aliases become
        manual aliases of the new entity and are blocked on the old one. Returns the new key."""
        if not aliases:
            raise StoreError("split needs at least one --alias naming the mentions to move")
        source = self.require_entity(ref)
        new_name = name or aliases[0]
        with self.session(write=True) as s:
            key = self._unique_key(s, f"{source.key.split(':', 1)[0]}:{slug(new_name)}")
            s.add(
                CorrectionRow(
                    kind="split",
                    payload={
                        "from": source.key,
                        "new": key,
                        "name": new_name,
                        "type": source.type,
                        "aliases": aliases,
                    },
                    note=note,
                )
            )
            self._apply_split(s, source.key, key, new_name, source.type, aliases)
        self.refresh_summaries()
        return key

    def _apply_split(
        self, s: Session, from_key: str, new_key: str, name: str, etype: str, aliases: list[str]
    ) -> None:
        src = s.scalar(select(EntityRow).where(EntityRow.key == from_key))
        if src is None:
            return
        src = self._follow(s, src)
        new = s.scalar(select(EntityRow).where(EntityRow.key == new_key))
        if new is None:
            new = EntityRow(key=new_key, name=name, type=etype, attributes={})
            s.add(new)
            s.flush()
        folded = {fold(a) for a in aliases}
        for a in aliases:
            self._ensure_alias(s, new.id, a, "manual")
            self._ensure_alias(s, src.id, a, "blocked")
        # Analysis aliases of the old entity that the split names belong to the new one now.
        s.execute(
            delete(AliasRow).where(
                AliasRow.entity_id == src.id, AliasRow.origin == "analysis", AliasRow.folded.in_(folded)
            )
        )
        if etype in registry.PERSON_TYPES:
            self._index_names(s, new.id, [name, *aliases])
        moved_articles: dict[int, set[str]] = {}
        for m in list(s.scalars(select(MentionRow).where(MentionRow.entity_id == src.id))):
            if fold(m.surface) in folded:
                m.entity_id = new.id
                moved_articles.setdefault(m.article_id, set()).add(m.analysis_id)
        # In an article where every mention moved, its claims and facts about the entity move too.
        for art_id, analysis_ids in moved_articles.items():
            still = s.scalar(
                select(func.count())
                .select_from(MentionRow)
                .where(
                    MentionRow.article_id == art_id,
                    MentionRow.entity_id == src.id,
                    MentionRow.analysis_id.in_(analysis_ids),
                )
            )
            if still:
                # Mixed surfaces in one article: move the rest too; the analysis saw one person.
                s.execute(
                    update(MentionRow)
                    .where(
                        MentionRow.article_id == art_id,
                        MentionRow.entity_id == src.id,
                        MentionRow.analysis_id.in_(analysis_ids),
                    )
                    .values(entity_id=new.id)
                )
            for col in (ClaimRow.player_id, ClaimRow.club_id, ClaimRow.from_club_id, ClaimRow.source_id):
                s.execute(
                    update(ClaimRow)
                    .where(ClaimRow.article_id == art_id, col == src.id)
                    .values({col.key: new.id})
                )
            for col in (FactRow.subject_id, FactRow.club_id):
                s.execute(
                    update(FactRow)
                    .where(FactRow.article_id == art_id, col == src.id)
                    .values({col.key: new.id})
                )
        if src.name and fold(src.name) in folded:
            # The old entity was named by a form that now belongs to the new one: rename it after
            # its most frequent remaining surface.
            best = s.execute(
                select(MentionRow.surface, func.count())
                .where(MentionRow.entity_id == src.id)
                .group_by(MentionRow.surface)
                .order_by(func.count().desc())
                .limit(1)
            ).first()
            if best:
                src.name = best[0]
        s.flush()
        if moved_articles:
            conn = s.connection()
            moved = sorted(moved_articles)
            players = {src.id, new.id}
            for i in range(0, len(moved), 500):
                players |= summaries.claim_players(conn, ClaimRow.article_id.in_(moved[i : i + 500]))
            self._stale |= summaries.invalidate(conn, players)

    def add_alias(self, ref: str, alias: str, note: str | None = None) -> str:
        """A manual alias: from now on a mention written ``alias`` is this entity."""
        row = self.require_entity(ref)
        if not fold(alias):
            raise StoreError(f"alias {alias!r} has no letters or digits")
        with self.session(write=True) as s:
            s.add(CorrectionRow(kind="alias", payload={"entity": row.key, "alias": alias}, note=note))
            self._apply_alias(s, row.key, alias)
        return row.key

    def _apply_alias(self, s: Session, key: str, alias: str) -> None:
        row = s.scalar(select(EntityRow).where(EntityRow.key == key))
        if row is None:
            return
        row = self._follow(s, row)
        # The user's alias wins: the same form stops pointing at another entity manually.
        s.execute(
            delete(AliasRow).where(
                AliasRow.folded == fold(alias), AliasRow.origin == "manual", AliasRow.entity_id != row.id
            )
        )
        s.execute(
            delete(AliasRow).where(
                AliasRow.entity_id == row.id, AliasRow.origin == "blocked", AliasRow.folded == fold(alias)
            )
        )
        self._ensure_alias(s, row.id, alias, "manual")
        if row.type in registry.PERSON_TYPES:
            self._index_names(s, row.id, [alias])

    @staticmethod
    def _ensure_alias(s: Session, entity_id: int, surface: str, origin: str) -> None:
        exists = s.scalar(
            select(AliasRow.id).where(
                AliasRow.entity_id == entity_id, AliasRow.surface == surface, AliasRow.origin == origin
            )
        )
        if exists is None:
            s.add(AliasRow(entity_id=entity_id, folded=fold(surface), surface=surface, origin=origin))
            s.flush()

    def corrections(self) -> list[tuple[int, str, dict[str, Any]]]:
        with self.session() as s:
            return [
                (r.id, r.kind, dict(r.payload))
                for r in s.scalars(select(CorrectionRow).order_by(CorrectionRow.id))
            ]

    def replay_corrections(self, s: Session | None = None) -> int:
        """Apply every recorded correction again, in order (each is idempotent)."""
        if s is None:
            with self.session(write=True) as sess:
                return self.replay_corrections(sess)
        n = 0
        for corr in list(s.scalars(select(CorrectionRow).order_by(CorrectionRow.id))):
            p = corr.payload
            if corr.kind == "merge":
                self._apply_merge(s, p["keep"], p["drop"])
            elif corr.kind == "split":
                self._apply_split(s, p["from"], p["new"], p["name"], p["type"], list(p["aliases"]))
            elif corr.kind == "alias":
                self._apply_alias(s, p["entity"], p["alias"])
            n += 1
        return n

    # -- re-analysis ------------------------------------------------------------------------------
    def reanalyze(
        self,
        analyze: Callable[[Article], Analysis],
        on_result: Callable[[str, AddResult | Exception], None] | None = None,
    ) -> tuple[int, int]:
        """Analyse every stored article again (a new analyzer version): mentions, claims and facts
        are rebuilt article by article, then the corrections are replayed. Returns (done, failed)."""
        with self.session() as s:
            ids = list(s.scalars(select(ArticleRow.id).order_by(ArticleRow.id)))
        done = failed = 0
        for art_id in ids:
            with self.session() as s:
                row = s.get(ArticleRow, art_id)
                if row is None:
                    continue
                article = article_from_row(row)
            try:
                analysis = analyze(article)
            except Exception as exc:  # a failing article must not stop the others
                failed += 1
                if on_result:
                    on_result(article.origin or article.id, exc)
                continue
            with self.session(write=True) as s:
                resolver = self.resolver(s)  # before the first write (see Store.resolver)
                row = s.get_one(ArticleRow, art_id)
                conn = s.connection()
                players = summaries.claim_players(conn, ClaimRow.article_id == art_id)
                for table in (MentionRow, ClaimRow, FactRow):
                    s.execute(delete(table).where(table.article_id == art_id))  # type: ignore[attr-defined]
                row.language = analysis.language or row.language
                row.analysis_warnings = list(analysis.warnings) or None
                keys = self._store_analysis(resolver, art_id, row.published, analysis, players)
                self._stale |= summaries.invalidate(conn, players)
            done += 1
            if on_result:
                on_result(article.origin or article.id, AddResult("updated", art_id, row.duplicate_of, keys))
        self.replay_corrections()
        self.refresh_summaries()
        return done, failed

    def refresh_summaries(self) -> int:
        """Write the summaries of the players whose claims this store changed since the last call
        (``mercato.store.summaries``); returns how many it wrote. Cheap when there are none."""
        if not self._stale:
            return 0
        stale, self._stale = self._stale, set()
        try:
            with self._transaction(write=True) as conn:
                skipped = summaries.refresh(conn, stale)
        except BaseException:
            self._stale |= stale
            raise
        self._stale |= skipped
        return len(stale) - len(skipped)

    def fill_summaries(self) -> int:
        """Write every missing player summary (a migrated store, a bulk load); returns how many."""
        with self._transaction(write=True) as conn:
            return summaries.fill(conn)

    # -- reading ----------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        with self.session() as s:
            return {
                name: s.scalar(select(func.count()).select_from(model)) or 0
                for name, model in (
                    ("articles", ArticleRow),
                    ("entities", EntityRow),
                    ("aliases", AliasRow),
                    ("mentions", MentionRow),
                    ("claims", ClaimRow),
                    ("facts", FactRow),
                    ("corrections", CorrectionRow),
                )
            }

    def entity_keys(self) -> dict[int, str]:
        with self.session() as s:
            return dict(s.execute(select(EntityRow.id, EntityRow.key)).all())


def article_from_row(row: ArticleRow) -> Article:
    return Article(
        id=row.external_id,
        text=row.text,
        title=row.title,
        url=row.url,
        published=row.published,
        author=row.author,
        outlet=row.outlet,
        language=row.language,
        fetched=row.fetched,
        origin=row.origin,
    )


def _claim_clubs(analysis: Analysis) -> dict[str, set[str]]:
    """Analysis entity id of a player -> analysis ids of the clubs its claims link it to."""
    by_name = {fold(e.name): e.id for e in analysis.entities}
    out: dict[str, set[str]] = {}
    for c in analysis.claims:
        pid = c.player_id or by_name.get(fold(c.player))
        if not pid:
            continue
        for cid, cname in ((c.club_id, c.club), (c.from_club_id, c.from_club)):
            ref = cid or (by_name.get(fold(cname)) if cname else None)
            if ref:
                out.setdefault(pid, set()).add(ref)
    return out
