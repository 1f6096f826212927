"""Fixtures of the ingest tests: a loopback HTTP server (see ingest_server.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from ingest_server import LoopbackServer, start_server


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    srv, httpd = start_server()
    try:
        yield srv
    finally:
        httpd.shutdown()
        httpd.server_close()
