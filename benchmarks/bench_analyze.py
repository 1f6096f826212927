"""Analysis speed and memory: articles per second on one core, start-up time, peak memory.

Usage: .venv/bin/python benchmarks/bench_analyze.py [--seconds 10] [--json]
       .venv-compiled/bin/python benchmarks/bench_analyze.py  (the mypyc build, scripts/setup-compiled)

Articles are the demo and gold articles shipped in the repository, each padded to about 3 KB by
appending paragraphs of other articles in the same language, so the figure is for 3 KB articles
as the issue asks. Start-up is measured in a fresh interpreter: import, load language data and
the knowledge base, analyze one article. Peak memory is the benchmark process's max RSS.

It measures the mercato the interpreter imports: the installed one (editable in .venv, so the
source; compiled in .venv-compiled), else src/ of this checkout. The first line says which build.
"""

from __future__ import annotations

import argparse
import importlib.machinery
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# the installed mercato when there is one: the repository's src/ would hide a compiled install
FROM_SOURCE = importlib.util.find_spec("mercato") is None
if FROM_SOURCE:
    sys.path.insert(0, str(REPO / "src"))

STARTUP_SNIPPET = """
import time
t0 = time.perf_counter()
from mercato.analysis.pipeline import analyze_article
from mercato.model import Article
analyze_article(Article(id="x", language="it", published="2024-05-06",
    text="Il Napoli vuole Dan Ndoye del Bologna: contatti avviati, contratto fino al 2027."))
print(time.perf_counter() - t0)
"""


def sample_articles(target_bytes: int = 3000) -> list:
    from mercato.ingest.files import LoadFailure, iter_articles

    articles = [
        a
        for a in iter_articles([REPO / "src/mercato/demo", REPO / "tests/gold/articles"])
        if not isinstance(a, LoadFailure)
    ]
    by_lang: dict[str, list] = defaultdict(list)
    for a in articles:
        by_lang[a.language or "?"].append(a)
    padded = []
    for group in by_lang.values():
        for i, a in enumerate(group):
            text = a.text
            j = 1
            while len(text.encode("utf-8")) < target_bytes and len(group) > 1:
                other = group[(i + j) % len(group)]
                paragraph = other.text.split("\n\n")[min(1, other.text.count("\n\n"))]
                text += "\n\n" + paragraph
                j += 1
            a.text = text
            padded.append(a)
    return padded


def build_kind() -> str:
    """Whether the analysis modules are mypyc extension modules: "compiled", else "interpreted"."""
    import mercato.analysis.claims
    import mercato.analysis.pipeline

    files = [mercato.analysis.pipeline.__file__ or "", mercato.analysis.claims.__file__ or ""]
    compiled = [f.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)) for f in files]
    return "compiled" if all(compiled) else "partly compiled" if any(compiled) else "interpreted"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0, help="how long to run the throughput loop")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    import mercato

    build = build_kind()
    if not args.json:
        print(f"{'build':>24}: {build} ({Path(mercato.__file__ or '').parent})")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if FROM_SOURCE:
        env["PYTHONPATH"] = str(REPO / "src")
    startups = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", STARTUP_SNIPPET],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        startups.append(float(out.stdout.strip().splitlines()[-1]))

    from mercato.analysis.pipeline import analyze_article

    articles = sample_articles()
    sizes = [len(a.text.encode("utf-8")) for a in articles]
    for a in articles:  # warm-up: compile every language's patterns once
        analyze_article(a)
    done = 0
    per_article = []
    cpu_started = time.process_time()
    started = time.perf_counter()
    while time.perf_counter() - started < args.seconds:
        for a in articles:
            t0 = time.perf_counter()
            analyze_article(a)
            per_article.append(time.perf_counter() - t0)
            done += 1
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "build": build,
        "articles": len(articles),
        "mean_article_bytes": round(statistics.mean(sizes)),
        "articles_per_second": round(done / elapsed, 1),
        # CPU time is what one core spends; it stays meaningful on a busy machine
        "articles_per_cpu_second": round(done / cpu, 1),
        "median_ms": round(statistics.median(per_article) * 1000, 2),
        "p95_ms": round(sorted(per_article)[int(0.95 * len(per_article))] * 1000, 2),
        "startup_seconds_median": round(statistics.median(startups), 3),
        "peak_rss_mb": round(peak_mb, 1),
    }
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            if k != "build":
                print(f"{k:>24}: {v}")


if __name__ == "__main__":
    main()
