"""Fixtures of the knowledge-view tests: real stores (SQLite, and PostgreSQL when local binaries
exist) filled through the real ingest path with the real analysis engine.

Articles are analysed once per session and the analyses stored into each fresh database, so the
PostgreSQL run does not pay for the analysis twice.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mercato.ingest.files import iter_articles
from mercato.model import Analysis, Article
from mercato.store import Store

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "src" / "mercato" / "demo"


def _store_conftest() -> Any:
    # The throwaway PostgreSQL server of tests/store (initdb + pg_ctl on a free port), reused.
    spec = importlib.util.spec_from_file_location("_store_pg", REPO / "tests" / "store" / "conftest.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def analysed(paths: list[Path]) -> list[tuple[Article, Analysis]]:
    from mercato.analysis.pipeline import analyze_article

    out = []
    for item in iter_articles(paths):
        assert isinstance(item, Article), f"could not load {item}"
        out.append((item, analyze_article(item)))
    return out


def fill(url: str, items: list[tuple[Article, Analysis]]) -> Store:
    store = Store.open(url)
    for article, analysis in items:
        store.add(article, analysis)
    return store


@pytest.fixture(scope="session")
def demo_items() -> list[tuple[Article, Analysis]]:
    return analysed(sorted(DEMO.glob("*.txt")))


@pytest.fixture(scope="session")
def seed_items(shared_dir: Path) -> list[tuple[Article, Analysis]]:
    seeds = shared_dir / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is absent")
    return analysed(sorted(seeds.glob("*.txt")))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    mod = _store_conftest()
    bindir = mod._pg_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL binaries (initdb/pg_ctl)")
    server = mod.PgServer(bindir)
    try:
        server.start()
    except Exception:
        server.stop()
        raise
    yield server
    server.stop()


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def demo_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, demo_items: Any
) -> Iterator[Store]:
    if request.param == "sqlite":
        url = str(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    else:
        url = request.getfixturevalue("pg_server").create_database()
    store = fill(url, demo_items)
    yield store
    store.close()


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory: pytest.TempPathFactory, seed_items: Any) -> str:
    path = tmp_path_factory.mktemp("seeds") / "seeds.sqlite"
    fill(str(path), seed_items).close()
    return str(path)


@pytest.fixture(scope="session")
def seeds_store(seeds_db: str) -> Iterator[Store]:
    store = Store.open(seeds_db)
    yield store
    store.close()
