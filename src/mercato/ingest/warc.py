"""WARC and WARC.gz archives (Common Crawl CC-NEWS style), streamed record by record with warcio.

Only HTTP ``response`` records with status 200 and an HTML content type become articles; an
optional host list and URL regex narrow them further. ``fetched`` is the record's WARC-Date, which
also bounds the publication date found in the page.

Resuming: with a checkpoint file, the reader writes ``{path, offset, count}`` after each item the
consumer has taken back (a generator resumes only once the consumer is done with the previous item,
i.e. after the store committed it). ``offset`` is where the next record starts, so a killed run
seeks there and goes on without reading anything twice. At most the one item in flight at the
moment of the kill is offered again, and the store's dedup catches that.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mercato.ingest.files import LoadFailure
from mercato.ingest.html import decode_html, extract_html
from mercato.model import Article

WARC_SUFFIXES = (".warc", ".warc.gz")
MAX_RECORD_BYTES = 5 * 1024 * 1024  # the same limit as a download: bigger records are not articles
HTML_TYPES = ("text/html", "application/xhtml+xml")
SKIPPED_FLUSH_EVERY = 1000  # records; so a run over an archive without matches still moves its checkpoint


def is_warc(path: str | Path) -> bool:
    return str(path).lower().endswith(WARC_SUFFIXES)


@dataclass(slots=True)
class WarcStats:
    records: int = 0  # every record read, of any type
    html: int = 0  # HTML responses that passed the filters
    skipped: int = 0  # other records (requests, metadata, non-HTML, filtered out, errors)
    resumed_from: int = 0  # offset the run started at


@dataclass(slots=True)
class Checkpoint:
    path: Path
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path) -> Checkpoint:
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        return cls(path, data if isinstance(data, dict) else {})

    def position(self, warc: Path) -> tuple[int, int]:
        """(offset, count) to resume ``warc`` from; (0, 0) when the checkpoint is for another file."""
        if self.data.get("path") != str(warc.resolve()):
            return 0, 0
        size = warc.stat().st_size
        offset = int(self.data.get("offset", 0))
        return (offset, int(self.data.get("count", 0))) if 0 <= offset <= size else (0, 0)

    def save(self, warc: Path, offset: int, count: int, done: bool = False) -> None:
        self.data = {"path": str(warc.resolve()), "offset": offset, "count": count, "done": done}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(self.data, out)
            out.flush()
            os.fsync(out.fileno())  # the checkpoint must not claim more than the disk holds
        os.replace(tmp, self.path)


def default_checkpoint(warc: str | Path) -> Path:
    """Checkpoint in the user's state directory, one per archive (input folders may be read-only)."""
    import hashlib

    from platformdirs import user_state_dir

    key = hashlib.blake2b(str(Path(warc).resolve()).encode(), digest_size=8).hexdigest()
    return Path(user_state_dir("mercato", appauthor=False)) / "warc" / f"{Path(warc).name}.{key}.json"


def _starts_like_warc(fh: Any, offset: int) -> bool:
    """A record must begin at ``offset`` (warcio would otherwise read any text as an old ARC file)."""
    import zlib

    fh.seek(offset)
    head = fh.read(4096)
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, 16)
        except zlib.error:
            return False
    return head.lstrip(b"\r\n")[:5] == b"WARC/" or offset == fh.seek(0, os.SEEK_END)


def _host_matches(host: str, hosts: set[str]) -> bool:
    host = host.lower().removeprefix("www.")
    while host:
        if host in hosts:
            return True
        if "." not in host:
            return False
        host = host.split(".", 1)[1]
    return False


class WarcReader:
    """Iterate the articles of one WARC file; see the module docstring for checkpoints."""

    def __init__(
        self,
        path: str | Path,
        *,
        hosts: Iterable[str] | None = None,
        url_regex: str | re.Pattern[str] | None = None,
        checkpoint: str | Path | None = None,
        language: str | None = None,
        max_record_bytes: int = MAX_RECORD_BYTES,
    ) -> None:
        self.path = Path(path)
        self.hosts = {h.lower().removeprefix("www.") for h in hosts} if hosts else None
        self.url_regex = re.compile(url_regex) if isinstance(url_regex, str) else url_regex
        self.checkpoint = Checkpoint.load(checkpoint) if checkpoint else None
        self.language = language
        self.max_record_bytes = max_record_bytes
        self.stats = WarcStats()

    def wanted(self, url: str) -> bool:
        if self.hosts is not None and not _host_matches(urlsplit(url).hostname or "", self.hosts):
            return False
        return not (self.url_regex and not self.url_regex.search(url))

    def __iter__(self) -> Iterator[Article | LoadFailure]:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed

        offset, count = self.checkpoint.position(self.path) if self.checkpoint else (0, 0)
        self.stats.resumed_from = offset
        try:
            fh = self.path.open("rb")
        except OSError as exc:
            yield LoadFailure(str(self.path), f"cannot read: {exc.strerror or exc}")
            return
        with fh:
            if not _starts_like_warc(fh, offset):
                yield LoadFailure(f"{self.path}@{offset}", "not a valid WARC file (no WARC/ record here)")
                return
            fh.seek(offset)
            records = ArchiveIterator(fh)
            unsaved = 0
            try:
                for record in records:
                    start = records.offset
                    item = self._item(record)
                    records.read_to_end()  # sets records.offset to the start of the next record
                    next_offset = records.offset
                    if getattr(record.raw_stream, "limit", 0) > 0:
                        # The file ended inside this record (cut-off download): its page is partial.
                        yield LoadFailure(f"{self.path}@{start}", "archive is truncated (last record cut short)")
                        return
                    count += 1
                    self.stats.records += 1
                    if item is None:
                        self.stats.skipped += 1
                        unsaved += 1
                        if self.checkpoint and unsaved >= SKIPPED_FLUSH_EVERY:
                            self.checkpoint.save(self.path, next_offset, count)
                            unsaved = 0
                        continue
                    yield item
                    # Back here: the consumer has stored the item. Only now may the checkpoint pass it.
                    if self.checkpoint:
                        self.checkpoint.save(self.path, next_offset, count)
                    unsaved = 0
            except ArchiveLoadFailed as exc:
                yield LoadFailure(f"{self.path}@{records.offset}", f"not a valid WARC file: {exc}")
                return
            except (OSError, EOFError, ValueError) as exc:  # truncated gzip, cut-off download
                yield LoadFailure(f"{self.path}@{records.offset}", f"damaged archive: {type(exc).__name__}: {exc}")
                return
            if self.checkpoint:
                self.checkpoint.save(self.path, fh.seek(0, os.SEEK_END), count, done=True)

    def _item(self, record: Any) -> Article | LoadFailure | None:
        """The Article of one record; None for records that are not wanted HTML pages."""
        if record.rec_type not in ("response", "resource"):
            return None
        url = record.rec_headers.get_header("WARC-Target-URI") or ""
        if not url.startswith(("http://", "https://")) or not self.wanted(url):
            return None
        if record.rec_type == "response":
            http = record.http_headers
            if http is None or http.get_statuscode() != "200":
                return None
            ctype = http.get_header("Content-Type") or ""
        else:
            ctype = record.rec_headers.get_header("Content-Type") or ""
        if not ctype.lower().split(";")[0].strip().startswith(HTML_TYPES):
            return None
        self.stats.html += 1
        origin = f"{self.path}@{self._offset_hint(record)}"
        try:
            data = record.content_stream().read(self.max_record_bytes + 1)
        except Exception as exc:  # a broken chunked or gzip body in one record must not end the run
            return LoadFailure(origin, f"unreadable record body: {type(exc).__name__}")
        if len(data) > self.max_record_bytes:
            return LoadFailure(url, f"record larger than {self.max_record_bytes / 1e6:g} MB")
        charset = None
        for part in ctype.split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset":
                charset = value.strip().strip("\"'")
        fetched = record.rec_headers.get_header("WARC-Date")
        article = extract_html(decode_html(data, charset)[0], url=url, fetched=fetched, language=self.language)
        if article is None:
            return LoadFailure(url, "page holds no article text")
        article.origin = url
        return article

    @staticmethod
    def _offset_hint(record: Any) -> str:
        return record.rec_headers.get_header("WARC-Record-ID") or "?"


def iter_warc(path: str | Path, **options: Any) -> Iterator[Article | LoadFailure]:
    """Articles of one WARC file (``WarcReader`` options: hosts, url_regex, checkpoint, language)."""
    yield from WarcReader(path, **options)
