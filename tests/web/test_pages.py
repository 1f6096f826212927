"""HTML pages without a browser: every page renders, untrusted text is inert, the language
switch is remembered, the search form works without JavaScript."""

from __future__ import annotations

import re
from pathlib import Path

import api_helpers as helpers  # registered by conftest.py (tests/api/api_helpers.py)
import httpx
import pytest

from mercato.api.app import create_app
from mercato.model import Analysis, Article, Claim, ClaimType, Entity, EntityType, Span, Status
from mercato.store import Store

OPENDA = "person:lois-openda"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)


@pytest.mark.parametrize(
    "url",
    ["/", "/stories", "/articles", "/claims", "/search?q=openda", f"/players/{OPENDA}", "/clubs/club:juventus",
     "/sources/Bola%20Global", "/articles/1", "/claims?type=loan&status=official&from=2025-06&language=pt"],
)  # fmt: skip
def test_pages_render(web: httpx.Client, url: str) -> None:
    r = web.get(url)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    assert not INLINE_SCRIPT.search(r.text), "no inline script: the CSP forbids it"
    assert '<script src="/static/app.js" defer></script>' in r.text


def test_player_page_content(web: httpx.Client) -> None:
    html = web.get(f"/players/{OPENDA}").text
    assert "Loïs Openda" in html and "The latest on his future" in html
    days = re.findall(r'<li class="event[^"]*" data-published="([^"]+)"', html)
    assert days and days == sorted(days)
    assert 'class="badge stage-official"' in html  # the Atlético link
    assert 'class="side-by-side"' in html  # Marseille: reported and denied, side by side
    assert "/articles/" in html and "#claim-" in html


def test_story_and_club_pages(web: httpx.Client) -> None:
    stories = web.get("/stories").text
    link = re.search(r'href="(/stories/person%3Alois-openda%7Cclub%3Aatletico-madrid%7Cdeal[^"]+)"', stories)
    assert link, "the Openda-Atlético deal is listed"
    page = web.get(link.group(1).replace("&amp;", "&")).text
    roles = re.findall(r'class="badge role role-(\w+)"', page)
    assert roles and roles[0] == "origin"
    assert len(re.findall(r'<li class="event role-', page)) == len(roles)
    club = web.get("/clubs/club:juventus").text
    assert "Randal Kolo Muani" in club


def test_article_page_highlights_claims_and_entities(web: httpx.Client) -> None:
    data = web.get("/api/v1/articles/1").json()
    html = web.get("/articles/1").text
    for c in data["claims"]:
        assert f'id="claim-{c["id"]}"' in html
    assert html.count('<mark class="claim"') >= 1
    assert re.search(r'<a class="ent ent-player" href="/players/person:[^"]+"', html)


def test_name_redirects_to_key_and_unknown_is_404(web: httpx.Client) -> None:
    r = web.get("/players/Openda", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == f"/players/{OPENDA}"
    missing = web.get("/players/Opendda")
    assert missing.status_code == 404 and "Loïs Openda" in missing.text  # did you mean


def test_search_form_without_javascript(web: httpx.Client) -> None:
    r = web.get("/search", params={"q": "opnda", "go": "1"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/players/{OPENDA}"
    listing = web.get("/search", params={"q": "Romano"}).text
    assert "/sources/person:fabrizio-romano" in listing


def test_language_switch_is_remembered(web_url: str) -> None:
    with httpx.Client(base_url=web_url) as c:
        r = c.get(f"/players/{OPENDA}", params={"lang": "it"})
        assert "Le ultime sul suo futuro" in r.text and '<html lang="it">' in r.text
        assert "mercato_lang=it" in r.headers["set-cookie"]
        # The cookie carries the choice to the next page.
        assert "Cronologia" in c.get(f"/players/{OPENDA}").text
        assert "Trattative in entrata" in c.get("/clubs/club:juventus").text
        assert "The latest on his future" in c.get(f"/players/{OPENDA}", params={"lang": "en"}).text
        assert "Le ultime" not in c.get(f"/players/{OPENDA}").text
        # Nonsense is ignored, not reflected.
        assert '<html lang="en">' in c.get("/", params={"lang": "<x>"}).text


# -- untrusted text ---------------------------------------------------------------------------------
EVIL = '<script>alert("x")</script>'
IMG = "<img src=x onerror=alert(1)>"


def _evil_store(path: Path) -> str:
    name = f"Evil {EVIL}"
    handle = f"@evil{EVIL}"
    text = f"{name} joins Inter. {IMG} says {handle}. \"quote\" & 'apos'"
    start = text.index(handle)
    article = Article(
        id="evil",
        text=text,
        title=f"Title {EVIL}",
        url="https://evil.example/a?x=<script>",
        published="2025-07-01",
        author=f"Author {IMG}",
        outlet=f"Outlet {EVIL}",
        language="en",
    )
    player = Entity("person:evil", name, EntityType.PLAYER, [name], [Span(0, len(name), name)])
    at = text.index("Inter")
    club = Entity("club:inter", "Inter", EntityType.CLUB, ["Inter"], [Span(at, at + 5, "Inter")], kb_id="inter")
    journalist = Entity(
        "person:handle", handle, EntityType.JOURNALIST, [handle], [Span(start, start + len(handle), handle)]
    )
    claim = Claim(
        ClaimType.TRANSFER, name, "Inter", Status.REPORTED, date="2025-07", source=handle,
        evidence=text[: text.index(".") + 1], evidence_span=(0, text.index(".") + 1),
        player_id="person:evil", club_id="club:inter", source_id="person:handle", source_platform=f"X {EVIL}",
        detail=f"detail {IMG}", fee=f"{IMG} 5m",
    )  # fmt: skip
    analysis = Analysis("evil", "en", "2025-07-01", [player, club, journalist], [claim], title=article.title)
    with Store.open(str(path)) as store:
        res = store.add(article, analysis)
        assert res.status == "new"
        return res.entities["person:evil"]


def test_untrusted_text_is_rendered_inert(tmp_path: Path) -> None:
    key = _evil_store(tmp_path / "evil.sqlite")
    with (
        helpers.live_server(create_app(str(tmp_path / "evil.sqlite"), token="")) as url,
        httpx.Client(base_url=url) as c,
    ):
        pages = ["/", "/articles", "/articles/1", f"/players/{key}", "/claims", "/stories", "/search?q=evil",
                 f"/search?q={EVIL}", f"/players/{EVIL}", "/sources/Outlet%20evil"]  # fmt: skip
        journalist = c.get("/api/v1/search", params={"q": "evil", "type": "journalist"}).json()["items"]
        pages.append(f"/sources/{journalist[0]['key']}")
        for page in pages:
            r = c.get(page)
            assert r.status_code in (200, 404), (page, r.status_code)
            html = r.text
            assert EVIL not in html and "<img src=x" not in html, page
            assert not INLINE_SCRIPT.search(html), page
            assert not EVENT_HANDLER.search(html), page
        article = c.get("/articles/1").text
        assert "Title &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in article
        assert "&lt;img src=x onerror=alert(1)&gt;" in article  # byline and text, escaped
        assert "&lt;script&gt;" in c.get(f"/players/{key}").text
        # JSON keeps the text as it was written: escaping is the renderer's job.
        assert c.get("/api/v1/articles/1").json()["title"] == f"Title {EVIL}"
