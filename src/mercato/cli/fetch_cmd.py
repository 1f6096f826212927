"""``mercato fetch`` and ``mercato watch``: news from the web into the store (or a JSON Lines file)."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from mercato.cli import UserError

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL or SQLite file (default: $MERCATO_DB or the user data file)"),
]
OutOption = Annotated[
    Path | None, typer.Option("--out", help="Append articles to this JSON Lines file instead of storing them")
]
AllowOption = Annotated[
    list[str] | None,
    typer.Option(
        "--allow-host",
        help="Host, address or network that may be private/loopback (repeatable; also "
        "$MERCATO_ALLOW_HOSTS, comma separated)",
    ),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no summary")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the summary as one JSON object on stdout")]
LangOption = Annotated[str | None, typer.Option("--lang", help="Language of the pages when they do not say")]
TimeoutOption = Annotated[float, typer.Option("--timeout", help="Seconds for connecting and each read")]
MaxBytesOption = Annotated[int, typer.Option("--max-bytes", help="Largest download accepted, in bytes")]
RateOption = Annotated[float, typer.Option("--rate", help="Seconds between two requests to one host")]
RetriesOption = Annotated[int, typer.Option("--retries", help="Retries of a failed request (backoff doubles)")]


def register(app: typer.Typer) -> None:
    app.command("fetch")(fetch)
    app.command("watch")(watch)
    app.command("warc")(warc)
    app.command("corpus")(corpus)


def _allow_list(values: list[str] | None) -> tuple[str, ...]:
    import os

    env = [v.strip() for v in os.environ.get("MERCATO_ALLOW_HOSTS", "").split(",") if v.strip()]
    return tuple([*(values or []), *env])


def _fetcher(allow: list[str] | None, timeout: float, max_bytes: int, rate: float, retries: int) -> Any:
    from mercato.ingest.fetch import FetchConfig, Fetcher

    if timeout <= 0 or max_bytes <= 0 or rate < 0 or retries < 0:
        raise UserError("--timeout and --max-bytes must be positive, --rate and --retries not negative")
    return Fetcher(
        FetchConfig(
            allow_hosts=_allow_list(allow),
            timeout=timeout,
            total_timeout=max(60.0, timeout * 4),
            max_bytes=max_bytes,
            rate=rate,
            retries=retries,
        )
    )


def consume(items: Iterable[Any], report: Any, *, db: str | None = None, out: Path | None = None) -> None:
    """Send Articles to the store (or a JSON Lines file) and record every outcome in ``report``."""
    from mercato.ingest.files import LoadFailure

    if out is not None:
        with out.open("a", encoding="utf-8") as fh:
            for item in items:
                if isinstance(item, LoadFailure):
                    report.record("failed", item.origin, item.reason)
                    continue
                fh.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
                fh.flush()  # written before the source marks the item done (feed state, checkpoints)
                report.record("new", item.origin or item.url)
        return
    try:
        from mercato.service.ingest import ingest_items
        from mercato.store import Store
    except ModuleNotFoundError as exc:
        raise UserError("the store is not available in this build; use --out FILE.jsonl") from exc
    store = Store.open(db)
    try:
        ingest_items(items, store, on_result=lambda result: record_result(report, result))
    finally:
        close = getattr(store, "close", None)
        if close:
            close()


def record_result(report: Any, result: Any) -> None:
    """Record one ``mercato.service.ingest.ItemResult`` (status new, duplicate, near_duplicate, ...)."""
    from mercato.ingest.progress import STATUSES

    status = result.status if result.status in STATUSES else "failed"
    report.record(status, result.origin, result.reason if status == "failed" else None)


def fetch(
    urls: Annotated[list[str], typer.Argument(help="Page URLs (http or https); '-' reads them from stdin")],
    db: DbOption = None,
    out: OutOption = None,
    allow_host: AllowOption = None,
    lang: LangOption = None,
    timeout: TimeoutOption = 15.0,
    max_bytes: MaxBytesOption = 5 * 1024 * 1024,
    rate: RateOption = 1.0,
    retries: RetriesOption = 3,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    """Fetch news pages, extract the article, analyze and store it."""
    import sys

    from mercato.ingest.fetch import fetch_articles
    from mercato.ingest.progress import RunReport
    from mercato.model import LANGUAGES

    if lang is not None and lang not in LANGUAGES:
        raise UserError(f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")
    if urls == ["-"]:
        urls = [line.strip() for line in sys.stdin if line.strip() and not line.startswith("#")]
    with (
        _fetcher(allow_host, timeout, max_bytes, rate, retries) as fetcher,
        RunReport("fetch", total=len(urls), quiet=quiet, as_json=as_json) as report,
    ):
        consume(fetch_articles(urls, fetcher, language=lang), report, db=db, out=out)
        data = report.finish()
    if data["failed"] and not data["new"] and not data["duplicate"]:
        raise typer.Exit(1)


def watch(
    feeds_file: Annotated[Path | None, typer.Argument(help="TOML list of feeds (default: the bundled list)")] = None,
    interval: Annotated[float, typer.Option("--interval", help="Seconds between two polls of the feeds")] = 900.0,
    once: Annotated[bool, typer.Option("--once", help="Poll every feed once, then exit")] = False,
    db: DbOption = None,
    out: OutOption = None,
    state: Annotated[
        Path | None, typer.Option("--state", help="Feed state file (default: beside the database)")
    ] = None,
    max_items: Annotated[
        int | None, typer.Option("--max-items", help="At most this many new items per feed and poll")
    ] = None,
    allow_host: AllowOption = None,
    timeout: TimeoutOption = 15.0,
    max_bytes: MaxBytesOption = 5 * 1024 * 1024,
    rate: RateOption = 1.0,
    retries: RetriesOption = 3,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    """Poll RSS/Atom feeds (conditional GET), fetch new items, analyze and store them."""
    from mercato.ingest.feeds import FeedListError, FeedState, load_feed_list
    from mercato.ingest.progress import RunReport

    try:
        feeds = load_feed_list(feeds_file)
    except FeedListError as exc:
        raise UserError(str(exc)) from exc
    if interval <= 0:
        raise UserError("--interval must be positive")
    feed_state = FeedState.load(state or _default_state(db, out))
    with _fetcher(allow_host, timeout, max_bytes, rate, retries) as fetcher:
        while True:
            started = time.monotonic()
            with RunReport("watch", quiet=quiet, as_json=as_json) as report:
                consume(_poll(feeds, fetcher, feed_state, report, max_items), report, db=db, out=out)
                report.finish()
            if once:
                return
            time.sleep(max(0.0, interval - (time.monotonic() - started)))


def _poll(feeds: list[Any], fetcher: Any, state: Any, report: Any, max_items: int | None) -> Iterator[Any]:
    from mercato.ingest.feeds import FeedReport, iter_feeds

    feed_counts: Counter[str] = Counter()

    def on_feed(event: FeedReport) -> None:
        feed_counts[event.status] += 1
        report.extra["feeds"] = dict(feed_counts)
        if event.status == "failed":
            report.note(f"feed skipped: {event.feed.url}: {event.reason}")
        elif event.new:
            report.add_total(event.new)

    yield from iter_feeds(feeds, fetcher, state, report=on_feed, max_items=max_items)


def _default_state(db: str | None, out: Path | None) -> Path:
    from mercato.ingest.feeds import state_path_for

    if out is not None:
        return out.with_name(out.name + ".feeds.json")
    try:
        from mercato.store.db import resolve_url, sqlite_path

        path = sqlite_path(resolve_url(db))
        return state_path_for(str(path) if path else None)
    except ModuleNotFoundError:
        return state_path_for(db)


def warc(
    files: Annotated[list[Path], typer.Argument(help="WARC or WARC.gz files (CC-NEWS style)")],
    db: DbOption = None,
    out: OutOption = None,
    hosts: Annotated[
        str | None, typer.Option("--hosts", help="Comma-separated hosts to keep (subdomains included)")
    ] = None,
    url_regex: Annotated[str | None, typer.Option("--url-regex", help="Keep only URLs matching this regex")] = None,
    checkpoint: Annotated[
        Path | None,
        typer.Option(
            "--checkpoint", help="Checkpoint file (one file only; default: one per archive in the user state directory)"
        ),
    ] = None,
    restart: Annotated[bool, typer.Option("--restart", help="Ignore checkpoints and read from the start")] = False,
    lang: LangOption = None,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    """Read web archives: HTML responses become articles, analyzed and stored. Resumable."""
    import re

    from mercato.ingest.progress import RunReport
    from mercato.ingest.warc import WarcReader, default_checkpoint

    if checkpoint is not None and len(files) > 1:
        raise UserError("--checkpoint names one file; with several archives leave it out")
    for file in files:
        if not file.is_file():
            raise UserError(f"no such file: {file}")
    try:
        pattern = re.compile(url_regex) if url_regex else None
    except re.error as exc:
        raise UserError(f"invalid --url-regex: {exc}") from exc
    host_list = [h.strip() for h in hosts.split(",") if h.strip()] if hosts else None
    readers = []
    for file in files:
        cp = checkpoint or default_checkpoint(file)
        if restart and cp.exists():
            cp.unlink()
        readers.append(WarcReader(file, hosts=host_list, url_regex=pattern, checkpoint=cp, language=lang))

    def items() -> Iterator[Any]:
        for reader in readers:
            yield from reader

    with RunReport("warc", quiet=quiet, as_json=as_json) as report:
        consume(items(), report, db=db, out=out)
        report.extra["records"] = sum(r.stats.records for r in readers)
        report.extra["html"] = sum(r.stats.html for r in readers)
        resumed = [str(r.path) for r in readers if r.stats.resumed_from]
        if resumed:
            report.extra["resumed"] = resumed
        data = report.finish()
    if data["failed"] and not data["read"] - data["failed"]:
        raise typer.Exit(1)


def corpus(
    files: Annotated[list[Path], typer.Argument(help="CSV/TSV or JSON Lines collections of articles")],
    columns: Annotated[
        str | None,
        typer.Option(
            "--columns",
            help="field=column pairs: 1-based numbers or header names/JSON keys, e.g. "
            "text=2,label=1 (fields: id text html title url published author "
            "outlet language label)",
        ),
    ] = None,
    delimiter: Annotated[str | None, typer.Option("--delimiter", help="CSV delimiter (default: sniffed)")] = None,
    quotechar: Annotated[str | None, typer.Option("--quotechar", help="CSV quote character (default: sniffed)")] = None,
    header: Annotated[
        bool | None, typer.Option("--header/--no-header", help="First row is a header (default: guessed)")
    ] = None,
    label: Annotated[str | None, typer.Option("--label", help="Keep only rows whose label column is this")] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="File encoding (default: UTF-8, else cp1252)")
    ] = None,
    lang: LangOption = None,
    db: DbOption = None,
    out: OutOption = None,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
) -> None:
    """Ingest a corpus file with a column mapping (analyze, store). `mercato ingest` reads the same files
    with sniffed columns."""
    from mercato.ingest.corpora import CorpusOptions, CorpusOptionsError
    from mercato.ingest.files import iter_articles
    from mercato.ingest.progress import RunReport

    try:
        options = CorpusOptions.parse(columns, delimiter, quotechar, lang, header, label, encoding)
    except CorpusOptionsError as exc:
        raise UserError(str(exc)) from exc
    for file in files:
        if not file.is_file():
            raise UserError(f"no such file: {file}")
    with RunReport("corpus", quiet=quiet, as_json=as_json) as report:
        consume(iter_articles(files, corpus=options), report, db=db, out=out)
        data = report.finish()
    if data["failed"] and data["failed"] == data["read"]:
        raise typer.Exit(1)
