"""API tests: a real uvicorn server over a SQLite store filled with the demo corpus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from api_helpers import TOKEN, demo_db, live_server

from mercato.api.app import create_app


@pytest.fixture(scope="session")
def demo_path() -> Path:
    return demo_db()


@pytest.fixture(scope="session")
def base_url(demo_path: Path) -> Iterator[str]:
    # No token: the shared server is read-only, so no test can change what another one reads.
    with live_server(create_app(str(demo_path), token="")) as url:
        yield url


@pytest.fixture(scope="session")
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30) as c:
        yield c


@pytest.fixture()
def writable(tmp_path: Path) -> Iterator[httpx.Client]:
    """A server with the API token over a private copy of the demo store."""
    from api_helpers import copy_of_demo

    with (
        live_server(create_app(str(copy_of_demo(tmp_path)), token=TOKEN, max_body=64 * 1024)) as url,
        httpx.Client(base_url=url, timeout=60) as c,
    ):
        yield c
