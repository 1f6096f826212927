"""The JSON API against a real uvicorn server over the demo corpus (16 articles, 7 languages)."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest
from api_helpers import TOKEN

OPENDA = "person:lois-openda"


def test_health(client: httpx.Client) -> None:
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["articles"] == 16 and body["store"] == "sqlite"


@pytest.mark.parametrize(
    ("q", "key"),
    [
        ("Opnda", OPENDA),  # typo
        ("openda", OPENDA),  # case
        ("Lois Openda", OPENDA),  # without the diaeresis
        ("Kolo Muanni", "person:randal-muani"),
        ("Lipsia", "club:rb-leipzig"),  # Italian exonym
        ("Atletico de Madrid", "club:atletico-madrid"),
        ("Marsiglia", "club:marseille"),
    ],
)
def test_search_any_language_and_spelling(client: httpx.Client, q: str, key: str) -> None:
    r = client.get("/api/v1/search", params={"q": q})
    assert r.status_code == 200
    items = r.json()["items"]
    assert items and items[0]["key"] == key, items


def test_search_by_type(client: httpx.Client) -> None:
    items = client.get("/api/v1/search", params={"q": "Openda", "type": "club"}).json()["items"]
    assert all(i["type"] == "club" for i in items)


def test_player_dossier_and_summary_in_seven_languages(client: httpx.Client) -> None:
    d = client.get(f"/api/v1/players/{OPENDA}").json()
    assert d["identity"]["key"] == OPENDA and d["club"]["club"] == "Atlético Madrid"
    assert "summary" not in d
    headings = {"en": "The latest on his future", "it": "Le ultime sul suo futuro"}
    for lang in ("it", "nl", "fr", "es", "de", "pt", "en"):
        r = client.get(f"/api/v1/players/{OPENDA}", params={"lang": lang})
        assert r.status_code == 200
        summary = r.json()["summary"]
        assert summary["lang"] == lang and "Loïs Openda" in summary["text"]
        if lang in headings:
            assert headings[lang] in summary["text"]


def test_player_by_name_typo_gives_suggestions(client: httpx.Client) -> None:
    assert client.get("/api/v1/players/Openda").json()["identity"]["key"] == OPENDA
    r = client.get("/api/v1/players/Opendda")
    assert r.status_code == 404
    assert OPENDA in [s["key"] for s in r.json()["suggestions"]]


def test_dates_validated_and_as_of(client: httpx.Client) -> None:
    assert client.get(f"/api/v1/players/{OPENDA}", params={"at": "2025-13"}).status_code == 422
    assert client.get(f"/api/v1/players/{OPENDA}", params={"at": "june"}).status_code == 422
    # A day past the month's end is its last day; before the first report, no links yet.
    early = client.get(f"/api/v1/players/{OPENDA}", params={"at": "2025-02-30"})
    assert early.status_code == 200 and early.json()["at"] == "2025-02-28"
    assert early.json()["future"]["links"] == []
    mid = client.get(f"/api/v1/players/{OPENDA}", params={"at": "2025-06-10"}).json()
    assert {link["club"] for link in mid["future"]["links"]} >= {"Atlético Madrid"}
    assert all(e["published"] <= "2025-06-10" for e in mid["chronicle"])


def test_timeline_in_publication_order_paged(client: httpx.Client) -> None:
    r = client.get(f"/api/v1/players/{OPENDA}/timeline", params={"limit": 5})
    body = r.json()
    assert body["total"] > 5 and len(body["items"]) == 5 and body["links"]["next"]
    assert 'rel="next"' in r.headers["link"]
    events = list(body["items"])
    url = body["links"]["next"]
    while url:
        page = client.get(url).json()
        events += page["items"]
        url = page["links"]["next"]
    assert len(events) == body["total"]
    published = [e["published"] for e in events]
    assert published == sorted(published)
    assert published[0] == "2025-06-02" and published[-1] == "2025-06-24"


def test_club_ins_and_outs(client: httpx.Client) -> None:
    juve = client.get("/api/v1/clubs/Juventus").json()
    assert "Randal Kolo Muani" in [row["player"] for row in juve["incoming"]]
    atm = client.get("/api/v1/clubs/club:atletico-madrid", params={"lang": "es"}).json()
    assert "Loïs Openda" in [row["player"] for row in atm["incoming"]]
    assert atm["summary"]["lang"] == "es"


def test_sources_journalist_and_outlet(client: httpx.Client) -> None:
    outlet = client.get("/api/v1/sources/" + quote("Bola Global")).json()
    assert outlet["identity"]["type"] == "outlet" and outlet["claims"]
    # Whichever named source the analysis found: filtering by its key or its name gives its claims.
    named = [c for c in client.get("/api/v1/claims", params={"limit": 200}).json()["items"] if c["source_key"]]
    assert named
    key, name = named[0]["source_key"], named[0]["source"]
    by_key = client.get("/api/v1/claims", params={"source": key}).json()["items"]
    assert by_key and all(c["source_key"] == key for c in by_key)
    assert client.get("/api/v1/claims", params={"source": name}).json()["items"]
    page = client.get("/api/v1/sources/" + quote(key)).json()
    assert page["identity"]["key"] == key and page["claims"]


def test_claim_filters(client: httpx.Client) -> None:
    def get(**params: str) -> list[dict]:
        r = client.get("/api/v1/claims", params={"limit": 200, **params})
        assert r.status_code == 200, r.text
        return r.json()["items"]

    loans = get(type="loan", status="official")
    assert loans and all(c["type"] == "loan" and c["status"] == "official" for c in loans)
    assert "Juventus" in {c["club"] for c in loans}
    pt = get(language="pt")
    assert pt and {c["article"]["language"] for c in pt} == {"pt"}
    june = get(**{"from": "2025-06-10", "to": "2025-06-13"})
    assert june and all("2025-06-10" <= c["published"] <= "2025-06-13" for c in june)
    juve = get(club="Juventus")
    assert juve and all("Juventus" in (c["club"], c["from_club"]) for c in juve)
    by_key = get(club="club:juventus")
    assert [c["id"] for c in by_key] == [c["id"] for c in juve]
    assert get(player="Bastoni") and all(c["player_key"] == "person:alessandro-bastoni" for c in get(player="Bastoni"))
    assert get(type="injury", language="de")[0]["player"] == "Alessandro Bastoni"
    assert client.get("/api/v1/claims", params={"type": "gossip"}).status_code == 422


def test_claims_pagination_links(client: httpx.Client) -> None:
    first = client.get("/api/v1/claims", params={"limit": 7})
    body = first.json()
    assert body["has_next"] and body["links"]["prev"] is None
    second = client.get(body["links"]["next"]).json()
    assert second["offset"] == 7 and second["links"]["prev"]
    assert not {c["id"] for c in body["items"]} & {c["id"] for c in second["items"]}
    newest = [c["published"] for c in body["items"] + second["items"]]
    assert newest == sorted(newest, reverse=True)


def test_etag_gives_304(client: httpx.Client) -> None:
    for url in (f"/api/v1/players/{OPENDA}", "/api/v1/claims?limit=3", f"/players/{OPENDA}", "/articles/1"):
        r = client.get(url)
        etag = r.headers["etag"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
        assert client.get(url, headers={"If-None-Match": f"W/{etag}"}).status_code == 304
        assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_stories_origin_first_and_copies_counted_once(client: httpx.Client) -> None:
    items = client.get("/api/v1/stories", params={"player": OPENDA, "limit": 50}).json()["items"]
    deal = next(s for s in items if s["club"]["key"] == "club:atletico-madrid" and s["family"] == "deal")
    story = client.get("/api/v1/stories/" + quote(deal["id"], safe="")).json()
    assert story["stage"] == "official"
    roles = [r["role"] for r in story["reports"]]
    assert roles[0] == "origin"
    # A syndicated copy counts once, and the story agrees with the dossier on which articles are
    # copies (the store's SimHash mark or near-identical evidence).
    dossier = client.get(f"/api/v1/players/{OPENDA}").json()
    copies = {e["evidence"]["article_id"] for e in dossier["chronicle"] if e["syndicated_of"]}
    in_story = {r["claim"]["article"]["id"] for r in story["reports"]}
    assert {r["claim"]["article"]["id"] for r in story["reports"] if r["role"] == "copy"} == copies & in_story
    assert story["independent"] == len([r for r in roles if r in ("origin", "confirmation")])
    assert len(story["languages"]) >= 3
    assert client.get("/api/v1/stories/" + quote("person:nobody|x|deal|2025", safe="")).status_code == 404


def test_article_with_entities_and_claims_offsets(client: httpx.Client) -> None:
    listing = client.get("/api/v1/articles", params={"limit": 50}).json()["items"]
    assert len(listing) == 16
    for head in listing:
        a = client.get(f"/api/v1/articles/{head['id']}").json()
        text = a["text"]
        for e in a["entities"]:
            for m in e["mentions"]:
                if m["start"] is not None:
                    assert text[m["start"] : m["end"]] == m["surface"]
        for c in a["claims"]:
            start, end = c["evidence_offsets"]
            assert text[start:end] == c["evidence"]
    assert client.get("/api/v1/articles/999999").status_code == 404


def test_security_headers_and_no_cors(client: httpx.Client) -> None:
    for url in ("/api/v1/health", "/", f"/players/{OPENDA}", "/static/style.css", "/nowhere"):
        r = client.get(url, headers={"Origin": "https://evil.example"})
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "access-control-allow-origin" not in r.headers


def test_head_requests(client: httpx.Client) -> None:
    r = client.head("/api/v1/health")
    assert r.status_code == 200 and r.content == b""


def test_openapi_schema(client: httpx.Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/search", "/api/v1/players/{ref}", "/api/v1/claims", "/api/v1/articles", "/api/v1/stories"):
        assert path in schema["paths"]
    assert "post" in schema["paths"]["/api/v1/articles"]
    # Pages are not API: they stay out of the schema.
    assert not [p for p in schema["paths"] if not p.startswith("/api/v1/")]


# -- writing --------------------------------------------------------------------------------------
ARTICLE = {
    "title": "Napoli, accordo con il Bologna per Riccardo Orsolini",
    "text": (
        "Napoli, accordo con il Bologna per Riccardo Orsolini.\n\n"
        "Secondo Sky Sport, il Napoli ha trovato l'accordo con il Bologna per Riccardo Orsolini: "
        "all'esterno un contratto fino al 2029."
    ),
    "url": "https://www.example.org/napoli-orsolini",
    "published": "2025-07-10",
    "outlet": "Test Calcio",
    "language": "it",
}


def test_ingest_needs_the_token(client: httpx.Client, writable: httpx.Client) -> None:
    # The shared server has no token: writing is disabled altogether.
    assert client.post("/api/v1/articles", json=ARTICLE).status_code == 403
    assert writable.post("/api/v1/articles", json=ARTICLE).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert writable.post("/api/v1/articles", json=ARTICLE, headers=wrong).status_code == 401


def test_ingest_article_json(writable: httpx.Client) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = writable.post("/api/v1/articles", json=ARTICLE, headers=auth)
    assert r.status_code == 201, r.text
    res = r.json()
    assert res["status"] == "new" and res["claims"] >= 1 and res["entities"] >= 2
    art = writable.get(res["href"]).json()
    assert art["title"] == ARTICLE["title"] and art["language"] == "it"
    assert any(c["player"] == "Riccardo Orsolini" for c in art["claims"])
    assert writable.get("/api/v1/health").json()["articles"] == 17
    again = writable.post("/api/v1/articles", json=ARTICLE, headers=auth)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    empty = writable.post("/api/v1/articles", json={"title": "nothing"}, headers=auth)
    assert empty.status_code == 422


def test_ingest_url_refuses_private_addresses(writable: httpx.Client) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = writable.post("/api/v1/articles", json={"url": str(writable.base_url) + "/api/v1/health"}, headers=auth)
    assert r.status_code == 422 and "refused" in r.json()["message"]


def test_request_size_limit(writable: httpx.Client) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    big = {**ARTICLE, "text": "parola " * 20000}  # over the 64 KiB limit of this server
    assert writable.post("/api/v1/articles", json=big, headers=auth).status_code == 413

    def chunks():  # no Content-Length: the streamed body is counted
        yield b'{"text": "'
        for _ in range(100):
            yield b"x" * 1024
        yield b'"}'

    r = writable.post("/api/v1/articles", content=chunks(), headers={**auth, "Content-Type": "application/json"})
    assert r.status_code == 413
