"""HTML extraction (and extraction + analysis) in pages per second on one core.

    .venv/bin/python benchmarks/bench_html.py [--seconds 10] [--json]

Pages are the demo articles wrapped in about 60 KB of realistic site boilerplate (benchmarks/_pages.py).
Target (issue "Bring the news in"): extraction + analysis >= 50 pages/s on one core.
"""

from __future__ import annotations

import argparse
import json
import re
import time

from _pages import pages


def rate(fn, items: list, seconds: float) -> tuple[float, int]:
    done, i = 0, 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn(items[i % len(items)])
        done += 1
        i += 1
    return done / (time.perf_counter() - start), done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from mercato.analysis.pipeline import analyze_article
    from mercato.ingest.html import extract_html

    docs = pages(64)
    size = sum(len(d.encode()) for d in docs) / len(docs)
    extracted = [extract_html(d, url="https://www.example.org/x", fetched="2025-12-31") for d in docs]
    assert all(extracted), "every benchmark page must yield an article"
    analyze_article(extracted[0])  # warm caches (language data, KB) outside the timing

    extract_rate, n1 = rate(lambda d: extract_html(d, fetched="2025-12-31"), docs, args.seconds / 2)

    def both(d: str) -> None:
        article = extract_html(d, fetched="2025-12-31")
        analyze_article(article)

    both_rate, n2 = rate(both, docs, args.seconds / 2)
    # Pages without JSON-LD or meta dates take trafilatura's slower metadata and date search.
    plain = [re.sub(r'<script type="application/ld\+json">.*?</script>', "", d) for d in docs]
    plain_rate, n3 = rate(lambda d: extract_html(d, fetched="2025-12-31"), plain, args.seconds / 4)
    result = {
        "page_kb": round(size / 1024, 1),
        "extract_pages_per_s": round(extract_rate, 1),
        "extract_and_analyze_pages_per_s": round(both_rate, 1),
        "extract_plain_pages_per_s": round(plain_rate, 1),
        "pages_timed": n1 + n2 + n3,
        "target_pages_per_s": 50,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"page size            {result['page_kb']} KB")
        print(f"extract only         {result['extract_pages_per_s']} pages/s")
        print(f"extract, no JSON-LD  {result['extract_plain_pages_per_s']} pages/s")
        print(f"extract + analyze    {result['extract_and_analyze_pages_per_s']} pages/s (target >= 50)")


if __name__ == "__main__":
    main()
