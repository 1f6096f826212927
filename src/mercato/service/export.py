"""Export articles, entities and claims as JSON, CSV or Parquet.

Rows are read in chunks and written as they come, so a store of 100k articles exports in bounded
memory (except Parquet, which builds one record batch per chunk).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from mercato.store import Store
from mercato.store.models import ArticleRow, ClaimRow, EntityRow

CHUNK = 5000
TABLES = ("articles", "entities", "claims")

ARTICLE_COLUMNS = (
    "id", "external_id", "url", "canonical_url", "title", "outlet", "author", "language", "published",
    "fetched", "origin", "version", "duplicate_of", "content_hash", "text",
)  # fmt: skip
ENTITY_COLUMNS = ("key", "name", "type", "kb_id", "merged_into", "attributes")
CLAIM_COLUMNS = (
    "id", "article_id", "type", "player", "player_key", "club", "club_key", "from_club", "from_club_key",
    "source", "source_key", "status", "date", "published", "fee", "detail", "counterpart", "evidence",
    "evidence_start", "evidence_end", "confidence", "source_platform", "story_id",
)  # fmt: skip
COLUMNS = {"articles": ARTICLE_COLUMNS, "entities": ENTITY_COLUMNS, "claims": CLAIM_COLUMNS}


def iter_rows(store: Store, table: str) -> Iterator[dict[str, Any]]:
    """Rows of one exported table, as plain dicts with the columns of ``COLUMNS[table]``."""
    last = 0
    while True:
        with store.session() as s:
            if table == "articles":
                rows = s.scalars(
                    select(ArticleRow).where(ArticleRow.id > last).order_by(ArticleRow.id).limit(CHUNK)
                )
                batch = [{c: getattr(r, c) for c in ARTICLE_COLUMNS} | {"_id": r.id} for r in rows]
            elif table == "entities":
                merged = aliased(EntityRow)
                q = (
                    select(EntityRow, merged.key)
                    .outerjoin(merged, merged.id == EntityRow.merged_into)
                    .where(EntityRow.id > last)
                    .order_by(EntityRow.id)
                    .limit(CHUNK)
                )
                batch = [
                    {
                        "key": r.key,
                        "name": r.name,
                        "type": r.type,
                        "kb_id": r.kb_id,
                        "merged_into": mkey,
                        "attributes": r.attributes or {},
                        "_id": r.id,
                    }
                    for r, mkey in s.execute(q)
                ]
            elif table == "claims":
                p, c, f, src = (aliased(EntityRow) for _ in range(4))
                q = (
                    select(ClaimRow, p.key, c.key, f.key, src.key)
                    .outerjoin(p, p.id == ClaimRow.player_id)
                    .outerjoin(c, c.id == ClaimRow.club_id)
                    .outerjoin(f, f.id == ClaimRow.from_club_id)
                    .outerjoin(src, src.id == ClaimRow.source_id)
                    .where(ClaimRow.id > last)
                    .order_by(ClaimRow.id)
                    .limit(CHUNK)
                )
                batch = []
                for r, pk, ck, fk, sk in s.execute(q):
                    d = {col: getattr(r, col, None) for col in CLAIM_COLUMNS}
                    d.update(player_key=pk, club_key=ck, from_club_key=fk, source_key=sk, _id=r.id)
                    batch.append(d)
            else:
                raise ValueError(f"unknown table {table!r}")
        if not batch:
            return
        last = batch[-1].pop("_id")
        for d in batch:
            d.pop("_id", None)
            yield d


def export_json(store: Store, out: IO[str]) -> dict[str, int]:
    """One JSON object ``{"articles": [...], "entities": [...], "claims": [...]}``, streamed."""
    counts: dict[str, int] = {}
    out.write("{")
    for i, table in enumerate(TABLES):
        out.write(("," if i else "") + f"\n{json.dumps(table)}: [")
        n = 0
        for row in iter_rows(store, table):
            out.write(("," if n else "") + "\n  " + json.dumps(row, ensure_ascii=False, default=str))
            n += 1
        out.write("\n]")
        counts[table] = n
    out.write("\n}\n")
    return counts


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def export_csv(store: Store, directory: Path) -> dict[str, int]:
    directory.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for table in TABLES:
        with (directory / f"{table}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(COLUMNS[table]))
            writer.writeheader()
            n = 0
            for row in iter_rows(store, table):
                writer.writerow({k: _cell(v) for k, v in row.items()})
                n += 1
        counts[table] = n
    return counts


def export_parquet(store: Store, directory: Path) -> dict[str, int]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    directory.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for table in TABLES:
        columns = list(COLUMNS[table])
        schema = pa.schema([(c, _arrow_type(table, c)) for c in columns])
        n = 0
        with pq.ParquetWriter(directory / f"{table}.parquet", schema) as writer:
            batch: list[dict[str, Any]] = []
            for row in iter_rows(store, table):
                batch.append({k: _cell(v) for k, v in row.items()})
                if len(batch) >= CHUNK:
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                    n += len(batch)
                    batch = []
            if batch or n == 0:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
        counts[table] = n
    return counts


_INT_COLUMNS = {"id", "article_id", "version", "duplicate_of", "evidence_start", "evidence_end", "story_id"}


def _arrow_type(table: str, column: str) -> Any:
    import pyarrow as pa

    if column in _INT_COLUMNS:
        return pa.int64()
    if column == "confidence":
        return pa.float64()
    return pa.string()


def export(store: Store, fmt: str, out: Path | None) -> dict[str, int]:
    """Write the export; ``out`` is a file for JSON (None: standard output), a folder otherwise."""
    if fmt == "json":
        if out is None:
            return export_json(store, sys.stdout)
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8") as fh:
            return export_json(store, fh)
    directory = out or Path("mercato-export")
    if fmt == "csv":
        return export_csv(store, directory)
    if fmt == "parquet":
        return export_parquet(store, directory)
    raise ValueError(f"unknown export format {fmt!r}")
