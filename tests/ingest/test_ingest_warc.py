"""WARC reading, filters, checkpoints, and a killed run that resumes without loss or duplicates."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
from ingest_warc import build_warc

from mercato.ingest.files import LoadFailure, iter_articles
from mercato.ingest.warc import Checkpoint, WarcReader
from mercato.model import Article

REPO = Path(__file__).resolve().parents[2]
MERCATO = [sys.executable, "-c", "from mercato.cli import main; main()"]


@pytest.mark.parametrize("gz", [True, False])
def test_reads_html_responses_only(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("a.warc.gz" if gz else "a.warc")
    urls = build_warc(path, 12, gz=gz)
    reader = WarcReader(path)
    items = list(reader)
    assert all(isinstance(i, Article) for i in items)
    assert [i.url for i in items] == urls  # the 404, the image, requests and warcinfo are skipped
    first = items[0]
    assert first.fetched == "2024-07-02T10:00:00Z" and first.published == "2024-07-01"
    assert first.origin == urls[0] and first.language == "de"
    assert reader.stats.html == 12 and reader.stats.records > 12


def test_host_and_regex_filters(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    urls = build_warc(path, 10)
    by_host = [a.url for a in WarcReader(path, hosts=["example.org"])]
    assert by_host == [u for u in urls if "example.org" in u]
    by_regex = [a.url for a in WarcReader(path, url_regex=r"/story/[13]$")]
    assert by_regex == [urls[1], urls[3]]


def test_iter_articles_dispatches_warc(tmp_path: Path) -> None:
    build_warc(tmp_path / "x.warc.gz", 3)
    build_warc(tmp_path / "y.warc", 2, gz=False)
    items = list(iter_articles([tmp_path]))
    assert len(items) == 5 and all(isinstance(i, Article) for i in items)


def test_damaged_archive_is_a_failure_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "cut.warc.gz"
    build_warc(path, 6)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    items = list(WarcReader(path))
    assert any(isinstance(i, Article) for i in items)
    assert isinstance(items[-1], LoadFailure)
    (tmp_path / "junk.warc").write_bytes(b"this is not a web archive\n" * 10)
    (item,) = list(WarcReader(tmp_path / "junk.warc"))
    assert isinstance(item, LoadFailure) and "not a valid WARC" in item.reason


def test_checkpoint_resumes_after_the_last_committed_item(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    urls = build_warc(path, 10)
    cp = tmp_path / "cp.json"
    taken = []
    for item in WarcReader(path, checkpoint=cp):
        taken.append(item.url)
        if len(taken) == 4:
            break  # the consumer stops: item 4 was never handed back, so it is not committed
    saved = Checkpoint.load(cp).data
    assert saved["path"] == str(path.resolve()) and saved["offset"] > 0 and saved["count"] > 0
    rest = [a.url for a in WarcReader(path, checkpoint=cp)]
    assert taken[:3] + rest == urls  # item 4 comes again, nothing else does
    assert json.loads(cp.read_text())["done"] is True
    assert list(WarcReader(path, checkpoint=cp)) == []  # finished: nothing more


def test_checkpoint_of_another_file_is_ignored(tmp_path: Path) -> None:
    a, b = tmp_path / "a.warc.gz", tmp_path / "b.warc.gz"
    build_warc(a, 3)
    urls_b = build_warc(b, 3)
    cp = tmp_path / "cp.json"
    list(WarcReader(a, checkpoint=cp))
    assert [x.url for x in WarcReader(b, checkpoint=cp)] == urls_b


def _read_lines(
    fifo: Path, lines: list[str], stop_after: int, proc: subprocess.Popen[bytes], killed: threading.Event
) -> None:
    with fifo.open("rb") as fh:
        buffer = b""
        while True:
            chunk = os.read(fh.fileno(), 65536)
            if not chunk:
                break  # writer gone (killed) and the pipe drained
            buffer += chunk
            *complete, buffer = buffer.split(b"\n")
            lines.extend(c.decode() for c in complete)
            if len(lines) >= stop_after and not killed.is_set():
                proc.send_signal(signal.SIGKILL)
                killed.set()
    # A torn last line is an uncommitted write, like a rolled-back transaction: not counted.


@pytest.mark.parametrize("gz", [True, False])
def test_killed_run_resumes_without_loss_or_duplicates(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("big.warc.gz" if gz else "big.warc")
    urls = build_warc(path, 150, gz=gz)
    cp = tmp_path / "cp.json"
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    cmd = [*MERCATO, "warc", str(path), "--checkpoint", str(cp), "--quiet"]
    # The output is a pipe read by this test: the writer can run at most a pipe buffer ahead, so the
    # kill lands in the middle of the run, while records are being committed.
    proc = subprocess.Popen([*cmd, "--out", str(fifo)], cwd=REPO, stderr=subprocess.PIPE)
    first: list[str] = []
    killed = threading.Event()
    reader = threading.Thread(target=_read_lines, args=(fifo, first, 30, proc, killed))
    reader.start()
    reader.join(timeout=60)
    proc.wait(timeout=10)
    assert killed.is_set() and proc.returncode == -signal.SIGKILL
    assert 30 <= len(first) < len(urls)  # stopped part-way
    assert Checkpoint.load(cp).data["offset"] > 0

    out = tmp_path / "rest.jsonl"
    done = subprocess.run([*cmd, "--out", str(out), "--json"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["resumed"] == [str(path)]
    second = out.read_text().splitlines()
    got = [json.loads(line)["url"] for line in first + second]
    counts = Counter(got)
    assert set(got) == set(urls)  # no loss
    # No duplicates beyond the single item that may be in flight at the instant of the kill
    # (written, checkpoint not yet moved): the store's dedup absorbs that one.
    assert sum(n - 1 for n in counts.values()) <= 1
    assert len(second) <= len(urls) - len(first) + 1


def test_killed_run_into_the_store_resumes_without_loss_or_duplicates(tmp_path: Path) -> None:
    import sqlite3
    import time

    pytest.importorskip("mercato.service.ingest")
    path = tmp_path / "cc-news.warc.gz"
    urls = build_warc(path, 60)
    db = tmp_path / "mercato.db"
    cmd = [*MERCATO, "warc", str(path), "--checkpoint", str(tmp_path / "cp.json"), "--db", str(db), "--quiet"]

    def stored() -> list[str]:
        if not db.exists():
            return []
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
                return [row[0] for row in conn.execute("SELECT url FROM articles")]
        except sqlite3.OperationalError:
            return []  # schema not created yet

    proc = subprocess.Popen(cmd, cwd=REPO, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while len(stored()) < 10 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    before = stored()
    assert proc.returncode == -signal.SIGKILL and 10 <= len(before) < len(urls), "the kill must land mid-run"

    done = subprocess.run([*cmd, "--json"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    after = stored()
    assert sorted(after) == sorted(urls)  # every page stored exactly once
    assert summary["new"] + summary["near_duplicate"] == len(urls) - len(before)  # same-language pages are alike
    assert summary["duplicate"] <= 1  # only an item in flight at the kill is offered again
