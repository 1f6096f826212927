"""Build WARC files for tests with warcio's own writer (pages from ingest_pages)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from ingest_pages import BODIES, page
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

LANGS = sorted(BODIES)


def page_url(i: int) -> str:
    host = "news.example.org" if i % 2 == 0 else "sport.example.net"
    return f"https://{host}/story/{i}"


def unique_page(i: int) -> str:
    # Each page differs so near-duplicate detection downstream keeps them apart.
    lang = LANGS[i % len(LANGS)]
    html = page(lang, date_iso="2024-07-01T08:00:00Z", canonical=page_url(i))
    return html.replace("</article>", f"<p>Aggiornamento numero {i}: dettaglio {i * 7919} della notizia.</p></article>")


def build_warc(path: Path, n_pages: int, *, gz: bool = True, with_noise: bool = True) -> list[str]:
    """Write ``n_pages`` HTML responses (plus requests, a 404, an image, metadata); return page URLs."""
    urls = []
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        if with_noise:
            writer.write_record(writer.create_warcinfo_record(path.name, {"software": "mercato-tests"}))
        for i in range(n_pages):
            url = page_url(i)
            urls.append(url)
            if with_noise:
                writer.write_record(
                    writer.create_warc_record(url, "request", payload=BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
                )
            body = unique_page(i).encode("utf-8")
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "response",
                    payload=BytesIO(body),
                    http_headers=http,
                    warc_headers_dict={"WARC-Date": "2024-07-02T10:00:00Z"},
                )
            )
            if with_noise and i % 5 == 0:
                missing = StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.1")
                writer.write_record(
                    writer.create_warc_record(
                        url + "/gone", "response", payload=BytesIO(b"<p>no</p>"), http_headers=missing
                    )
                )
                image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
                writer.write_record(
                    writer.create_warc_record(
                        url + ".png", "response", payload=BytesIO(b"\x89PNG\r\n"), http_headers=image
                    )
                )
    return urls
