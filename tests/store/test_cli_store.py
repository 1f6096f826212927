"""The store commands as a user runs them: real processes, real files, one line per problem."""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from mercato.kb import KnowledgeBase
from mercato.store import Store

HERE = Path(__file__).parent
MERCATO = [str(Path(sys.executable).parent / "mercato")]


def run(*args: str, db: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "MERCATO_DB": db, "MERCATO_ANALYZER": "store_helpers:analyze"}
    full_env["PYTHONPATH"] = os.pathsep.join([str(HERE), full_env.get("PYTHONPATH", "")])
    full_env.pop("MERCATO_DEBUG", None)
    full_env.update(env or {})
    return subprocess.run([*MERCATO, *args], capture_output=True, text=True, env=full_env, timeout=300, check=False)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a1.txt").write_text(
        "P|José Luis Palomino|player\nC|Atalanta|atalanta\nT|contract_expiry|José Luis Palomino|Atalanta|reported\n"
    )
    (folder / "a1.meta.json").write_text(json.dumps({"url": "https://example.com/palomino", "published": "2024-05-06"}))
    (folder / "a2.txt").write_text("P|Gómez|player\nC|Atalanta|atalanta\n")
    (folder / "bad.json").write_text("{not json")
    (folder / "fails.txt").write_text("P|Mario Rossi|player\nFAIL\n")
    lines = [
        json.dumps({"id": "j1", "text": "P|Duván Zapata|player\nC|Torino|\nT|transfer|Duván Zapata|Torino|official"}),
        json.dumps({"id": "j2", "text": 42}),
    ]
    (folder / "batch.jsonl").write_text("\n".join(lines) + "\n")
    return folder


def test_ingest_reports_failures_one_line_each_and_stores_the_rest(corpus: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "m.sqlite")
    res = run("ingest", str(corpus), db=db)
    assert res.returncode == 1, res.stderr
    assert "Traceback" not in res.stderr
    failed = [line for line in res.stderr.splitlines() if line.startswith("mercato: failed")]
    assert len(failed) == 3, res.stderr  # bad.json, fails.txt (analysis), batch.jsonl:2
    assert "read 6, new 3, duplicate 0, updated 0, failed 3" in res.stderr
    again = run("ingest", str(corpus), db=db)
    assert "read 6, new 0, duplicate 3, updated 0, failed 3" in again.stderr
    with Store.open(db) as st:
        assert st.counts()["articles"] == 3
    shown = run("entity", "show", "jose luis palomino", db=db)
    assert shown.returncode == 0 and "person:jose-palomino" in shown.stdout
    found = run("entity", "search", "Palomno", db=db)
    assert "José Luis Palomino" in found.stdout


def test_ingest_on_a_locked_sqlite_file_says_so(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "locked.sqlite"
    Store.open(str(db)).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        res = run("ingest", str(corpus), db=str(db), env={"MERCATO_DB_TIMEOUT": "0.3"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert "is locked by another process" in res.stderr


def test_unreachable_database_is_one_clear_line(corpus: Path) -> None:
    res = run("ingest", str(corpus), db="postgresql://x@127.0.0.1:1/none", env={"MERCATO_DB_TIMEOUT": "2"})
    assert res.returncode == 2
    assert res.stderr.strip().count("\n") == 0, res.stderr
    assert "cannot reach database" in res.stderr


def test_entity_corrections_from_the_command_line(corpus: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "m.sqlite")
    run("ingest", str(corpus), db=db)
    res = run("entity", "alias", "add", "club:atalanta", "la Dea", db=db)
    assert res.returncode == 0, res.stderr
    res = run("entity", "merge", "person:jose-palomino", "Gómez", db=db)
    assert res.returncode == 0, res.stderr
    res = run("entity", "split", "person:jose-palomino", "--alias", "Gómez", db=db)
    assert res.returncode == 0, res.stderr
    listed = run("entity", "corrections", db=db)
    assert [line.split()[1] for line in listed.stdout.splitlines()] == ["alias", "merge", "split"]
    missing = run("entity", "show", "Nobody Atall", db=db)
    assert missing.returncode == 2 and "no entity" in missing.stderr


@pytest.mark.parametrize("fmt", ["json", "csv", "parquet"])
def test_export(fmt: str, corpus: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "m.sqlite")
    run("ingest", str(corpus), db=db)
    out = tmp_path / ("export.json" if fmt == "json" else "export")
    res = run("export", "--format", fmt, "--out", str(out), db=db)
    assert res.returncode == 0, res.stderr
    if fmt == "json":
        data = json.loads(out.read_text())
        assert len(data["articles"]) == 3 and len(data["claims"]) == 2
        claim = next(c for c in data["claims"] if c["type"] == "contract_expiry")
        assert claim["player_key"] == "person:jose-palomino" and claim["club_key"] == "club:atalanta"
    elif fmt == "csv":
        assert (out / "claims.csv").read_text().count("\n") == 3
    else:
        import pyarrow.parquet as pq

        assert pq.read_table(out / "entities.parquet").num_rows >= 4
        assert pq.read_table(out / "claims.parquet").column("player_key").to_pylist().count("person:jose-palomino") == 1


# -- kb import from the shared data sets ----------------------------------------------------------------
def load_with(folder: Path) -> KnowledgeBase:
    from mercato.kb import BUILTIN_DIR

    kb = KnowledgeBase()
    kb.load_dir(BUILTIN_DIR)
    kb.load_dir(folder)
    return kb


def test_kb_import_openfootball_extends_builtin_clubs(shared_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "kb"
    res = run("kb", "import", "openfootball", str(shared_dir / "data/openfootball-clubs"), "--out", str(out), db="")
    assert res.returncode == 0, res.stderr
    data = tomllib.loads((out / "import-openfootball.toml").read_text())
    atalanta = [c for c in data["club"] if c["id"] == "atalanta"]
    assert len(atalanta) == 1 and "At. Bergamo" in atalanta[0]["aliases"]
    assert not any(c["name"] == "Atalanta Bergamo" and c["id"] != "atalanta" for c in data["club"])
    kb = load_with(out)
    assert [e.id for e in kb.lookup("At. Bergamo")] == ["atalanta"]
    assert [e.id for e in kb.lookup("AS Rom")] == [kb.lookup("Roma")[0].id]  # a German exonym
    # Importing again replaces the file instead of piling up duplicates.
    run("kb", "import", "openfootball", str(shared_dir / "data/openfootball-clubs"), "--out", str(out), db="")
    assert sorted(p.name for p in out.iterdir()) == ["import-openfootball.toml"]


def test_kb_import_reep_and_transfermarkt(shared_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "kb"
    for source, folder in (("reep", "reep"), ("transfermarkt", "transfermarkt-datasets")):
        res = run("kb", "import", source, str(shared_dir / "data" / folder), "--out", str(out), db="")
        assert res.returncode == 0, res.stderr
    kb = load_with(out)
    assert kb.get("atalanta").attrs.get("transfermarkt_id")
    assert [e.id for e in kb.lookup("Atalanta Bergamasca Calcio S.p.a.")] == ["atalanta"]
    bad = run("kb", "import", "reep", str(tmp_path), "--out", str(out), db="")
    assert bad.returncode == 2 and "teams.csv" in bad.stderr and "Traceback" not in bad.stderr


def test_kb_import_tmtransfers_stores_historic_transfers_once(shared_dir: Path, tmp_path: Path) -> None:
    src = shared_dir / "data/tmtransfers-emordonez/transfers_1992_2020.csv.gz"
    sample = tmp_path / "tm" / "transfers_1992_2020.csv.gz"
    sample.parent.mkdir()
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        head = [next(fh) for _ in range(400)]
    with gzip.open(sample, "wt", encoding="utf-8") as fh:
        fh.writelines(head)
    db = str(tmp_path / "m.sqlite")
    out = tmp_path / "kb"
    res = run("kb", "import", "tmtransfers", str(sample.parent), "--out", str(out), db=db)
    assert res.returncode == 0, res.stderr
    with Store.open(db) as st:
        facts = st.counts()["facts"]
        assert 150 < facts < 400  # the in/out rows of one move are one fact
    again = run("kb", "import", "tmtransfers", str(sample.parent), "--out", str(out), db=db)
    assert again.returncode == 0
    with Store.open(db) as st:
        assert st.counts()["facts"] == facts
    assert "1. FC Köln" in (out / "import-tmtransfers.toml").read_text() or load_with(out).lookup("1. FC Köln")
