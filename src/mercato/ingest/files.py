"""Read articles from local files: text with sidecar metadata, article JSON, JSON Lines, HTML, folders.

Every problem becomes a ``LoadFailure`` with a one-line reason; the caller reports it and goes on
with the rest of the batch. Nothing here raises for bad input.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mercato.model import Article

MAX_FILE_BYTES = 10 * 1024 * 1024  # articles are kilobytes; a bigger file is almost surely not one
TEXT_SUFFIXES = {".txt", ".md", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
STREAM_SUFFIXES = {".json", ".jsonl", ".csv", ".tsv", ".warc"}  # and .warc.gz
ARTICLE_FIELDS = ("id", "url", "title", "published", "author", "outlet", "language", "text", "html")
_HTML_SNIFF = re.compile(rb"<(?:!doctype html|html|head|body|article|div|p)[\s>]", re.IGNORECASE)


@dataclass(slots=True)
class LoadFailure:
    origin: str  # path, or path:line for JSON Lines
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode article bytes: UTF-8 (with or without BOM), else cp1252, else latin-1 (never fails)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return bool(sample) and controls / len(sample) > 0.05


def looks_like_html(data: bytes) -> bool:
    return bool(_HTML_SNIFF.search(data[:4096]))


def iter_articles(
    paths: Iterable[str | Path], max_bytes: int = MAX_FILE_BYTES, *, corpus: Any = None
) -> Iterator[Article | LoadFailure]:
    """Yield one Article or LoadFailure per article found under the given paths.

    ``corpus`` (a ``mercato.ingest.corpora.CorpusOptions``) maps columns of .csv/.tsv/.jsonl files."""
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            yield LoadFailure(str(path), "no such file or directory")
        elif path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and _is_article_file(p))
            if not files:
                yield LoadFailure(str(path), "folder holds no article files (.txt .md .json .jsonl .html .csv .warc)")
            for file in files:
                yield from _load_file(file, max_bytes, corpus)
        else:
            yield from _load_file(path, max_bytes, corpus)


def _is_article_file(path: Path) -> bool:
    name = path.name.lower()
    if name.startswith(".") or name.endswith((".meta.json", ".gold.json")):
        return False
    if name.split(".", 1)[0] in {"readme", "license", "licence", "changelog", "source", "notes"}:
        return False  # a folder's own documentation is not an article
    return path.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES | STREAM_SUFFIXES or name.endswith(".warc.gz")


def _read_bytes(path: Path, max_bytes: int) -> bytes | LoadFailure:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            limit = f"{max_bytes / 1e6:.0f} MB"
            return LoadFailure(str(path), f"file too large ({size / 1e6:.1f} MB; limit {limit})")
        data = path.read_bytes()
    except OSError as exc:
        return LoadFailure(str(path), f"cannot read: {exc.strerror or exc}")
    if not data.strip():
        return LoadFailure(str(path), "empty file")
    if looks_binary(data):
        return LoadFailure(str(path), "binary file, not text")
    return data


def _load_file(path: Path, max_bytes: int, corpus: Any = None) -> Iterator[Article | LoadFailure]:
    # Archives and corpora hold many articles and may be huge: streamed by their own readers.
    name = path.name.lower()
    if name.endswith((".warc", ".warc.gz")):
        from mercato.ingest.warc import iter_warc

        yield from iter_warc(path)
        return
    if name.endswith((".csv", ".tsv")) or (corpus is not None and name.endswith(".jsonl")):
        from mercato.ingest.corpora import iter_csv, iter_jsonl

        yield from (iter_jsonl if name.endswith(".jsonl") else iter_csv)(path, corpus)
        return
    data = _read_bytes(path, max_bytes)
    if isinstance(data, LoadFailure):
        yield data
        return
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _load_jsonl(path, data)
    elif suffix == ".json":
        text, _ = decode_bytes(data)
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield LoadFailure(str(path), f"invalid JSON ({exc.msg} at line {exc.lineno})")
            return
        if isinstance(obj, list):
            for i, item in enumerate(obj):
                yield article_from_mapping(item, f"{path}[{i}]", default_id=f"{path.stem}-{i}")
        else:
            yield article_from_mapping(obj, str(path), default_id=path.stem)
    elif suffix in HTML_SUFFIXES:
        yield _article_from_html(path, data)
    else:
        meta = _read_sidecar(path)
        if isinstance(meta, LoadFailure):
            yield meta
            return
        if looks_like_html(data):
            # HTML saved as .txt: extract it instead of analysing markup as prose.
            article = _article_from_html(path, data, meta)
            yield article
            return
        text, _ = decode_bytes(data)
        yield _finish(path.stem, text, meta, str(path))


def _read_sidecar(path: Path) -> dict[str, Any] | LoadFailure:
    sidecar = path.with_name(path.stem + ".meta.json")
    if not sidecar.exists():
        return {}
    try:
        meta = json.loads(decode_bytes(sidecar.read_bytes())[0])
    except (OSError, json.JSONDecodeError) as exc:
        return LoadFailure(str(sidecar), f"unreadable metadata ({exc})")
    if not isinstance(meta, dict):
        return LoadFailure(str(sidecar), "metadata must be a JSON object")
    for key in ("url", "title"):  # taken as they are; the other fields are turned into strings
        value = meta.get(key)
        if value is not None and not isinstance(value, str):
            return LoadFailure(str(sidecar), f"field '{key}' must be a string, got {type(value).__name__}")
    return meta


def _load_jsonl(path: Path, data: bytes) -> Iterator[Article | LoadFailure]:
    text, _ = decode_bytes(data)
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        origin = f"{path}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield LoadFailure(origin, f"invalid JSON ({exc.msg})")
            continue
        yield article_from_mapping(obj, origin, default_id=f"{path.stem}-{lineno}")


def article_from_mapping(obj: Any, origin: str, default_id: str) -> Article | LoadFailure:
    """Build an Article from a JSON object with the fields of ``ARTICLE_FIELDS``."""
    if not isinstance(obj, dict):
        return LoadFailure(origin, "expected a JSON object with a 'text' or 'html' field")
    for key in ARTICLE_FIELDS:
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            return LoadFailure(origin, f"field '{key}' must be a string, got {type(value).__name__}")
    text, html = obj.get("text"), obj.get("html")
    if not (text and text.strip()) and not (html and html.strip()):
        return LoadFailure(origin, "no 'text' or 'html' field with content")
    meta = {k: obj.get(k) for k in ARTICLE_FIELDS if obj.get(k) is not None}
    article_id = str(obj.get("id") or default_id)
    if not (text and text.strip()):
        from mercato.ingest.html import extract_html

        extracted = extract_html(html or "", url=meta.get("url"))
        if extracted is None:
            return LoadFailure(origin, "HTML holds no article text")
        return _merge_meta(extracted, meta, article_id, origin)
    return _finish(article_id, text, meta, origin)


def _article_from_html(path: Path, data: bytes, meta: dict[str, Any] | None = None) -> Article | LoadFailure:
    from mercato.ingest.html import extract_html

    html, _ = decode_bytes(data)
    meta = meta or {}
    extracted = extract_html(html, url=meta.get("url"))
    if extracted is None:
        return LoadFailure(str(path), "HTML holds no article text")
    return _merge_meta(extracted, meta, path.stem, str(path))


def _merge_meta(extracted: Article, meta: dict[str, Any], article_id: str, origin: str) -> Article:
    extracted.id = article_id
    extracted.origin = origin
    for key in ("url", "title", "published", "author", "outlet", "language"):
        value = meta.get(key)
        if value:  # a sidecar's "published": 2024 becomes "2024", as for a .txt without markup
            setattr(extracted, key, value if isinstance(value, str) else str(value))
    return extracted


def _finish(article_id: str, text: str, meta: dict[str, Any], origin: str) -> Article:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    title = meta.get("title")
    if title and not text.lstrip().startswith(title.strip()[:40]):
        # Offsets refer to the analysed text, which starts with the title when it is known.
        text = f"{title.strip()}\n\n{text}"
    return Article(
        id=str(article_id),
        text=text,
        title=title,
        url=meta.get("url"),
        published=_clean_str(meta.get("published")),
        author=_clean_str(meta.get("author")),
        outlet=_clean_str(meta.get("outlet")),
        language=_clean_str(meta.get("language")),
        origin=origin,
    )


def _clean_str(value: Any) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None
