"""Instructions per analyzed article, counted by valgrind: steady on a busy machine, where
timings vary by a quarter.

Usage: .venv/bin/python benchmarks/instructions.py            (the editable install: interpreted)
       .venv-compiled/bin/python benchmarks/instructions.py   (the mypyc build)

Runs bench_analyze's 81 sample articles through analyze_article after one warm-up pass, once
with one timed pass and once with two, under ``valgrind --tool=cachegrind``; the difference
divided by the article count is the cost of analyzing an article, start-up and warm-up excluded.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = """
import sys
sys.path.insert(0, {here!r})
from bench_analyze import build_kind, sample_articles
from mercato.analysis.pipeline import analyze_article
articles = sample_articles()
for a in articles:  # warm-up: language data, knowledge base, compiled patterns
    analyze_article(a)
for _ in range({passes}):
    for a in articles:
        analyze_article(a)
print(build_kind(), len(articles))
"""


def instructions(passes: int) -> tuple[int, str, int]:
    """Instructions executed by a process that analyzes the sample ``passes`` times after warming up."""
    out = subprocess.run(
        [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
            sys.executable,
            "-c",
            CHILD.format(here=str(HERE), passes=passes),
        ],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", out.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{out.stderr}")
    build, count = out.stdout.split()
    return int(found.group(1).replace(",", "")), build, int(count)


def main() -> None:
    one, build, articles = instructions(1)
    two, _, _ = instructions(2)
    per_article = (two - one) / articles
    print(f"{build}: {per_article / 1e6:.1f}M instructions per article ({articles} articles, {sys.executable})")


if __name__ == "__main__":
    main()
