"""Polite, bounded, safe HTTP downloads of news pages (and feeds, see ``feeds.py``).

Safety rules, enforced on every request, including each redirect hop:
- only ``http`` and ``https`` URLs;
- the host is resolved and *every* address must be public: private (10/8, 172.16/12, 192.168/16,
  fc00::/7), loopback, link-local (169.254/16 — cloud metadata lives there), multicast, reserved and
  unspecified addresses are refused unless the host or address is on the allow-list;
- the check is repeated inside the connection itself (a guarded httpcore network backend connects to
  the very address it checked), so a DNS answer that changes between check and connect (DNS
  rebinding) cannot slip a private address through;
- bodies are streamed and abandoned beyond ``max_bytes`` (after decompression), and every download
  has connect/read timeouts plus a total deadline;
- robots.txt is read (RFC 9309) and obeyed for the ``mercato`` user agent;
- one request at a time per host, at most one every ``rate`` seconds; transient failures (timeouts,
  connection errors, 429, 5xx) are retried with exponential backoff.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import urllib.robotparser
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from mercato.ingest.files import LoadFailure
from mercato.ingest.html import decode_html, extract_html
from mercato.model import Article

CONTACT_URL = "https://example.invalid/mercato/crawler"  # placeholder until the project has a home page
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB
RETRY_STATUSES = {429, 500, 502, 503, 504}
HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("mercato")
    except Exception:  # running from a source tree that was never installed
        return "0"


USER_AGENT = f"mercato/{_version()} (+{CONTACT_URL}; football transfer news reader)"
ROBOTS_AGENT = "mercato"


class FetchError(Exception):
    """A download that did not succeed; ``kind`` groups reasons for summaries."""

    kind = "network"

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class UnsafeURLError(FetchError):
    kind = "refused"


class RobotsDisallowedError(FetchError):
    kind = "robots"


class TooLargeError(FetchError):
    kind = "too_large"


class FetchTimeoutError(FetchError):
    kind = "timeout"


class HTTPStatusError(FetchError):
    kind = "http"


# -- address policy ------------------------------------------------------------------------------


class AddressPolicy:
    """Which hosts and addresses may be contacted. Entries of ``allow`` are host names, IP addresses
    or networks (``127.0.0.1``, ``localhost``, ``10.0.0.0/8``, ``intranet.example``)."""

    def __init__(self, allow: Iterable[str] = ()) -> None:
        self.names: set[str] = set()
        self.networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for raw in allow:
            item = raw.strip().lower().strip("[]")
            if not item:
                continue
            try:
                self.networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                self.names.add(item.rstrip("."))

    def name_allowed(self, host: str) -> bool:
        return host.lower().rstrip(".").strip("[]") in self.names

    def address_allowed(self, address: str) -> bool:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
        if any(ip in net for net in self.networks):
            return True
        return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)

    def resolve(self, host: str, port: int) -> list[str]:
        """Addresses of ``host``, all of them checked; raises UnsafeURLError naming the first bad one."""
        host = host.strip("[]")
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise FetchError(f"cannot resolve host {host!r} ({exc.strerror})") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not self.name_allowed(host):
            for address in addresses:
                if not self.address_allowed(address):
                    raise UnsafeURLError(
                        f"refused {host}: address {address} is private, loopback, link-local or reserved "
                        "(use --allow-host to permit it)"
                    )
        return addresses

    def check_url(self, url: str) -> tuple[str, int]:
        """Refuse anything but http(s) to an allowed host; returns (host, port)."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise UnsafeURLError(f"invalid URL {url!r}: {exc}") from exc
        if parts.scheme not in ("http", "https"):
            raise UnsafeURLError(f"refused {url!r}: only http and https URLs are fetched")
        if not parts.hostname:
            raise UnsafeURLError(f"refused {url!r}: no host")
        if parts.username or parts.password:
            raise UnsafeURLError(f"refused {url!r}: credentials in URLs are not sent")
        port = port or (443 if parts.scheme == "https" else 80)
        self.resolve(parts.hostname, port)
        return parts.hostname, port


class _GuardedBackend(httpcore.NetworkBackend):
    """httpcore network backend that connects only to addresses the policy accepts.

    The address is checked and then connected to directly, so the check and the connection see the
    same address. TLS still uses the host name (SNI and certificate checks happen above this layer).
    """

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy
        self.inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self.policy.resolve(host, port)
        last: Exception | None = None
        for address in addresses:
            try:
                return self.inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        raise last or httpcore.ConnectError(f"no address for {host}")

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None) -> Any:
        raise UnsafeURLError("unix sockets are never used")

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


def _guarded_transport(policy: AddressPolicy) -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(trust_env=False, retries=0)
    # httpx does not expose the network backend; swap its pool for one that uses ours.
    transport._pool = httpcore.ConnectionPool(  # type: ignore[attr-defined]
        ssl_context=httpx.create_ssl_context(),
        max_connections=10,
        max_keepalive_connections=10,
        keepalive_expiry=5.0,
        network_backend=_GuardedBackend(policy),
    )
    return transport


# -- fetching ------------------------------------------------------------------------------------


@dataclass(slots=True)
class FetchConfig:
    allow_hosts: tuple[str, ...] = ()
    timeout: float = 15.0  # connect and each read
    total_timeout: float = 60.0  # the whole download, however slowly the bytes trickle
    max_bytes: int = DEFAULT_MAX_BYTES
    retries: int = 3
    backoff: float = 1.0  # first retry waits this long, then twice as long each time
    max_backoff: float = 30.0
    rate: float = 1.0  # seconds between two requests to the same host
    respect_robots: bool = True
    max_redirects: int = 5
    user_agent: str = USER_AGENT


@dataclass(slots=True)
class FetchResult:
    url: str  # as asked
    final_url: str  # after redirects
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""
    fetched: str = ""  # ISO timestamp (UTC)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None

    def text(self) -> str:
        return decode_html(self.content, self.charset)[0]


class Fetcher:
    """One HTTP client with the safety rules, politeness and limits above. Use as a context manager."""

    def __init__(self, config: FetchConfig | None = None, sleep: Any = time.sleep) -> None:
        self.config = config or FetchConfig()
        self.policy = AddressPolicy(self.config.allow_hosts)
        self._sleep = sleep
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self.client = httpx.Client(
            transport=_guarded_transport(self.policy),
            timeout=httpx.Timeout(self.config.timeout),
            follow_redirects=False,  # followed by hand so each hop is checked
            trust_env=False,  # an environment proxy would bypass the address checks
            headers={
                "User-Agent": self.config.user_agent,
                "Accept-Language": "it, nl, fr, es, de, pt, en;q=0.9, *;q=0.5",
            },
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    # -- public --------------------------------------------------------------------------------
    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
        max_bytes: int | None = None,
        check_robots: bool = True,
    ) -> FetchResult:
        """GET a URL with every rule applied. 304 comes back as a result; other errors raise FetchError."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _ in range(self.config.max_redirects + 1):
            self.policy.check_url(current)
            if check_robots and self.config.respect_robots and not self.allowed_by_robots(current):
                raise RobotsDisallowedError(f"robots.txt of {urlsplit(current).netloc} disallows this URL")
            result = self._get_with_retries(current, headers, max_bytes or self.config.max_bytes)
            if result.status in (301, 302, 303, 307, 308) and result.headers.get("location"):
                current = urljoin(current, result.headers["location"])
                continue
            result.url = url
            if result.status == 304:
                return result
            if result.status >= 400:
                raise HTTPStatusError(f"HTTP {result.status}", status=result.status)
            return result
        raise FetchError(f"more than {self.config.max_redirects} redirects")

    def allowed_by_robots(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.path == "/robots.txt":
            return True
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        parser = self._robots[origin]
        return True if parser is None else parser.can_fetch(ROBOTS_AGENT, url)

    # -- internals -----------------------------------------------------------------------------
    def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        """Parsed robots.txt; None means "no rules" (RFC 9309: a 4xx robots.txt allows everything)."""
        parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        try:
            result = self.get(
                origin + "/robots.txt", accept="text/plain", max_bytes=ROBOTS_MAX_BYTES, check_robots=False
            )
        except HTTPStatusError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                return None
            parser.disallow_all = True  # 5xx: the site cannot tell us its rules; assume it says no
            return parser
        except UnsafeURLError:
            raise
        except FetchError:
            parser.disallow_all = True
            return parser
        parser.parse(decode_html(result.content, result.charset)[0].splitlines())
        return parser

    def _wait_turn(self, host: str) -> None:
        last = self._last_request.get(host)
        if last is not None:
            wait = last + self.config.rate - time.monotonic()
            if wait > 0:
                self._sleep(wait)
        self._last_request[host] = time.monotonic()

    def _get_with_retries(self, url: str, headers: dict[str, str], max_bytes: int) -> FetchResult:
        host = urlsplit(url).netloc.lower()
        attempt = 0
        while True:
            self._wait_turn(host)
            try:
                result = self._download(url, headers, max_bytes)
            except (FetchTimeoutError, FetchError) as exc:
                if type(exc) not in (FetchError, FetchTimeoutError) or attempt >= self.config.retries:
                    raise
                delay = None
            else:
                if result.status not in RETRY_STATUSES or attempt >= self.config.retries:
                    return result
                delay = _retry_after(result.headers.get("retry-after"))
            backoff = self.config.backoff * (2**attempt)
            self._sleep(min(self.config.max_backoff, max(backoff, delay or 0.0)))
            attempt += 1

    def _download(self, url: str, headers: dict[str, str], max_bytes: int) -> FetchResult:
        deadline = time.monotonic() + self.config.total_timeout
        fetched = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                result = FetchResult(
                    url=url,
                    final_url=str(response.url),
                    status=response.status_code,
                    headers={k.lower(): v for k, v in response.headers.items()},
                    fetched=fetched,
                )
                if response.status_code >= 300:
                    return result  # no body needed for redirects, 304 and errors
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise TooLargeError(f"{int(declared) / 1e6:.1f} MB exceeds the {max_bytes / 1e6:g} MB size limit")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLargeError(f"body exceeds the {max_bytes / 1e6:g} MB size limit")
                    if time.monotonic() > deadline:
                        raise FetchTimeoutError(f"download took longer than {self.config.total_timeout:g} s")
                    chunks.append(chunk)
                result.content = b"".join(chunks)
                return result
        except httpx.TimeoutException as exc:
            raise FetchTimeoutError(f"timed out ({type(exc).__name__})") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"{type(exc).__name__}: {exc}") from exc


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


# -- pages to articles ---------------------------------------------------------------------------


def article_from_result(
    result: FetchResult,
    *,
    language: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
) -> Article | LoadFailure:
    """Extract an Article from a downloaded page; hints fill what the page does not say."""
    ctype = result.content_type
    if ctype and not ctype.startswith(HTML_TYPES):
        return LoadFailure(result.final_url, f"not an HTML page ({ctype})")
    article = extract_html(result.text(), url=result.final_url, fetched=result.fetched, language=language)
    if article is None:
        return LoadFailure(result.final_url, "page holds no article text")
    article.origin = result.url
    article.outlet = outlet or article.outlet  # a name given by the caller (feed list) wins
    article.published = article.published or published
    return article


def fetch_page(fetcher: Fetcher, url: str, **hints: Any) -> Article | LoadFailure:
    try:
        result = fetcher.get(url)
    except FetchError as exc:
        return LoadFailure(url, str(exc))
    return article_from_result(result, **hints)


def fetch_articles(
    urls: Iterable[str], fetcher: Fetcher, language: str | None = None
) -> Iterator[Article | LoadFailure]:
    """One Article or LoadFailure per URL, in order: the shape ``ingest_items`` consumes."""
    for url in urls:
        yield fetch_page(fetcher, url.strip(), language=language)
