"""Helpers for running the real ``mercato`` console script in a subprocess (imported by the tests here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

MERCATO = Path(sys.executable).parent / "mercato"


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def records(self) -> list[dict[str, Any]]:
        """The JSON Lines of stdout; fails the test when a line is not a JSON object."""
        out = []
        for n, line in enumerate(self.stdout.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:  # pragma: no cover - reported as a failure
                pytest.fail(f"stdout line {n} is not JSON ({exc}): {line[:200]!r}")
            assert isinstance(obj, dict), f"stdout line {n} is not a JSON object"
            out.append(obj)
        return out

    @property
    def ids(self) -> list[str]:
        return [r.get("id") for r in self.records]

    def stderr_lines_naming(self, name: str) -> list[str]:
        return [line for line in self.stderr.splitlines() if name in line]


def run_analyze(*paths: Path | str, extra: tuple[str, ...] = (), timeout: float = 600) -> Run:
    if not MERCATO.exists():
        pytest.fail(f"console script not found: {MERCATO}")
    env = dict(os.environ)
    env.pop("MERCATO_DEBUG", None)
    env["PYTHONIOENCODING"] = "utf-8"
    proc = subprocess.run(
        [str(MERCATO), "analyze", "--format", "jsonl", *extra, *(str(p) for p in paths)],
        capture_output=True,
        env=env,
        timeout=timeout,
    )
    return Run(
        proc.returncode,
        proc.stdout.decode("utf-8", errors="replace"),
        proc.stderr.decode("utf-8", errors="replace"),
    )
