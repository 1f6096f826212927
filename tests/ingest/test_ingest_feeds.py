"""Feeds against a real loopback server: conditional GET, state, failures that do not stop the others."""

from __future__ import annotations

import json
import subprocess
import sys
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from ingest_pages import BODIES, atom, page, rss
from ingest_server import LoopbackServer

from mercato.ingest.feeds import Feed, FeedReport, FeedState, iter_feeds, load_feed_list
from mercato.ingest.fetch import FetchConfig, Fetcher
from mercato.ingest.files import LoadFailure
from mercato.model import LANGUAGES, Article

REPO = Path(__file__).resolve().parents[2]
MERCATO = [sys.executable, "-c", "from mercato.cli import main; main()"]


def fetcher() -> Fetcher:
    return Fetcher(FetchConfig(allow_hosts=("127.0.0.1",), timeout=2.0, retries=0, backoff=0.01, rate=0.0))


def etag_feed(server: LoopbackServer, path: str, body: dict[str, str]) -> None:
    """Serve ``body['xml']`` with ETag ``body['etag']``; answer 304 when the client already has it."""

    def handler(h: BaseHTTPRequestHandler) -> None:
        if h.headers.get("If-None-Match") == body["etag"]:
            h.send_response(304)
            h.send_header("ETag", body["etag"])
            h.end_headers()
            return
        data = body["xml"].encode()
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        h.send_header("ETag", body["etag"])
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    server.route(path, handler)


def test_rss_etag_304_and_only_new_items(server: LoopbackServer, tmp_path: Path) -> None:
    for n, lang in enumerate(["it", "de", "fr"], start=1):
        server.static(f"/news/{n}.html", page(lang))
    items = [("g2", server.url("/news/2.html"), "two"), ("g1", server.url("/news/1.html"), "one")]
    feed_body = {"xml": rss(items), "etag": '"v1"'}
    etag_feed(server, "/feed.xml", feed_body)
    feeds = [Feed(server.url("/feed.xml"), outlet="Test Outlet", language="it")]
    state_file = tmp_path / "mercato.db.feeds.json"

    reports: list[FeedReport] = []
    with fetcher() as f:
        first = list(iter_feeds(feeds, f, FeedState.load(state_file), report=reports.append))
    assert [a.title for a in first if isinstance(a, Article)] == [BODIES["it"][0], BODIES["de"][0]]  # oldest first
    assert reports[-1].status == "ok" and reports[-1].new == 2
    saved = json.loads(state_file.read_text())["feeds"][server.url("/feed.xml")]
    assert saved["etag"] == '"v1"' and sorted(saved["seen"]) == ["g1", "g2"]

    with fetcher() as f:  # same content: one conditional request, answered 304, nothing fetched
        second = list(iter_feeds(feeds, f, FeedState.load(state_file), report=reports.append))
    assert second == [] and reports[-1].status == "not_modified"
    feed_requests = [h for p, h in server.requests if p == "/feed.xml"]
    assert feed_requests[-1]["if-none-match"] == '"v1"'
    assert server.hits["/news/1.html"] == 1

    # A new item appears: only it is fetched.
    feed_body.update(xml=rss([("g3", server.url("/news/3.html"), "three"), *items]), etag='"v2"')
    with fetcher() as f:
        third = list(iter_feeds(feeds, f, FeedState.load(state_file)))
    assert [a.title for a in third if isinstance(a, Article)] == [BODIES["fr"][0]]
    assert server.hits["/news/1.html"] == 1 and server.hits["/news/3.html"] == 1


def test_atom_with_last_modified(server: LoopbackServer, tmp_path: Path) -> None:
    server.static("/n/1.html", page("nl"))
    stamp = "Fri, 12 Jul 2024 08:00:00 GMT"

    def handler(h: BaseHTTPRequestHandler) -> None:
        if h.headers.get("If-Modified-Since") == stamp:
            h.send_response(304)
            h.end_headers()
            return
        data = atom([("urn:1", server.url("/n/1.html"), "een")]).encode()
        h.send_response(200)
        h.send_header("Content-Type", "application/atom+xml")
        h.send_header("Last-Modified", stamp)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    server.route("/atom.xml", handler)
    feeds = [Feed(server.url("/atom.xml"), language="nl")]
    state = FeedState.load(tmp_path / "s.json")
    with fetcher() as f:
        assert len([i for i in iter_feeds(feeds, f, state) if isinstance(i, Article)]) == 1
        assert list(iter_feeds(feeds, f, state)) == []
    assert server.hits["/atom.xml"] == 2 and server.hits["/n/1.html"] == 1


def test_down_and_malformed_feeds_are_reported_and_skipped(server: LoopbackServer, tmp_path: Path) -> None:
    server.static("/ok/1.html", page("es"))
    server.static("/good.xml", rss([("a", server.url("/ok/1.html"), "uno")]), content_type="application/rss+xml")
    server.static("/down.xml", "oops", status=500, content_type="text/plain")
    server.static("/broken.xml", "<rss><channel><item><title>half", content_type="application/rss+xml")
    feeds = [Feed(server.url(p)) for p in ("/down.xml", "/broken.xml", "/missing.xml", "/good.xml")]
    reports: list[FeedReport] = []
    with fetcher() as f:
        items = list(iter_feeds(feeds, f, FeedState.load(tmp_path / "s.json"), report=reports.append))
    failures = [i for i in items if isinstance(i, LoadFailure)]
    articles = [i for i in items if isinstance(i, Article)]
    assert len(articles) == 1 and articles[0].title == BODIES["es"][0]
    reasons = {Path(x.origin).name: x.reason for x in failures}
    assert "HTTP 500" in reasons["down.xml"]
    assert reasons["broken.xml"].startswith("malformed feed")
    assert "HTTP 404" in reasons["missing.xml"]
    assert [r.status for r in reports] == ["failed", "failed", "failed", "ok"]


def test_transient_item_failure_is_retried_next_poll(server: LoopbackServer, tmp_path: Path) -> None:
    state_file = tmp_path / "s.json"
    server.static("/flaky.html", "busy", status=503, content_type="text/plain")
    server.static(
        "/feed.xml",
        rss([("x", server.url("/flaky.html"), "x")]),
        content_type="application/rss+xml",
        headers={"ETag": '"e"'},
    )
    feeds = [Feed(server.url("/feed.xml"))]
    with fetcher() as f:
        (item,) = list(iter_feeds(feeds, f, FeedState.load(state_file)))
    assert isinstance(item, LoadFailure) and "503" in item.reason
    mem = json.loads(state_file.read_text())["feeds"][server.url("/feed.xml")]
    assert "x" not in mem.get("seen", []) and not mem.get("etag")  # not remembered: will be retried
    server.static("/flaky.html", page("pt"))
    with fetcher() as f:
        (item,) = list(iter_feeds(feeds, f, FeedState.load(state_file)))
    assert isinstance(item, Article) and item.title == BODIES["pt"][0]


def test_feed_text_used_when_page_is_off_limits(server: LoopbackServer, tmp_path: Path) -> None:
    server.static("/robots.txt", "User-agent: *\nDisallow: /paywall/\n", content_type="text/plain")
    body = "".join(f"<p>{p}</p>" for p in BODIES["en"][1])
    xml = (
        '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>t</title><item><guid>p1</guid><link>{server.url('/paywall/1.html')}</link>"
        f"<title>{BODIES['en'][0]}</title><pubDate>Thu, 11 Jul 2024 08:00:00 GMT</pubDate>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded></item></channel></rss>"
    )
    server.static("/feed.xml", xml, content_type="application/rss+xml")
    with fetcher() as f:
        (item,) = list(
            iter_feeds(
                [Feed(server.url("/feed.xml"), outlet="Feed Outlet", language="en")],
                f,
                FeedState.load(tmp_path / "s.json"),
            )
        )
    assert isinstance(item, Article)
    assert server.hits["/paywall/1.html"] == 0
    assert item.published == "2024-07-11" and item.outlet == "Feed Outlet" and item.language == "en"
    assert "personal terms" in item.text


def test_bundled_feed_list_covers_every_language() -> None:
    feeds = load_feed_list()
    for lang in LANGUAGES:
        assert len([f for f in feeds if f.language == lang]) >= 3, lang
    assert all(f.url.startswith("https://") and f.outlet and not f.verified for f in feeds)
    assert len({f.url for f in feeds}) == len(feeds)


def test_watch_command_once_to_jsonl(server: LoopbackServer, tmp_path: Path) -> None:
    server.static("/a.html", page("de"))
    server.static("/feed.xml", rss([("a", server.url("/a.html"), "a")]), content_type="application/rss+xml")
    server.static("/down.xml", "no", status=500, content_type="text/plain")
    feeds_toml = tmp_path / "feeds.toml"
    feeds_toml.write_text(
        f'[[feed]]\nurl = "{server.url("/feed.xml")}"\nlanguage = "de"\n\n'
        f'[[feed]]\nurl = "{server.url("/down.xml")}"\n',
        encoding="utf-8",
    )
    out = tmp_path / "articles.jsonl"
    cmd = [
        *MERCATO,
        "watch",
        str(feeds_toml),
        "--once",
        "--out",
        str(out),
        "--allow-host",
        "127.0.0.1",
        "--rate",
        "0",
        "--retries",
        "0",
        "--json",
    ]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=REPO)
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert summary["new"] == 1 and summary["failed"] == 1 and summary["feeds"] == {"ok": 1, "failed": 1}
    assert "HTTP 500" in summary["failures"][0]["reason"]
    (line,) = out.read_text().splitlines()
    assert json.loads(line)["title"] == BODIES["de"][0]
    assert (tmp_path / "articles.jsonl.feeds.json").exists()
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=REPO)
    assert json.loads(again.stdout)["new"] == 0


def test_fetch_command_refuses_loopback_without_allow_host(server: LoopbackServer, tmp_path: Path) -> None:
    server.static("/a.html", page("it"))
    out = tmp_path / "a.jsonl"
    base = [*MERCATO, "fetch", server.url("/a.html"), "--out", str(out), "--json"]
    refused = subprocess.run(base, capture_output=True, text=True, timeout=60, cwd=REPO)
    assert refused.returncode == 1
    assert "refused" in json.loads(refused.stdout)["failures"][0]["reason"]
    assert server.hits["/a.html"] == 0
    allowed = subprocess.run(
        [*base, "--allow-host", "127.0.0.1", "--rate", "0"], capture_output=True, text=True, timeout=60, cwd=REPO
    )
    assert allowed.returncode == 0, allowed.stderr
    assert json.loads(allowed.stdout)["new"] == 1
    assert json.loads(out.read_text())["language"] == "it"


def test_fetch_into_the_store_then_duplicate(server: LoopbackServer, tmp_path: Path) -> None:
    pytest.importorskip("mercato.service.ingest")
    server.static("/it.html", page("it"))
    server.static("/gone.html", "gone", status=410, content_type="text/plain")
    db = tmp_path / "m.db"
    cmd = [
        *MERCATO,
        "fetch",
        server.url("/it.html"),
        server.url("/gone.html"),
        "--db",
        str(db),
        "--allow-host",
        "127.0.0.1",
        "--rate",
        "0",
        "--retries",
        "0",
        "--json",
    ]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=REPO)
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert (summary["new"], summary["failed"], summary["reasons"]) == (1, 1, {"HTTP 410": 1})
    again = json.loads(subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=REPO).stdout)
    assert again["new"] == 0 and again["duplicate"] == 1
