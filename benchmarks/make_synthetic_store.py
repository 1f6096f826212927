"""Build a synthetic store (default 100k articles, 1M claims) and time the dossier queries.

    .venv/bin/python benchmarks/make_synthetic_store.py --db /tmp/bench.sqlite
    .venv/bin/python benchmarks/make_synthetic_store.py --db postgresql://user@host/db

Rows go in with bulk executemany (no ORM, no analysis), so the figure measures the schema and its
indexes, not the analyzer. Then it times the per-player and per-club dossier queries (p50/p95).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, text

from mercato.store import Store
from mercato.store.models import AliasRow, ArticleRow, ClaimRow, EntityRow, MentionRow
from mercato.store.store import to_signed64

CLAIM_TYPES = ["interest", "negotiation", "agreement", "transfer", "loan", "departure", "contract_expiry"]
STATUSES = ["rumour", "reported", "official", "denied"]
CHUNK = 20_000

PLAYER_DOSSIER = text(
    "SELECT c.id, c.type, c.status, c.date, c.published, c.club, c.evidence, a.title, a.outlet, a.url, "
    "a.duplicate_of FROM claims c JOIN articles a ON a.id = c.article_id "
    "WHERE c.player_id = :eid ORDER BY c.published DESC LIMIT 200"
)
CLUB_DOSSIER = text(
    "SELECT c.id, c.type, c.status, c.date, c.published, c.player, a.title, a.outlet FROM claims c "
    "JOIN articles a ON a.id = c.article_id WHERE c.club_id = :eid ORDER BY c.published DESC LIMIT 200"
)


def build(store: Store, n_articles: int, claims_per_article: int, n_players: int, n_clubs: int, seed: int) -> None:
    rng = random.Random(seed)
    sqlite = store.url.startswith("sqlite")
    with store.engine.begin() as conn:
        now = datetime.now(UTC)
        clubs = [
            {"id": i + 1, "key": f"club:c{i}", "name": f"Club {i}", "type": "club", "attributes": {},
             "created_at": now, "updated_at": now}
            for i in range(n_clubs)
        ]  # fmt: skip
        players = [
            {"id": n_clubs + i + 1, "key": f"person:p{i}", "name": f"Player Number{i}", "type": "player",
             "attributes": {}, "created_at": now, "updated_at": now}
            for i in range(n_players)
        ]  # fmt: skip
        conn.execute(insert(EntityRow), clubs + players)
        conn.execute(
            insert(AliasRow),
            [{"entity_id": e["id"], "folded": e["name"].lower(), "surface": e["name"], "origin": "analysis",
              "created_at": now} for e in clubs + players],
        )  # fmt: skip
    claim_id = 0
    t0 = time.perf_counter()
    for start in range(0, n_articles, CHUNK // claims_per_article * 10):
        stop = min(n_articles, start + CHUNK // claims_per_article * 10)
        arts: list[dict[str, Any]] = []
        claims: list[dict[str, Any]] = []
        mentions: list[dict[str, Any]] = []
        for i in range(start, stop):
            sh = rng.getrandbits(64)
            day = f"20{rng.randint(15, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            arts.append({
                "id": i + 1, "external_id": f"a{i}", "url": f"https://example.com/{i}",
                "canonical_url": f"https://example.com/{i}", "content_hash": f"{i:064x}",
                "simhash": to_signed64(sh), "band0": sh & 0xFFFF, "band1": (sh >> 16) & 0xFFFF,
                "band2": (sh >> 32) & 0xFFFF, "band3": (sh >> 48) & 0xFFFF, "title": f"Article {i}",
                "outlet": f"Outlet {i % 50}", "language": "it", "published": day, "text": f"Synthetic article {i}.",
                "origin": "synthetic", "version": 1, "created_at": now, "updated_at": now,
            })  # fmt: skip
            for _ in range(claims_per_article):
                claim_id += 1
                p = n_clubs + rng.randrange(n_players) + 1
                c = rng.randrange(n_clubs) + 1
                claims.append({
                    "id": claim_id, "article_id": i + 1, "type": rng.choice(CLAIM_TYPES), "player_id": p,
                    "club_id": c, "from_club_id": rng.randrange(n_clubs) + 1, "player": f"Player Number{p}",
                    "club": f"Club {c}", "status": rng.choice(STATUSES), "date": day[:7], "published": day,
                    "evidence": "synthetic evidence", "evidence_start": 0, "evidence_end": 10, "confidence": 0.5,
                })  # fmt: skip
                mentions.append({"article_id": i + 1, "entity_id": p, "analysis_id": f"person:p{p}",
                                 "surface": "Number", "start": 0, "end": 6})  # fmt: skip
        with store.engine.begin() as conn:
            conn.execute(insert(ArticleRow), arts)
            conn.execute(insert(ClaimRow), claims)
            conn.execute(insert(MentionRow), mentions)
        print(f"  {stop} articles, {claim_id} claims, {time.perf_counter() - t0:.0f}s", flush=True)
    # Rows went in behind the store's back: write the player summaries the club view reads.
    t1 = time.perf_counter()
    n = store.fill_summaries()
    print(f"  {n} player summaries, {time.perf_counter() - t1:.0f}s", flush=True)
    if not sqlite:
        with store.engine.begin() as conn:
            # Sequences follow the explicit ids, then fresh statistics for the planner.
            for table in ("articles", "entities", "claims"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
            conn.exec_driver_sql("ANALYZE")
    else:
        with store.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")


def time_queries(store: Store, n_players: int, n_clubs: int, runs: int, seed: int) -> None:
    rng = random.Random(seed + 1)
    for label, query, lo, hi in (
        ("player dossier", PLAYER_DOSSIER, n_clubs + 1, n_clubs + n_players),
        ("club dossier", CLUB_DOSSIER, 1, n_clubs),
    ):
        times = []
        with store.engine.connect() as conn:
            for _ in range(runs):
                eid = rng.randint(lo, hi)
                t = time.perf_counter()
                rows = conn.execute(query, {"eid": eid}).fetchall()
                times.append((time.perf_counter() - t) * 1000)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"{label}: p50 {statistics.median(times):.2f} ms, p95 {p95:.2f} ms ({runs} runs, last {len(rows)} rows)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True, help="SQLite path or postgresql:// URL (must be empty)")
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--claims-per-article", type=int, default=10)
    ap.add_argument("--players", type=int, default=20_000)
    ap.add_argument("--clubs", type=int, default=500)
    ap.add_argument("--runs", type=int, default=500)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--query-only", action="store_true", help="only time the queries on an existing store")
    args = ap.parse_args()
    store = Store.open(args.db)
    if not args.query_only:
        if store.counts()["articles"]:
            raise SystemExit(f"{args.db} is not empty; use --query-only or a fresh database")
        t = time.perf_counter()
        build(store, args.articles, args.claims_per_article, args.players, args.clubs, args.seed)
        print(f"built {args.articles} articles / {args.articles * args.claims_per_article} claims "
              f"in {time.perf_counter() - t:.1f}s")  # fmt: skip
    time_queries(store, args.players, args.clubs, args.runs, args.seed)
    store.close()


if __name__ == "__main__":
    main()
