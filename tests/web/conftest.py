"""Web tests: pages rendered by a real uvicorn server over the demo store (and, for the browser
tests, Debian's chromium driven by Playwright)."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mercato.api.app import create_app


def _helpers() -> Any:
    # One module object for tests/api and tests/web, so the demo store is ingested once per run.
    if "api_helpers" in sys.modules:
        return sys.modules["api_helpers"]
    path = Path(__file__).resolve().parents[1] / "api" / "api_helpers.py"
    spec = importlib.util.spec_from_file_location("api_helpers", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["api_helpers"] = module
    spec.loader.exec_module(module)
    return module


helpers = _helpers()


@pytest.fixture(scope="session")
def web_url() -> Iterator[str]:
    with helpers.live_server(create_app(str(helpers.demo_db()), token="")) as url:
        yield url


@pytest.fixture(scope="session")
def web(web_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=web_url, timeout=30) as c:
        yield c
