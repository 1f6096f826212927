"""RSS/Atom feeds: poll with conditional GET, fetch the new items' pages, yield Articles.

State (ETag, Last-Modified and the ids of items already taken, per feed) lives in a small JSON file,
by default next to the database (``mercato.db`` -> ``mercato.db.feeds.json``). It is written after
each item is handed on, and a feed's validators only once all its new items are done, so a run
that dies half-way re-reads the feed next time instead of answering 304 and losing items.
"""

from __future__ import annotations

import calendar
import json
import os
import tempfile
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mercato.ingest.fetch import Fetcher, FetchError, article_from_result
from mercato.ingest.files import LoadFailure
from mercato.ingest.html import article_id_for, extract_html
from mercato.model import LANGUAGES, Article

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
MAX_SEEN_PER_FEED = 5000  # a feed shows tens of items; this remembers months of them
MIN_FEED_TEXT = 300  # characters: a feed's own text is used only when it is a real article body
# Failures that will not heal by themselves: the item is marked seen and not retried.
_PERMANENT_KINDS = {"robots", "refused", "too_large"}


def _is_permanent(exc: FetchError) -> bool:
    if exc.kind == "http":
        return exc.status is not None and exc.status < 500 and exc.status != 429  # 404, 410, 403 stay
    return exc.kind in _PERMANENT_KINDS


class FeedListError(ValueError):
    pass


@dataclass(slots=True)
class Feed:
    url: str
    outlet: str | None = None
    language: str | None = None
    verified: bool = False


@dataclass(slots=True)
class FeedReport:
    """What happened to one feed in one poll (for progress and summaries)."""

    feed: Feed
    status: str  # "ok", "not_modified", "failed"
    entries: int = 0
    new: int = 0
    reason: str | None = None


def default_feed_list() -> Path:
    return Path(str(resources.files("mercato.ingest") / "feeds.toml"))


def load_feed_list(path: str | Path | None = None) -> list[Feed]:
    """Feeds of a TOML file (``[[feed]]`` tables with url, outlet, language, verified)."""
    path = Path(path) if path else default_feed_list()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise FeedListError(f"feed list not found: {path}") from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise FeedListError(f"{path}: {exc}") from exc
    raw = data.get("feed", [])
    if not isinstance(raw, list) or not raw:
        raise FeedListError(f"{path}: no [[feed]] entries")
    feeds = []
    for i, item in enumerate(raw):
        where = f"{path} [[feed]] #{i + 1}"
        if not isinstance(item, dict) or not isinstance(item.get("url"), str):
            raise FeedListError(f"{where}: needs a url")
        if urlsplit(item["url"]).scheme not in ("http", "https"):
            raise FeedListError(f"{where}: url must be http or https")
        lang = item.get("language")
        if lang is not None and lang not in LANGUAGES:
            raise FeedListError(f"{where}: language {lang!r} is not one of {', '.join(LANGUAGES)}")
        feeds.append(
            Feed(
                url=item["url"],
                outlet=item.get("outlet"),
                language=lang,
                verified=bool(item.get("verified", False)),
            )
        )
    return feeds


@dataclass(slots=True)
class FeedState:
    """Per-feed memory between polls, kept in a JSON file (written atomically)."""

    path: Path | None
    feeds: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path | None) -> FeedState:
        if path is None:
            return cls(None)
        path = Path(path)
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            # A corrupt state file only costs re-reading feeds (the store dedups); do not stop.
            return cls(path)
        return cls(path, data.get("feeds", {}) if isinstance(data, dict) else {})

    def of(self, url: str) -> dict[str, Any]:
        return self.feeds.setdefault(url, {})

    def seen(self, url: str) -> set[str]:
        return set(self.of(url).get("seen", []))

    def mark_seen(self, url: str, key: str) -> None:
        seen = self.of(url).setdefault("seen", [])
        if key not in seen:
            seen.append(key)
            del seen[:-MAX_SEEN_PER_FEED]

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"version": 1, "feeds": self.feeds}, out, ensure_ascii=False)
        os.replace(tmp, self.path)


def state_path_for(db: str | None) -> Path:
    """Feed state beside a SQLite database file, else in the user's state directory."""
    if db:
        path = db.removeprefix("sqlite:///") if db.startswith("sqlite:///") else (db if "://" not in db else None)
        if path:
            return Path(path).with_name(Path(path).name + ".feeds.json")
    from platformdirs import user_state_dir

    return Path(user_state_dir("mercato", appauthor=False)) / "feeds.json"


def _entry_key(entry: Any) -> str:
    return str(entry.get("id") or entry.get("link") or entry.get("title") or "")


def _entry_published(entry: Any) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC).date().isoformat()
    except (OverflowError, ValueError):
        return None


def _entry_html(entry: Any) -> str:
    for content in entry.get("content") or []:
        if content.get("value"):
            return str(content["value"])
    return str(entry.get("summary") or "")


def article_from_entry(entry: Any, feed: Feed, fetched: str) -> Article | None:
    """An Article from the feed's own text, when it carries a full body (some feeds do)."""
    html = _entry_html(entry)
    if not html:
        return None
    title = entry.get("title")
    page = f"<html><head><title>{title or ''}</title></head><body><article>{html}</article></body></html>"
    article = extract_html(page, url=entry.get("link"), fetched=fetched, language=feed.language)
    if article is None or len(article.text) < MIN_FEED_TEXT:
        return None
    article.id = article_id_for(entry.get("link"), article.text)
    article.outlet = feed.outlet or article.outlet  # the feed list names the outlet on purpose
    article.published = _entry_published(entry) or article.published
    article.origin = f"{feed.url}#{_entry_key(entry)}"
    return article


def poll_feed(
    feed: Feed,
    fetcher: Fetcher,
    state: FeedState,
    report: Callable[[FeedReport], None] | None = None,
    max_items: int | None = None,
) -> Iterator[Article | LoadFailure]:
    """New items of one feed as Articles (or LoadFailures). Never raises for a bad feed."""
    import feedparser

    mem = state.of(feed.url)
    try:
        result = fetcher.get(feed.url, etag=mem.get("etag"), last_modified=mem.get("last_modified"), accept=FEED_ACCEPT)
    except FetchError as exc:
        mem["last_error"] = str(exc)
        state.save()
        if report:
            report(FeedReport(feed, "failed", reason=str(exc)))
        yield LoadFailure(feed.url, f"feed unavailable: {exc}")
        return
    if result.not_modified:
        if report:
            report(FeedReport(feed, "not_modified"))
        return
    parsed = feedparser.parse(result.content, response_headers={"content-type": result.headers.get("content-type", "")})
    # feedparser recovers what it can from broken XML; a feed counts as usable when at least one
    # item points somewhere or carries text.
    usable = [e for e in parsed.entries if e.get("link") or _entry_html(e)]
    if not usable:
        bozo = parsed.get("bozo_exception")
        reason = f"malformed feed: {bozo}" if parsed.get("bozo") else "feed has no items"
        mem["last_error"] = reason
        state.save()
        if report:
            report(FeedReport(feed, "failed", reason=reason))
        if parsed.get("bozo"):
            yield LoadFailure(feed.url, reason)
        return
    seen = state.seen(feed.url)
    fresh = [e for e in usable if _entry_key(e) and _entry_key(e) not in seen]
    fresh.reverse()  # feeds list newest first; take the oldest first so "origin" reports come first
    if max_items is not None:
        fresh = fresh[:max_items]
    if report:
        report(FeedReport(feed, "ok", entries=len(usable), new=len(fresh)))
    pending_retry = False
    for entry in fresh:
        key = _entry_key(entry)
        item, permanent = _item_for_entry(entry, feed, fetcher, result.fetched)
        yield item
        # Back here means the consumer has stored (or reported) the item: remember it.
        if permanent:
            state.mark_seen(feed.url, key)
        else:
            pending_retry = True
        state.save()
    if not pending_retry:
        # Only now is it safe to answer "not modified" next time.
        mem["etag"], mem["last_modified"] = result.etag, result.last_modified
    mem["last_polled"] = result.fetched
    mem.pop("last_error", None)
    state.save()


def _item_for_entry(entry: Any, feed: Feed, fetcher: Fetcher, fetched: str) -> tuple[Article | LoadFailure, bool]:
    """(item, permanent): a transient failure (timeout, network) is retried at the next poll."""
    link = entry.get("link")
    published = _entry_published(entry)
    failure: FetchError | None = None
    if link:
        try:
            page = fetcher.get(link)
        except FetchError as exc:
            failure = exc
        else:
            item = article_from_result(page, language=feed.language, outlet=feed.outlet, published=published)
            if isinstance(item, Article):
                return item, True
    fallback = article_from_entry(entry, feed, fetched)
    if fallback is not None:
        return fallback, True
    if failure is not None:
        return LoadFailure(link or feed.url, str(failure)), _is_permanent(failure)
    return LoadFailure(link or feed.url, "feed item has no link and no article text"), True


def iter_feeds(
    feeds: Iterable[Feed],
    fetcher: Fetcher,
    state: FeedState,
    report: Callable[[FeedReport], None] | None = None,
    max_items: int | None = None,
) -> Iterator[Article | LoadFailure]:
    """All new items of all feeds; one feed that is down or malformed never stops the others."""
    for feed in feeds:
        yield from poll_feed(feed, fetcher, state, report=report, max_items=max_items)
