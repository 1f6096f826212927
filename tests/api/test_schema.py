"""Property-based tests of the API against its own OpenAPI schema (schemathesis), bounded: a few
examples per operation, derandomised so CI runs the same cases every time.

The operations are driven by hand (``as_strategy`` + hypothesis) rather than by schemathesis'
pytest plugin, whose fixture loader does not work with the pytest this project uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from mercato.api.app import create_app

EXAMPLES = 5  # per operation: about sixty requests in all, a few seconds


@pytest.fixture(scope="module")
def api_schema(demo_path: Path) -> Any:
    # No token: POST /articles must answer 403 whatever is sent, and the store stays unchanged.
    app = create_app(str(demo_path), token="")
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)


def test_every_operation_matches_the_schema(api_schema: Any) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 11
    for op in operations:

        @given(case=op.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            case.call_and_validate()

        try:
            check()
        except Exception as exc:
            raise AssertionError(f"{op.method.upper()} {op.path}: {exc}") from exc
