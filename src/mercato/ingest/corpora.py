"""Collections of articles in CSV or JSON Lines, with a small column mapping.

``--columns text=2,label=1`` maps Article fields to 1-based column numbers or to header names (CSV)
or keys (JSON Lines, dotted for nesting: ``text=body.content``). Without a mapping, a CSV header
with usual names (text, body, title, url, date, ...) is used, and a headerless file takes its
longest column as the text. Delimiter and quote character are sniffed unless given.

Files are streamed row by row: a corpus may be far bigger than memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mercato.ingest.files import LoadFailure, article_from_mapping
from mercato.model import LANGUAGES, Article

FIELDS = ("id", "text", "html", "title", "url", "published", "author", "outlet", "language", "label")
CSV_SUFFIXES = (".csv", ".tsv")
# Usual header names -> Article field
_HEADER_NAMES = {
    "id": "id", "doc_id": "id", "article_id": "id",
    "text": "text", "body": "text", "content": "text", "article": "text", "maintext": "text",
    "html": "html",
    "title": "title", "headline": "title",
    "url": "url", "link": "url",
    "published": "published", "date": "published", "pubdate": "published", "date_publish": "published",
    "author": "author", "authors": "author", "byline": "author",
    "outlet": "outlet", "source": "outlet", "site": "outlet", "source_domain": "outlet",
    "language": "language", "lang": "language",
    "label": "label", "category": "label", "topic": "label",
}  # fmt: skip
SNIFF_BYTES = 64 * 1024
MAX_FIELD_BYTES = 10 * 1024 * 1024


class CorpusOptionsError(ValueError):
    pass


@dataclass(slots=True)
class CorpusOptions:
    columns: dict[str, int | str] = field(default_factory=dict)  # field -> 0-based index or name/key
    delimiter: str | None = None
    quotechar: str | None = None
    header: bool | None = None  # None: decide from the first row
    language: str | None = None
    label: str | None = None  # keep only rows with this label
    encoding: str | None = None

    @classmethod
    def parse(
        cls,
        columns: str | None = None,
        delimiter: str | None = None,
        quotechar: str | None = None,
        language: str | None = None,
        header: bool | None = None,
        label: str | None = None,
        encoding: str | None = None,
    ) -> CorpusOptions:
        """Options from command-line strings; raises CorpusOptionsError with a one-line reason."""
        mapping: dict[str, int | str] = {}
        for part in (columns or "").split(","):
            if not part.strip():
                continue
            key, sep, value = part.partition("=")
            key, value = key.strip().lower(), value.strip()
            if not sep or not value:
                raise CorpusOptionsError(f"--columns: expected field=column, got {part.strip()!r}")
            if key not in FIELDS:
                raise CorpusOptionsError(f"--columns: unknown field {key!r} (use {', '.join(FIELDS)})")
            if value.isdigit():
                if int(value) < 1:
                    raise CorpusOptionsError("--columns: column numbers start at 1")
                mapping[key] = int(value) - 1
            else:
                mapping[key] = value
        if mapping and "text" not in mapping and "html" not in mapping:
            raise CorpusOptionsError("--columns must map 'text' (or 'html')")
        delimiter = _unescape(delimiter)
        quotechar = _unescape(quotechar)
        for name, value in (("--delimiter", delimiter), ("--quotechar", quotechar)):
            if value is not None and len(value) != 1:
                raise CorpusOptionsError(f"{name} must be one character")
        if language is not None and language not in LANGUAGES:
            raise CorpusOptionsError(f"unsupported language {language!r}; use one of {', '.join(LANGUAGES)}")
        if encoding:
            try:
                codecs.lookup(encoding)
            except LookupError as exc:
                raise CorpusOptionsError(f"unknown encoding {encoding!r}") from exc
        return cls(mapping, delimiter, quotechar, header, language, label, encoding)


def _unescape(value: str | None) -> str | None:
    if value is None:
        return None
    return {"\\t": "\t", "tab": "\t", "\\|": "|"}.get(value, value)


def _detect_encoding(path: Path) -> str:
    """UTF-8 when the first megabyte decodes as UTF-8, else windows-1252 (old Western exports)."""
    with path.open("rb") as fh:
        data = fh.read(1024 * 1024)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(data.removeprefix(codecs.BOM_UTF8), final=False)  # a cut multibyte char is fine
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def _sniff(sample: str, options: CorpusOptions) -> tuple[str, str]:
    """Delimiter and quote character that split the sample into the most regular table.

    csv.Sniffer guesses badly on prose (commas everywhere); here every candidate pair parses the
    sample, and the one giving every row the same number of columns (2 or more) wins, then the one
    that actually quotes cells with its quote character.
    """
    lines = sample.splitlines()
    body = "\n".join(lines[:-1] if len(lines) > 1 else lines)  # the last line may be cut
    best: tuple[tuple[float, int, int], str, str] | None = None
    for delimiter in [options.delimiter] if options.delimiter else [",", ";", "\t", "|"]:
        for quotechar in [options.quotechar] if options.quotechar else ['"', "'"]:
            try:
                rows = [r for r in csv.reader(io.StringIO(body), delimiter=delimiter, quotechar=quotechar) if r]
            except csv.Error:
                continue
            if not rows:
                continue
            counts = Counter(len(r) for r in rows)
            modal, freq = counts.most_common(1)[0]
            if modal < 2:
                continue
            quoted = sum(line.count(delimiter + quotechar) + line.startswith(quotechar) for line in lines[:50])
            score = (freq / len(rows), quoted, -modal)
            if best is None or score > best[0]:
                best = (score, delimiter, quotechar)
    if best is None:
        return options.delimiter or ",", options.quotechar or '"'
    return best[1], best[2]


def _header_mapping(row: list[str]) -> dict[str, int] | None:
    mapping: dict[str, int] = {}
    for i, name in enumerate(row):
        field_name = _HEADER_NAMES.get(name.strip().lower())
        if field_name and field_name not in mapping:
            mapping[field_name] = i
    return mapping if ("text" in mapping or "html" in mapping) else None


def iter_csv(path: str | Path, options: CorpusOptions | None = None) -> Iterator[Article | LoadFailure]:
    """One Article (or LoadFailure) per row of a CSV/TSV file."""
    path = Path(path)
    options = options or CorpusOptions()
    try:
        encoding = options.encoding or _detect_encoding(path)
        fh = path.open("r", encoding=encoding, errors="replace", newline="")
    except OSError as exc:
        yield LoadFailure(str(path), f"cannot read: {exc.strerror or exc}")
        return
    csv.field_size_limit(min(sys.maxsize, MAX_FIELD_BYTES))
    with fh:
        sample = fh.read(SNIFF_BYTES)
        delimiter, quotechar = _sniff(sample, options)
        fh.seek(0)
        reader = csv.reader(fh, delimiter=delimiter, quotechar=quotechar)
        try:
            first = next(reader, None)
        except csv.Error as exc:
            yield LoadFailure(str(path), f"not a readable CSV file: {exc}")
            return
        if first is None:
            yield LoadFailure(str(path), "empty file")
            return
        mapping = _resolve_columns(first, sample, delimiter, quotechar, options)
        if isinstance(mapping, LoadFailure):
            yield LoadFailure(str(path), mapping.reason)
            return
        columns, has_header = mapping
        rows = reader if has_header else _chain(first, reader)
        line = 1 if has_header else 0
        while True:
            try:
                row = next(rows)
            except StopIteration:
                break
            except csv.Error as exc:
                yield LoadFailure(f"{path}:{reader.line_num}", f"bad CSV row: {exc}")
                continue
            line += 1
            if not any(cell.strip() for cell in row):
                continue
            obj = {}
            for name, index in columns.items():
                if index >= len(row):
                    continue
                obj[name] = row[index]
            item = _finish(obj, f"{path}:{line}", f"{path.stem}-{line}", options)
            if item is not None:
                yield item


def _chain(first: list[str], rest: Iterator[list[str]]) -> Iterator[list[str]]:
    yield first
    yield from rest


def _resolve_columns(
    first: list[str], sample: str, delimiter: str, quotechar: str, options: CorpusOptions
) -> tuple[dict[str, int], bool] | LoadFailure:
    """Field -> column index, and whether the first row is a header."""
    by_header = _header_mapping(first)
    named = any(isinstance(c, str) for c in options.columns.values())  # names need a header row
    has_header = options.header if options.header is not None else (by_header is not None or named)
    if options.columns:
        names = [c.strip().lower() for c in first]
        out: dict[str, int] = {}
        for name, col in options.columns.items():
            if isinstance(col, int):
                out[name] = col
            elif col.lower() in names and has_header:
                out[name] = names.index(col.lower())
            else:
                return LoadFailure("", f"--columns: no column named {col!r} in the header")
        return out, has_header
    if by_header is not None and has_header:
        return by_header, True
    # No header: the text is the column with the longest cells in the sample.
    rows = list(csv.reader(io.StringIO(sample), delimiter=delimiter, quotechar=quotechar))[:50]
    widths: dict[int, int] = {}
    for row in rows[:-1] or rows:  # the sample's last row may be cut
        for i, cell in enumerate(row):
            widths[i] = widths.get(i, 0) + len(cell)
    if not widths:
        return LoadFailure("", "no columns found")
    return {"text": max(widths, key=lambda i: widths[i])}, has_header


def _finish(obj: dict[str, Any], origin: str, default_id: str, options: CorpusOptions) -> Article | LoadFailure | None:
    label = obj.pop("label", None)
    if options.label is not None and (label or "").strip() != options.label:
        return None
    obj = {k: v.strip() if isinstance(v, str) else v for k, v in obj.items()}
    obj = {k: v for k, v in obj.items() if v not in (None, "")}
    if options.language:
        obj["language"] = options.language
    item = article_from_mapping(obj, origin, default_id=default_id)
    if isinstance(item, LoadFailure):
        item.reason = item.reason.replace("field", "column")
    return item


def _as_text(value: Any) -> str | None:
    """Corpus values as strings: numbers and dates written as numbers, lists of authors joined."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list):
        return ", ".join(str(v) for v in value if v is not None)
    if isinstance(value, dict):
        return None
    return str(value)


def _dig(obj: Any, key: str) -> Any:
    for part in key.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj


def iter_jsonl(path: str | Path, options: CorpusOptions | None = None) -> Iterator[Article | LoadFailure]:
    """One Article per line of a JSON Lines file, with keys mapped by ``options.columns``."""
    path = Path(path)
    options = options or CorpusOptions()
    try:
        fh = path.open("r", encoding=options.encoding or _detect_encoding(path), errors="replace")
    except OSError as exc:
        yield LoadFailure(str(path), f"cannot read: {exc.strerror or exc}")
        return
    with fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            origin = f"{path}:{lineno}"
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                yield LoadFailure(origin, f"invalid JSON ({exc.msg})")
                continue
            if not isinstance(raw, dict):
                yield LoadFailure(origin, "expected a JSON object")
                continue
            obj = {k: _as_text(raw[k]) for k in FIELDS if k in raw and k not in options.columns}
            for name, key in options.columns.items():
                value = _as_text(_dig(raw, key) if isinstance(key, str) else None)
                if value is not None:
                    obj[name] = value
            item = _finish(obj, origin, f"{path.stem}-{lineno}", options)
            if item is not None:
                yield item
