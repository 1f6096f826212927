"""Feedback for long runs: a progress bar on stderr, then one summary (text on stderr, or JSON on stdout).

Commands call ``RunReport.record(status, origin, reason)`` once per item; ``status`` is one of
``new``, ``updated``, ``duplicate``, ``near_duplicate``, ``failed`` or ``skipped``
(the statuses of ``mercato.service.ingest.ItemResult``). The ``ingest`` command can reuse the same class
(``with RunReport("ingest", total=n) as report: ...``).
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

# near_duplicate: stored, but marked as a copy of an earlier article (syndication)
STATUSES = ("new", "updated", "duplicate", "near_duplicate", "failed", "skipped")
MAX_LISTED_FAILURES = 20  # in the text summary; JSON lists them all


class RunReport:
    def __init__(
        self,
        label: str,
        *,
        total: int | None = None,
        quiet: bool = False,
        as_json: bool = False,
        console: Console | None = None,
    ) -> None:
        self.label = label
        self.quiet = quiet
        self.as_json = as_json
        self.console = console or Console(stderr=True)
        self.counts: Counter[str] = Counter()
        self.reasons: Counter[str] = Counter()
        self.failures: list[dict[str, str]] = []
        self.extra: dict[str, Any] = {}
        self.started = time.monotonic()
        # Bars only where a person watches: not in scripts (--quiet/--json) nor in logs (no terminal).
        self._progress: Progress | None = None
        if not (quiet or as_json) and self.console.is_terminal:
            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[stats]}"),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self._task = self._progress.add_task(label, total=total, stats="")

    def __enter__(self) -> RunReport:
        if self._progress:
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._progress:
            self._progress.stop()
            self._progress = None

    @property
    def read(self) -> int:
        return sum(self.counts[s] for s in STATUSES)

    def add_total(self, n: int) -> None:
        if self._progress:
            task = self._progress.tasks[0]
            self._progress.update(self._task, total=(task.total or 0) + n)

    def note(self, message: str) -> None:
        """A line above the bar (a feed that failed, a host that was refused)."""
        if self.quiet or self.as_json:
            return
        if self._progress:
            self._progress.console.print(message, markup=False, highlight=False, soft_wrap=True)
        else:
            self.console.print(message, markup=False, highlight=False, soft_wrap=True)

    def record(self, status: str, origin: str | None = None, reason: str | None = None) -> None:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        self.counts[status] += 1
        if status == "failed":
            reason = reason or "unknown error"
            self.reasons[reason] += 1
            self.failures.append({"origin": origin or "", "reason": reason})
        if self._progress:
            stats = " ".join(f"{s} {self.counts[s]}" for s in STATUSES if self.counts[s])
            self._progress.update(self._task, advance=1, stats=stats)

    def summary(self) -> dict[str, Any]:
        return {
            "command": self.label,
            "read": self.read,
            **{s: self.counts[s] for s in STATUSES},
            "reasons": dict(self.reasons.most_common()),
            "failures": list(self.failures),
            "seconds": round(time.monotonic() - self.started, 3),
            **self.extra,
        }

    def finish(self) -> dict[str, Any]:
        """Stop the bar and print the summary (JSON to stdout with --json; nothing with --quiet)."""
        self.close()
        data = self.summary()
        if self.as_json:
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
            sys.stdout.flush()
        elif not self.quiet:
            self.console.print(render_summary(data), markup=False, highlight=False, soft_wrap=True)
        return data


def render_summary(data: dict[str, Any]) -> str:
    first = f"{data['command']}: read {data['read']}, new {data['new']}"
    if data.get("near_duplicate"):
        first += f" (+{data['near_duplicate']} near-duplicate copies)"
    first += f", duplicate {data['duplicate']}, failed {data['failed']}"
    for extra in ("updated", "skipped"):
        if data.get(extra):
            first += f", {extra} {data[extra]}"
    parts = [first]
    parts[0] += f" ({data['seconds']:.1f} s)"
    for key, value in data.items():
        if key not in {"command", "read", "reasons", "failures", "seconds", *STATUSES}:
            parts.append(f"  {key}: {value}")
    if data["reasons"]:
        parts.append("  failures by reason:")
        parts.extend(f"    {n} × {reason}" for reason, n in data["reasons"].items())
    failures = data["failures"]
    if failures:
        parts.append("  failed items:")
        parts.extend(f"    {f['origin']}: {f['reason']}" for f in failures[:MAX_LISTED_FAILURES])
        if len(failures) > MAX_LISTED_FAILURES:
            parts.append(f"    ... and {len(failures) - MAX_LISTED_FAILURES} more (--json lists all)")
    return "\n".join(parts)
