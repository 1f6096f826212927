"""HTML extraction: text, metadata and date sanity."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from ingest_pages import BODIES, page

from mercato.ingest.files import LoadFailure, iter_articles
from mercato.ingest.html import decode_html, extract_html
from mercato.ingest.pubdate import parse_text_date


@pytest.mark.parametrize("lang", sorted(BODIES))
def test_extracts_text_and_metadata_in_every_language(lang: str) -> None:
    html = page(lang, canonical="https://www.example.org/news/story-1?utm_source=feed")
    article = extract_html(html, url="https://example.org/x?ref=home", fetched="2024-07-13T09:00:00+00:00")
    assert article is not None
    title, paragraphs = BODIES[lang]
    assert article.title == title
    assert article.text.startswith(title)
    assert paragraphs[1][:60] in article.text
    assert "Home" not in article.text and "Copyright" not in article.text  # boilerplate dropped
    assert article.language == lang
    assert article.published == "2024-07-12"
    assert article.author == "Maria Rossi"
    assert article.outlet == "Testata di Prova"
    assert article.url == "https://www.example.org/news/story-1?utm_source=feed"  # the page's canonical URL
    assert article.origin == "https://example.org/x?ref=home"
    assert article.fetched == "2024-07-13T09:00:00+00:00"


def test_jsonld_date_and_author_win_over_meta() -> None:
    ld = (
        '<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle",'
        '"datePublished":"2024-03-02T08:00:00Z","author":[{"@type":"Person","name":"Anna Weber"}],'
        '"publisher":{"@type":"Organization","name":"Sportblatt"}}]}</script>'
    )
    html = page("de", date_iso="2024-03-05", extra_head=ld, author=None, site="")
    article = extract_html(html, fetched="2024-04-01")
    assert article is not None
    assert article.published == "2024-03-02"
    assert article.author == "Anna Weber"
    assert article.outlet == "Sportblatt"


def test_date_after_fetch_time_is_rejected() -> None:
    # The meta date is after the fetch (a fixture or contract end, not the publication): ignored,
    # and the byline date written in Italian is used instead.
    html = page("it", date_iso="2030-06-30", byline='<p class="article-date">12 luglio 2024</p>')
    article = extract_html(html, fetched="2024-07-20")
    assert article is not None
    assert article.published == "2024-07-12"


def test_no_sane_date_gives_none_not_a_guess() -> None:
    html = page("en", date_iso="2031-01-01")
    article = extract_html(html, fetched="2024-07-20")
    assert article is not None
    assert article.published is None or article.published <= "2024-07-20"


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Pubblicato il 3 marzo 2024 alle 10:12", "it", date(2024, 3, 3)),
        ("Aktualisiert am 4. März 2024", "de", date(2024, 3, 4)),
        ("Publié le 1er mai 2024", "fr", date(2024, 5, 1)),
        ("5 de junio de 2024", "es", date(2024, 6, 5)),
        ("6 de julho de 2024", "pt", date(2024, 7, 6)),
        ("7 mei 2024", "nl", date(2024, 5, 7)),
        ("Published July 8, 2024", "en", date(2024, 7, 8)),
        ("03/04/2024", "it", date(2024, 4, 3)),  # day first outside English
        ("12.07.2024", "de", date(2024, 7, 12)),
    ],
)
def test_text_dates_are_read_in_the_page_language(text: str, lang: str, expected: date) -> None:
    assert parse_text_date(text, lang, date(2024, 12, 31)) == expected


def test_text_dates_are_pinned_to_one_language() -> None:
    # "mei" is May in Dutch only; read as German or Italian it is not a month at all.
    assert parse_text_date("7 mei 2024", "it", date(2024, 12, 31)) is None
    assert parse_text_date("7 mei 2024", "nl", date(2024, 12, 31)) == date(2024, 5, 7)


def test_decode_prefers_truth_over_declared_charset() -> None:
    text = "Perché la società ha speso 5 € per il “colpo”"
    raw = text.encode("cp1252")
    assert decode_html(raw, "utf-8")[0] == text  # declared UTF-8, really cp1252
    assert decode_html(raw, None)[0] == text  # undeclared
    assert decode_html(raw, "iso-8859-1")[0] == text  # latin-1 labels mean windows-1252 on the web
    assert decode_html(text.encode("utf-8"), None)[0] == text
    meta = b'<meta charset="windows-1252">' + raw
    assert decode_html(meta)[0].endswith(text)


def test_empty_or_boilerplate_only_page_is_none() -> None:
    assert extract_html("") is None
    assert extract_html("<html><body><nav>Home</nav></body></html>") is None


def test_iter_articles_reads_html_files(tmp_path: Path) -> None:
    (tmp_path / "story.html").write_text(page("fr"), encoding="utf-8")
    (tmp_path / "empty.html").write_text("<html><body></body></html>", encoding="utf-8")
    items = list(iter_articles([tmp_path]))
    articles = [i for i in items if not isinstance(i, LoadFailure)]
    failures = [i for i in items if isinstance(i, LoadFailure)]
    assert [a.id for a in articles] == ["story"]
    assert articles[0].language == "fr" and articles[0].published == "2024-07-12"
    assert articles[0].title == BODIES["fr"][0]
    assert len(failures) == 1 and "empty.html" in failures[0].origin
