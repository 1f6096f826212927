"""``mercato player/club/source`` as a user runs them: the real console script on a real store."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

MERCATO = Path(sys.executable).parent / "mercato"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "MERCATO_DEBUG": "", **(env or {})}
    full_env.pop("MERCATO_DEBUG")
    return subprocess.run([str(MERCATO), *args], capture_output=True, text=True, timeout=120, env=full_env, check=False)


@pytest.mark.shared
def test_player_in_every_format_and_language(seeds_db: str) -> None:
    res = run("player", "Palomino", "--db", seeds_db, "--format", "json")
    assert res.returncode == 0, res.stderr
    d = json.loads(res.stdout)
    assert d["identity"]["key"] == "person:jose-luis-palomino" and d["club"]["club"] == "Atalanta"
    for lang, word in (("it", "Carriera"), ("nl", "Loopbaan"), ("fr", "Carrière"), ("es", "Trayectoria"),
                       ("de", "Karriere"), ("pt", "Carreira"), ("en", "Career")):  # fmt: skip
        res = run("player", "Palomino", "--db", seeds_db, "--lang", lang, "--format", "md")
        assert res.returncode == 0 and f"## {word}" in res.stdout, (lang, res.stderr)
    res = run("player", "Palomino", "--db", seeds_db, "--at", "2023")
    assert res.returncode == 0 and "2024-05-06" not in res.stdout.split("Articles")[0]


@pytest.mark.shared
def test_unknown_player_gets_suggestions_not_a_traceback(seeds_db: str) -> None:
    res = run("player", "Palomno", "--db", seeds_db)
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert "did you mean José Luis Palomino (person:jose-luis-palomino)" in res.stderr
    res = run("player", "Zzyzx Qwerty", "--db", seeds_db)
    assert res.returncode == 2 and "no player named 'Zzyzx Qwerty'" in res.stderr
    res = run("player", "Palomino", "--db", seeds_db, "--at", "May 2024")
    assert res.returncode == 2 and "invalid date" in res.stderr
    res = run("player", "Palomino", "--db", seeds_db, "--lang", "xx")
    assert res.returncode == 2 and "unsupported language" in res.stderr


@pytest.mark.shared
def test_club_and_source_commands(seeds_db: str) -> None:
    res = run("club", "Atalanta", "--db", seeds_db, "--format", "json")
    assert res.returncode == 0, res.stderr
    d = json.loads(res.stdout)
    assert "José Luis Palomino" in {p["player"] for p in d["squad"]}
    res = run("source", "Gianluigi Longari", "--db", seeds_db, "--lang", "it")
    assert res.returncode == 0, res.stderr
    assert "Leonardo Balerdi" in res.stdout and "Esiti:" in res.stdout


def test_locked_sqlite_file_is_one_clear_line(tmp_path: Path) -> None:
    from mercato.store import Store

    db = tmp_path / "locked.sqlite"
    Store.open(str(db)).close()
    holder = sqlite3.connect(db, isolation_level=None)
    # A writer (an ingest) does not block readers: the store is in WAL mode.
    holder.execute("BEGIN IMMEDIATE")
    try:
        res = run("player", "Palomino", "--db", str(db), env={"MERCATO_DB_TIMEOUT": "0.3"})
    finally:
        holder.execute("ROLLBACK")
    assert res.returncode == 2 and "no player named" in res.stderr
    # A connection holding the file exclusively does.
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        res = run("player", "Palomino", "--db", str(db), env={"MERCATO_DB_TIMEOUT": "0.3"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert res.returncode == 2
    assert "Traceback" not in res.stderr and "locked" in res.stderr


def test_unreachable_database_is_one_clear_line() -> None:
    res = run("player", "Palomino", "--db", "postgresql://x@127.0.0.1:1/none", env={"MERCATO_DB_TIMEOUT": "2"})
    assert res.returncode == 2
    assert res.stderr.strip().count("\n") == 0, res.stderr
    assert "cannot reach database" in res.stderr
