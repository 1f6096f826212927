"""`mercato eval` through the real console script: scores, floors, and a broken floors file."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from cli_helpers import MERCATO

REPO = Path(__file__).resolve().parents[2]
ARTICLE = (
    "Il Genoa ha chiesto informazioni per Marco Bellini del Cagliari. Il difensore ha un contratto fino al 2027."
)


def run_eval(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "MERCATO_DEBUG"}
    return subprocess.run([str(MERCATO), "eval", *args], capture_output=True, text=True, env=env, timeout=300)


def corpus(tmp_path: Path) -> tuple[Path, Path]:
    articles, gold = tmp_path / "articles", tmp_path / "gold"
    articles.mkdir()
    gold.mkdir()
    (articles / "it-1.txt").write_text(ARTICLE, encoding="utf-8")
    (articles / "it-1.meta.json").write_text('{"language": "it", "published": "2025-01-15"}', encoding="utf-8")
    (gold / "it-1.gold.json").write_text(
        '{"id": "it-1", "language": "it", "published": "2025-01-15", "entities": ['
        '{"id": "p1", "name": "Marco Bellini", "type": "player", "mentions": ["Marco Bellini"]},'
        '{"id": "c1", "name": "Genoa", "type": "club", "mentions": ["Genoa"]},'
        '{"id": "c2", "name": "Cagliari", "type": "club", "mentions": ["Cagliari"]}], "claims": ['
        '{"type": "interest", "player": "Marco Bellini", "club": "Genoa", "status": "reported",'
        ' "date": null, "evidence": "Il Genoa ha chiesto informazioni per Marco Bellini del Cagliari."}]}',
        encoding="utf-8",
    )
    return articles, gold


def test_floors_pass_and_fail(tmp_path: Path) -> None:
    articles, gold = corpus(tmp_path)
    low = tmp_path / "low.toml"
    low.write_text("[overall]\nentities_typed_f1 = 0.5\n", encoding="utf-8")
    ok = run_eval("--corpus", str(articles), "--gold", str(gold), "--floors", str(low), "--no-details")
    assert ok.returncode == 0, ok.stderr
    assert "overall" in ok.stdout
    high = tmp_path / "high.toml"
    high.write_text("[overall]\nentities_typed_f1 = 1.01\n", encoding="utf-8")
    failed = run_eval("--corpus", str(articles), "--gold", str(gold), "--floors", str(high), "--no-details")
    assert failed.returncode == 1
    assert "below floor" in failed.stderr


def test_a_broken_floors_file_is_one_clear_line_before_any_scoring(tmp_path: Path) -> None:
    articles, gold = corpus(tmp_path)
    broken = tmp_path / "broken.toml"
    broken.write_text("[overall]\nclaims f1 0.5\n", encoding="utf-8")
    run = run_eval("--corpus", str(articles), "--gold", str(gold), "--floors", str(broken))
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    assert "floors file" in run.stderr and "broken.toml" in run.stderr
    assert "overall" not in run.stdout  # nothing was scored
