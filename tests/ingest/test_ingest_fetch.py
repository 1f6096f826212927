"""Fetching against a real HTTP server on 127.0.0.1: limits, politeness and security refusals."""

from __future__ import annotations

import time
from http.server import BaseHTTPRequestHandler

import pytest
from ingest_pages import BODIES, page
from ingest_server import LoopbackServer, redirect, slow

from mercato.ingest.fetch import (
    USER_AGENT,
    AddressPolicy,
    FetchConfig,
    Fetcher,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    RobotsDisallowedError,
    TooLargeError,
    UnsafeURLError,
    fetch_articles,
)
from mercato.ingest.files import LoadFailure
from mercato.model import Article


def make_fetcher(**overrides: object) -> Fetcher:
    config = FetchConfig(allow_hosts=("127.0.0.1",), timeout=2.0, total_timeout=5.0, retries=2, backoff=0.01, rate=0.0)
    for key, value in overrides.items():
        setattr(config, key, value)
    return Fetcher(config)


def test_fetches_page_into_article_with_polite_headers(server: LoopbackServer) -> None:
    server.static("/calcio/bologna.html", page("it"))
    with make_fetcher() as fetcher:
        items = list(fetch_articles([server.url("/calcio/bologna.html")], fetcher))
    assert len(items) == 1 and isinstance(items[0], Article)
    article = items[0]
    assert article.title == BODIES["it"][0]
    assert article.language == "it" and article.published == "2024-07-12"
    assert article.url == server.url("/calcio/bologna.html")
    assert article.fetched and article.fetched.startswith("20")
    headers = dict(server.requests)["/calcio/bologna.html"]
    assert headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("mercato/") and "+http" in USER_AGENT  # names us and a contact URL
    assert server.hits["/robots.txt"] == 1  # asked before the page


def test_404_and_500_become_failures_and_500_is_retried(server: LoopbackServer) -> None:
    server.static("/boom", "server trouble", status=500, content_type="text/plain")
    with make_fetcher(retries=2) as fetcher:
        items = list(fetch_articles([server.url("/missing"), server.url("/boom")], fetcher))
    assert all(isinstance(i, LoadFailure) for i in items)
    assert items[0].reason == "HTTP 404"
    assert items[1].reason == "HTTP 500"
    assert server.hits["/missing"] == 1  # a 404 is final
    assert server.hits["/boom"] == 3  # first try + 2 retries


def test_transient_503_then_success_with_backoff(server: LoopbackServer) -> None:
    calls = {"n": 0}

    def flaky(h: BaseHTTPRequestHandler) -> None:
        calls["n"] += 1
        body = page("en").encode() if calls["n"] >= 3 else b"busy"
        h.send_response(200 if calls["n"] >= 3 else 503)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    server.route("/flaky", flaky)
    sleeps: list[float] = []
    config = FetchConfig(allow_hosts=("127.0.0.1",), retries=3, backoff=0.01, rate=0.0)
    with Fetcher(config, sleep=lambda s: sleeps.append(s)) as fetcher:
        result = fetcher.get(server.url("/flaky"))
    assert result.status == 200 and calls["n"] == 3
    assert sleeps[:2] == [0.01, 0.02]  # exponential backoff


def test_slow_response_times_out(server: LoopbackServer) -> None:
    server.route("/slow", slow(3.0))
    started = time.monotonic()
    with make_fetcher(timeout=0.3, retries=1) as fetcher, pytest.raises(FetchTimeoutError):
        fetcher.get(server.url("/slow"))
    assert time.monotonic() - started < 2.5  # two attempts of 0.3 s, not the server's 3 s each


def test_trickling_body_hits_total_deadline(server: LoopbackServer) -> None:
    def trickle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        for _ in range(40):
            h.wfile.write(b"<p>x</p>" * 10)
            h.wfile.flush()
            time.sleep(0.1)

    server.route("/trickle", trickle)
    with make_fetcher(timeout=1.0, total_timeout=0.5, retries=0) as fetcher, pytest.raises(FetchTimeoutError):
        fetcher.get(server.url("/trickle"))


def test_huge_page_is_abandoned_streamed_and_declared(server: LoopbackServer) -> None:
    def streamed(h: BaseHTTPRequestHandler) -> None:  # no Content-Length: must be counted while streaming
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        chunk = b"<p>" + b"a" * 65536 + b"</p>"
        for _ in range(200):  # about 13 MB if nobody stopped reading
            h.wfile.write(chunk)

    server.route("/huge", streamed)
    server.static("/huge-declared", b"x" * (2 * 1024 * 1024))
    with make_fetcher(max_bytes=1024 * 1024) as fetcher:
        with pytest.raises(TooLargeError, match="size limit"):
            fetcher.get(server.url("/huge"))
        with pytest.raises(TooLargeError, match=r"2\.1 MB"):
            fetcher.get(server.url("/huge-declared"))
        items = list(fetch_articles([server.url("/huge")], fetcher))
    assert isinstance(items[0], LoadFailure) and "size limit" in items[0].reason
    assert server.hits["/huge"] == 2  # too large is not retried


@pytest.mark.parametrize("declared", ["text/html; charset=utf-8", "text/html"])
def test_cp1252_page_declared_utf8_or_undeclared(server: LoopbackServer, declared: str) -> None:
    html = page("it", charset_meta=None).replace("Il Bologna avrebbe", "Perché il Bologna – “ora” – avrebbe")
    server.static("/cp1252", html.encode("cp1252"), content_type=declared)
    with make_fetcher() as fetcher:
        (article,) = list(fetch_articles([server.url("/cp1252")], fetcher))
    assert isinstance(article, Article)
    assert "Perché il Bologna – “ora” – avrebbe" in article.text
    assert "società" in article.text and "\ufffd" not in article.text


def test_robots_txt_disallow_is_obeyed(server: LoopbackServer) -> None:
    server.static("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    server.static("/private/story.html", page("es"))
    server.static("/public/story.html", page("es"))
    with make_fetcher() as fetcher:
        with pytest.raises(RobotsDisallowedError):
            fetcher.get(server.url("/private/story.html"))
        assert fetcher.get(server.url("/public/story.html")).status == 200
    assert server.hits["/private/story.html"] == 0
    assert server.hits["/robots.txt"] == 1  # cached per host


def test_robots_txt_for_mercato_agent(server: LoopbackServer) -> None:
    server.static(
        "/robots.txt",
        "User-agent: mercato\nDisallow: /\n\nUser-agent: *\nAllow: /\n",
        content_type="text/plain",
    )
    server.static("/a.html", page("nl"))
    with make_fetcher() as fetcher, pytest.raises(RobotsDisallowedError):
        fetcher.get(server.url("/a.html"))
    assert server.hits["/a.html"] == 0


def test_robots_5xx_means_disallow(server: LoopbackServer) -> None:
    server.static("/robots.txt", "down", status=503, content_type="text/plain")
    server.static("/a.html", page("nl"))
    with make_fetcher(retries=0) as fetcher, pytest.raises(RobotsDisallowedError):
        fetcher.get(server.url("/a.html"))


def test_redirect_is_followed_and_each_hop_checked(server: LoopbackServer) -> None:
    server.static("/final.html", page("pt"))
    server.route("/old", redirect("/final.html", 301))
    with make_fetcher() as fetcher:
        (article,) = list(fetch_articles([server.url("/old")], fetcher))
    assert isinstance(article, Article)
    assert article.url == server.url("/final.html")
    assert article.origin == server.url("/old")


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/",
        "http://[::1]:9/",
        "file:///etc/passwd",
        "http://192.168.0.1/",
        "http://0.0.0.0/",
    ],
)
def test_redirect_to_disallowed_address_is_refused(server: LoopbackServer, target: str) -> None:
    server.route("/jump", redirect(target))
    with make_fetcher() as fetcher, pytest.raises(UnsafeURLError):
        fetcher.get(server.url("/jump"))
    assert server.hits["/jump"] == 1


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://127.0.0.1/x",
        "gopher://127.0.0.1/",
        "http://127.0.0.1:1/",
        "http://localhost:1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.8/",
        "http://172.16.5.4/",
        "http://[fe80::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://user:pw@example.org/",
    ],
)
def test_unsafe_urls_refused_without_allow_list(url: str) -> None:
    with Fetcher(FetchConfig(retries=0)) as fetcher, pytest.raises(UnsafeURLError):
        fetcher.get(url)


def test_loopback_refused_without_allow_list_even_when_server_is_up(server: LoopbackServer) -> None:
    server.static("/a.html", page("it"))
    with Fetcher(FetchConfig(retries=0)) as fetcher:
        (item,) = list(fetch_articles([server.url("/a.html")], fetcher))
    assert isinstance(item, LoadFailure) and "refused" in item.reason
    assert server.hits["/a.html"] == 0 and server.hits["/robots.txt"] == 0  # not one byte sent


def test_allow_list_forms() -> None:
    policy = AddressPolicy(["127.0.0.1", "10.0.0.0/8", "intranet.local"])
    assert policy.address_allowed("127.0.0.1")
    assert policy.address_allowed("10.9.8.7")
    assert not policy.address_allowed("192.168.1.1")
    assert not policy.address_allowed("127.0.0.2")
    assert policy.name_allowed("INTRANET.local.")
    assert AddressPolicy().address_allowed("93.184.216.34")
    assert not AddressPolicy().address_allowed("::ffff:10.0.0.1")


def test_guarded_connection_refuses_even_if_precheck_is_skipped(server: LoopbackServer) -> None:
    # The connection layer checks addresses itself (DNS rebinding between check and connect).
    with Fetcher(FetchConfig(retries=0)) as fetcher, pytest.raises(UnsafeURLError):
        fetcher.client.get(server.url("/a.html"))
    assert server.hits["/a.html"] == 0


def test_per_host_rate_limit(server: LoopbackServer) -> None:
    server.static("/a.html", page("en"))
    sleeps: list[float] = []
    config = FetchConfig(allow_hosts=("127.0.0.1",), rate=5.0, respect_robots=False)
    with Fetcher(config, sleep=lambda s: sleeps.append(s)) as fetcher:
        fetcher.get(server.url("/a.html"))
        fetcher.get(server.url("/a.html"))
    assert len(sleeps) == 1 and 4.0 < sleeps[0] <= 5.0


def test_errors_have_kinds() -> None:
    assert HTTPStatusError("x").kind == "http" and UnsafeURLError("x").kind == "refused"
    assert issubclass(TooLargeError, FetchError)
