"""Dossier query latency (p50/p95) through the real service functions, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/bench_dossier.py --db /tmp/bench.sqlite            # build if empty, then time
    .venv/bin/python benchmarks/bench_dossier.py --db postgresql://user@host/db
    .venv/bin/python benchmarks/bench_dossier.py --postgres                         # throwaway local server

The store is the synthetic one of ``benchmarks/make_synthetic_store.py`` (default 100k articles,
1M claims, 20k players, 500 clubs). Each timed call is a full ``player_dossier`` /
``club_dossier``: entity lookup by name, claims, facts, the ladder, credibility and the chronicle
(everything the CLI, API and web UI get), not just the SQL. Target: p95 <= 50 ms for both (the
club dossier reads the player summaries the synthetic builder writes at the end).
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from mercato.service.dossier import club_dossier, player_dossier
from mercato.store import Store

HERE = Path(__file__).resolve().parent


def _load(path: Path, name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def timed(label: str, fn: Callable[[int], Any], ids: list[int]) -> dict[str, float]:
    fn(ids[0])  # warm caches (KB, templates, connection pool) once, as a running server would be
    times = []
    for i in ids:
        t = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(f"{label}: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms ({len(ids)} runs)")
    return {"p50": statistics.median(times), "p95": p95}


def run(url: str, args: argparse.Namespace) -> None:
    synth = _load(HERE / "make_synthetic_store.py", "make_synthetic_store")
    store = Store.open(url)
    try:
        if not store.counts()["articles"]:
            t = time.perf_counter()
            synth.build(store, args.articles, args.claims_per_article, args.players, args.clubs, args.seed)
            print(f"built in {time.perf_counter() - t:.0f}s")
        counts = store.counts()
        print(f"{store!r}: {counts['articles']} articles, {counts['claims']} claims")
        rng = random.Random(args.seed + 2)
        today = date(2025, 1, 1)
        players = [rng.randrange(args.players) for _ in range(args.runs)]
        # By name, as a user types it: the alias lookup is part of the cost.
        timed("player dossier", lambda i: player_dossier(store, f"Player Number{i}", today=today), players)
        clubs = [rng.randrange(args.clubs) for _ in range(max(20, args.runs // 10))]
        timed("club dossier", lambda i: club_dossier(store, f"Club {i}", today=today), clubs)
    finally:
        store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="SQLite path or postgresql:// URL (built when empty)")
    ap.add_argument("--postgres", action="store_true", help="start a throwaway local PostgreSQL server")
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--claims-per-article", type=int, default=10)
    ap.add_argument("--players", type=int, default=20_000)
    ap.add_argument("--clubs", type=int, default=500)
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    if args.postgres:
        pg = _load(HERE.parent / "tests" / "store" / "conftest.py", "_store_pg")
        bindir = pg._pg_bindir()
        if bindir is None:
            raise SystemExit("no PostgreSQL binaries (initdb/pg_ctl) found")
        server = pg.PgServer(bindir)
        server.start()
        try:
            run(server.create_database(), args)
        finally:
            server.stop()
    elif args.db:
        run(args.db, args)
    else:
        raise SystemExit("give --db or --postgres")


if __name__ == "__main__":
    main()
