"""Ingest: articles (from files, feeds, WARC, fetch) -> analysis -> store, one transaction each.

Every source adapter calls :func:`ingest_items` with what it read. Bad items are counted and
reported with a reason; the rest are stored. A database that cannot be written at all (locked,
unreachable) stops the batch with ``StoreError``: what was committed before stays committed.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mercato.ingest.files import LoadFailure
from mercato.model import Analysis, Article
from mercato.store import AddResult, Store, StoreError
from mercato.store.store import Fingerprint

if TYPE_CHECKING:
    from mercato.kb import KnowledgeBase

Analyzer = Callable[[Article], Analysis]
ResultCallback = Callable[["ItemResult"], None]


@dataclass(slots=True)
class ItemResult:
    origin: str  # where the item came from (path, URL, WARC record), for messages
    status: str  # new, duplicate, near_duplicate, updated, failed
    reason: str | None = None  # why it failed
    result: AddResult | None = None


@dataclass(slots=True)
class IngestSummary:
    read: int = 0
    new: int = 0
    duplicate: int = 0  # exact copies (nothing stored)
    near_duplicate: int = 0  # stored, marked as a copy of an earlier article
    updated: int = 0
    failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (origin, reason)

    def line(self) -> str:
        near = f" (+{self.near_duplicate} near-duplicate copies stored)" if self.near_duplicate else ""
        return (
            f"read {self.read}, new {self.new + self.near_duplicate}{near}, duplicate {self.duplicate}, "
            f"updated {self.updated}, failed {self.failed}"
        )


def default_analyzer(kb: KnowledgeBase | None = None) -> Analyzer:
    """The analysis pipeline (imported lazily: the store works without it).

    ``$MERCATO_ANALYZER=module:function`` plugs in another analyzer (tests, experiments)."""
    plugged = os.environ.get("MERCATO_ANALYZER")
    if plugged:
        module_name, _, func_name = plugged.partition(":")
        module = importlib.import_module(module_name)
        return getattr(module, func_name or "analyze")
    from mercato.analysis.pipeline import analyze_article

    def analyze(article: Article) -> Analysis:
        return analyze_article(article, kb)

    return analyze


SUMMARY_BATCH = 500  # articles between two writes of player summaries in a long ingest


def ingest_items(
    items: Iterable[Article | LoadFailure],
    store: Store,
    analyze: Analyzer | None = None,
    on_result: ResultCallback | None = None,
) -> IngestSummary:
    """Analyse and store every article; count and report the rest. Raises ``StoreError`` only
    when the database itself fails (every article committed before stays)."""
    analyzer = analyze or default_analyzer()
    summary = IngestSummary()
    for item in items:
        summary.read += 1
        if isinstance(item, LoadFailure):
            _record(summary, ItemResult(item.origin, "failed", item.reason), on_result)
            continue
        origin = item.origin or item.url or item.id
        if not item.text or not item.text.strip():
            _record(summary, ItemResult(origin, "failed", "no text"), on_result)
            continue
        fp = Fingerprint.of(item)
        # An exact copy is recognised before analysis: re-ingesting a folder costs little.
        known = store.lookup(item, fp)
        if known is not None:
            _record(summary, ItemResult(origin, "duplicate", result=known), on_result)
            continue
        try:
            analysis = analyzer(item)
        except StoreError:
            raise
        except Exception as exc:  # one bad article must not stop the batch; say why it failed
            reason = f"analysis failed: {type(exc).__name__}: {exc}".strip()
            _record(summary, ItemResult(origin, "failed", reason.splitlines()[0]), on_result)
            continue
        try:
            result = store.add(item, analysis, fp)
        except StoreError:
            raise
        except Exception as exc:  # an analysis the store cannot take: that article rolled back, go on
            reason = f"cannot store: {type(exc).__name__}: {exc}".strip()
            _record(summary, ItemResult(origin, "failed", reason.splitlines()[0]), on_result)
            continue
        _record(summary, ItemResult(origin, result.status, result=result), on_result)
        if summary.read % SUMMARY_BATCH == 0:
            store.refresh_summaries()
    # Summaries of the players these articles changed, once for the batch (see store.summaries).
    store.refresh_summaries()
    return summary


def _record(summary: IngestSummary, item: ItemResult, on_result: ResultCallback | None) -> None:
    if item.status == "failed":
        summary.failed += 1
        summary.failures.append((item.origin, item.reason or "failed"))
    else:
        setattr(summary, item.status, getattr(summary, item.status) + 1)
    if on_result is not None:
        on_result(item)
