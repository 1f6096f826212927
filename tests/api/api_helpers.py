"""Shared by tests/api and tests/web: a demo store filled through the real ingest path, and a
real uvicorn server on a free loopback port."""

from __future__ import annotations

import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import uvicorn

from mercato.ingest.files import iter_articles
from mercato.service.ingest import ingest_items
from mercato.store import Store

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "src" / "mercato" / "demo"
TOKEN = "test-token-0123456789"


@lru_cache(maxsize=1)
def demo_db() -> Path:
    """A SQLite store with the 16 demo articles, ingested once per test process with the real
    analysis engine (the same path as ``mercato ingest``)."""
    path = Path(tempfile.mkdtemp(prefix="mercato-api-")) / "demo.sqlite"
    with Store.open(str(path)) as store:
        summary = ingest_items(iter_articles(sorted(DEMO.glob("*.txt"))), store)
    assert summary.failed == 0 and summary.new + summary.near_duplicate == 16, summary.line()
    return path


def copy_of_demo(tmp: Path) -> Path:
    """A private copy for tests that write (the shared store must not change under others)."""
    target = tmp / "demo-copy.sqlite"
    shutil.copy(demo_db(), target)
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Serve ``app`` with uvicorn on 127.0.0.1 in a thread; yields the base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
