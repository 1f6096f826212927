"""Near-duplicate cost per article: canonical URL, content hash, SimHash, and a banded lookup.

    .venv/bin/python benchmarks/bench_dedup.py [--articles 2000] [--json]

Texts are the demo articles padded to about 3 KB; the lookup keeps the four 16-bit SimHash bands
in dictionaries (what the store indexes) and compares only the candidates sharing a band.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict

from _pages import demo_articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from mercato.ingest.dedup import canonical_url, content_hash, is_near_duplicate, simhash, simhash_bands

    base = demo_articles()
    texts = []
    for i in range(args.articles):
        a = base[i % len(base)]
        text = a.text
        while len(text) < 3000:
            text += "\n\n" + base[(i + len(text)) % len(base)].text
        texts.append(f"{text}\n\nAggiornamento {i}.")
    urls = [f"https://www.example.org/news/{i}.html?utm_source=x&id={i}" for i in range(args.articles)]

    def per(fn, items) -> float:
        start = time.perf_counter()
        for item in items:
            fn(item)
        return (time.perf_counter() - start) / len(items) * 1e6

    url_us = per(canonical_url, urls)
    hash_us = per(content_hash, texts)
    fingerprint_us = per(lambda t: (content_hash(t), simhash(t)), texts)  # what the store computes
    start = time.perf_counter()
    hashes = [simhash(t) for t in texts]
    simhash_us = (time.perf_counter() - start) / len(texts) * 1e6

    bands: list[dict[int, list[int]]] = [defaultdict(list) for _ in range(4)]
    near = 0
    start = time.perf_counter()
    for i, h in enumerate(hashes):
        candidates = {j for b, value in enumerate(simhash_bands(h)) for j in bands[b].get(value, ())}
        if any(is_near_duplicate(h, hashes[j]) for j in candidates):
            near += 1
        for b, value in enumerate(simhash_bands(h)):
            bands[b][value].append(i)
    lookup_us = (time.perf_counter() - start) / len(hashes) * 1e6
    result = {
        "articles": args.articles,
        "avg_chars": round(sum(map(len, texts)) / len(texts)),
        "canonical_url_us": round(url_us, 1),
        "content_hash_us": round(hash_us, 1),
        "simhash_us": round(simhash_us, 1),
        "band_lookup_us": round(lookup_us, 1),
        "fingerprint_us": round(fingerprint_us, 1),
        "total_us_per_article": round(url_us + fingerprint_us + lookup_us, 1),
        "near_duplicates_found": near,
    }
    if args.json:
        print(json.dumps(result))
        return
    for key, value in result.items():
        print(f"{key:24} {value}")


if __name__ == "__main__":
    main()
