"""WARC reading speed: records/s and MB/s on one core, with and without article extraction.

    .venv/bin/python benchmarks/bench_warc.py [--pages 2000] [--json]

The archive is written by warcio's own writer in a temporary folder, CC-NEWS style (one gzip member
per record, a request record before every response), with the benchmark pages of _pages.py.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from io import BytesIO
from pathlib import Path

from _pages import pages


def build(path: Path, n: int) -> int:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    docs = pages(min(n, 256))
    raw = 0
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i in range(n):
            url = f"https://www.example.org/news/{i}.html"
            writer.write_record(writer.create_warc_record(url, "request", payload=BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
            body = docs[i % len(docs)].replace("</article>", f"<p>Record {i}.</p></article>").encode()
            raw += len(body)
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=http))
    return raw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from mercato.ingest.warc import WarcReader

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.warc.gz"
        raw = build(path, args.pages)
        size = path.stat().st_size

        start = time.perf_counter()
        reader = WarcReader(path, hosts=["nothing.invalid"])  # parse every record, extract none
        list(reader)
        scan = time.perf_counter() - start

        start = time.perf_counter()
        reader = WarcReader(path, checkpoint=Path(tmp) / "cp.json")
        articles = sum(1 for _ in reader)
        full = time.perf_counter() - start
    records = reader.stats.records
    result = {
        "records": records,
        "html_pages": articles,
        "file_mb": round(size / 1e6, 2),
        "html_mb": round(raw / 1e6, 2),
        "scan_records_per_s": round(records / scan),
        "scan_mb_per_s": round(size / 1e6 / scan, 1),
        "extract_records_per_s": round(records / full, 1),
        "extract_pages_per_s": round(articles / full, 1),
        "extract_mb_per_s": round(size / 1e6 / full, 2),
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"archive              {result['records']} records, {result['file_mb']} MB gz ({result['html_mb']} MB HTML)")
    print(f"scan only            {result['scan_records_per_s']} records/s, {result['scan_mb_per_s']} MB/s")
    print(
        f"scan + extract       {result['extract_records_per_s']} records/s, {result['extract_pages_per_s']} pages/s, "
        f"{result['extract_mb_per_s']} MB/s (checkpoint after every page)"
    )


if __name__ == "__main__":
    main()
