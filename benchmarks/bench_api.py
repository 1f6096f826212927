"""Latency and throughput of ``mercato serve`` on the synthetic store (100k articles, 1M claims).

    .venv/bin/python benchmarks/bench_api.py --db /tmp/bench.sqlite            # builds it if missing
    .venv/bin/python benchmarks/bench_api.py --db /tmp/bench.sqlite --requests 400 --load-seconds 15

1. The server runs as its own process (``mercato serve`` on a free loopback port), so the load
   generator does not share its interpreter lock.
2. Latency: one client, sequential GETs of random players' dossier (API and HTML page) and a few
   other endpoints; p50 / p95 / max in ms (target: p95 <= 100 ms for the dossier).
3. Throughput: ``--concurrency`` clients on loopback for at most ``--load-requests`` requests or
   ``--load-seconds`` seconds, whichever comes first; requests per second and errors.

Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
N_PLAYERS, N_CLUBS = 20_000, 500  # make_synthetic_store.py defaults


# (label, URL from a random generator, share of --requests): the dossier first, it is the target.
CASES: list[tuple[str, Callable[[random.Random], str], float]] = [
    ("GET /api/v1/players/{key}", lambda r: f"/api/v1/players/person:p{r.randrange(N_PLAYERS)}", 1.0),
    ("GET /players/{key} (HTML)", lambda r: f"/players/person:p{r.randrange(N_PLAYERS)}", 1.0),
    ("GET /api/v1/players/{key}/timeline", lambda r: f"/api/v1/players/person:p{r.randrange(N_PLAYERS)}/timeline", 0.3),
    ("GET /api/v1/clubs/{key}", lambda r: f"/api/v1/clubs/club:c{r.randrange(N_CLUBS)}", 0.1),
    ("GET /api/v1/search?q=", lambda r: f"/api/v1/search?q=Number{r.randrange(N_PLAYERS)}", 0.3),
    ("GET /api/v1/claims?club=&type=", lambda r: f"/api/v1/claims?club=club:c{r.randrange(N_CLUBS)}&type=loan", 0.3),
    ("GET /articles/{id} (HTML)", lambda r: f"/articles/{r.randrange(1, 100_000)}", 0.3),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ensure_store(db: str) -> None:
    if Path(db).exists():
        return
    print(f"building the synthetic store {db} (about a minute)...", flush=True)
    subprocess.run([sys.executable, str(HERE / "make_synthetic_store.py"), "--db", db, "--runs", "20"], check=True)


def start_server(db: str, port: int, workers: int = 1) -> subprocess.Popen[bytes]:
    mercato = Path(sys.executable).with_name("mercato")
    cmd = [str(mercato), "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    cmd += ["--workers", str(workers)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, env={**os.environ, "MERCATO_API_TOKEN": ""})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def pct(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def latency(client: httpx.Client, label: str, make_url: Callable[[random.Random], str], n: int, seed: int) -> None:
    rng = random.Random(seed)
    times: list[float] = []
    sizes: list[int] = []
    for _ in range(n):
        url = make_url(rng)
        t = time.perf_counter()
        r = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        if r.status_code != 200:
            raise SystemExit(f"{url}: HTTP {r.status_code}")
        sizes.append(len(r.content))
    print(
        f"{label:<36} p50 {statistics.median(times):6.1f} ms   p95 {pct(times, 0.95):6.1f} ms   "
        f"max {max(times):6.1f} ms   ({n} requests, ~{statistics.median(sizes) / 1024:.0f} KiB)",
        flush=True,
    )


async def load(base: str, concurrency: int, max_requests: int, max_seconds: float, seed: int) -> None:
    rng = random.Random(seed)
    urls = [f"/api/v1/players/person:p{rng.randrange(N_PLAYERS)}" for _ in range(max_requests)]
    done = errors = 0
    stop_at = time.perf_counter() + max_seconds
    it = iter(urls)

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal done, errors
        for url in it:  # the shared iterator bounds the total count
            if time.perf_counter() > stop_at:
                return
            try:
                r = await client.get(url)
                errors += r.status_code != 200
            except httpx.HTTPError:
                errors += 1
            done += 1

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - t0
    print(
        f"load: {done} dossier requests, {concurrency} concurrent clients, {elapsed:.1f} s -> "
        f"{done / elapsed:.0f} requests/s, {errors} errors",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default="/tmp/bench.sqlite", help="synthetic SQLite store (built when missing)")
    ap.add_argument("--requests", type=int, default=300, help="sequential requests per latency line")
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--load-requests", type=int, default=3000)
    ap.add_argument("--load-seconds", type=float, default=20.0)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--workers", type=int, default=1, help="server processes (mercato serve --workers)")
    args = ap.parse_args()

    ensure_store(args.db)
    port = free_port()
    server = start_server(args.db, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            for _ in range(20):  # warm up: imports, templates, SQLite page cache
                client.get(f"/api/v1/players/person:p{random.randrange(N_PLAYERS)}")
                client.get(f"/players/person:p{random.randrange(N_PLAYERS)}")
            n = args.requests
            for label, make_url, count in CASES:
                latency(client, label, make_url, max(10, int(n * count)), seed=len(label))
        asyncio.run(load(base, args.concurrency, args.load_requests, args.load_seconds, args.seed))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
