"""Story bundling: same event across outlets and languages; origin, confirmations, citations, copies."""

from __future__ import annotations

import pytest

from mercato.knowledge.records import ArticleRef, ClaimRecord
from mercato.knowledge.stories import bundle_stories, canonical_outlet, claim_family, detect_cited_source

_ids = iter(range(1, 10_000))


def claim(
    day: str,
    outlet: str,
    lang: str,
    *,
    type: str = "interest",
    player: str = "p:rossi",
    club: str = "club:milan",
    evidence: str = "",
    duplicate_of: int | None = None,
    source: str | None = None,
    source_type: str | None = None,
    article_id: int | None = None,
) -> ClaimRecord:
    aid = article_id or next(_ids)
    article = ArticleRef(
        id=aid,
        external_id=f"a{aid}",
        url=None,
        title=None,
        outlet=outlet,
        author=None,
        language=lang,
        published=day,
        duplicate_of=duplicate_of,
    )
    return ClaimRecord(
        id=next(_ids),
        type=type,
        status="reported",
        article=article,
        player="Luca Rossi",
        player_key=player,
        club="Milan",
        club_key=club,
        evidence=evidence,
        source=source,
        source_type=source_type,
    )


def roles(story) -> list[tuple[str, str]]:
    return [(r.claim.article.outlet or "", r.role) for r in story.reports]


def test_deal_family_across_languages_with_origin_citations_confirmations_and_copies() -> None:
    origin = claim("2024-07-01", "La Gazzetta dello Sport", "it", evidence="Il Milan pensa a Rossi.")
    copy = claim("2024-07-01", "Syndicated Site", "it", duplicate_of=origin.article.id)
    cite = claim(
        "2024-07-02",
        "Marca",
        "es",
        type="negotiation",
        evidence="Según La Gazzetta dello Sport, el Milan negocia por Rossi.",
    )
    confirm = claim("2024-07-03", "Sky Sports", "en", type="agreement", evidence="Milan have agreed terms.")
    follow = claim("2024-07-05", "La Gazzetta dello Sport", "it", type="transfer", evidence="Rossi firma.")
    other_player = claim("2024-07-02", "Marca", "es", player="p:other")
    (story, other) = bundle_stories([follow, confirm, cite, copy, origin, other_player])
    assert story.key == ("p:rossi", "club:milan", "deal")
    assert roles(story) == [
        ("La Gazzetta dello Sport", "origin"),
        ("Syndicated Site", "copy"),
        ("Marca", "citation"),
        ("Sky Sports", "confirmation"),
        ("La Gazzetta dello Sport", "follow_up"),
    ]
    assert story.reports[2].cites == "La Gazzetta dello Sport"
    assert story.independent == 2  # origin + one confirmation; the citation, follow-up and copy add nothing
    assert story.outlets == ["La Gazzetta dello Sport", "Marca", "Sky Sports"]  # the copy does not count
    assert story.languages == ["en", "es", "it"]
    assert story.first == "2024-07-01" and story.last == "2024-07-05"
    assert other.key[0] == "p:other"
    assert story.to_dict()["reports"][0]["role"] == "origin"


def test_window_splits_stories_and_families_stay_apart() -> None:
    summer = claim("2024-07-01", "A", "it")
    summer_later = claim("2024-07-25", "B", "it")  # 24 days after: same story
    winter = claim("2025-01-10", "C", "it")  # months later: a new story
    injury = claim("2024-07-02", "D", "it", type="injury")
    stories = bundle_stories([winter, summer_later, summer, injury])
    keyed = {(s.key[2], s.first): [r.claim.article.outlet for r in s.reports] for s in stories}
    assert keyed == {
        ("deal", "2024-07-01"): ["A", "B"],
        ("deal", "2025-01-10"): ["C"],
        ("injury", "2024-07-02"): ["D"],
    }
    assert claim_family("loan") == "deal" and claim_family("injury") == "injury"


def test_window_is_a_parameter() -> None:
    a, b = claim("2024-07-01", "A", "it"), claim("2024-07-09", "B", "it")
    assert len(bundle_stories([a, b], window_days=7)) == 2
    assert len(bundle_stories([a, b], window_days=30)) == 1


def test_same_article_twice_is_one_report_and_own_name_is_no_citation() -> None:
    first = claim("2024-07-01", "Corriere dello Sport", "it", article_id=900)
    same_article = claim("2024-07-01", "Corriere dello Sport", "it", type="negotiation", article_id=900)
    scoop = claim("2024-07-02", "Tuttosport", "it", evidence="Secondo Tuttosport il Milan accelera.")
    (story,) = bundle_stories([first, same_article, scoop])
    assert roles(story) == [("Corriere dello Sport", "origin"), ("Tuttosport", "confirmation")]


def test_analysed_outlet_source_counts_as_citation() -> None:
    a = claim("2024-07-01", "L'Équipe", "fr")
    b = claim("2024-07-02", "Kicker", "de", source="L'Équipe", source_type="outlet")
    c = claim("2024-07-02", "Record", "pt", source="Fabrizio Romano", source_type="journalist")
    (story,) = bundle_stories([a, b, c])
    assert [r.role for r in story.reports] == ["origin", "citation", "confirmation"]


@pytest.mark.parametrize(
    ("text", "lang", "outlet"),
    [
        ("Secondo Sky il Milan ha fatto un'offerta.", "it", "Sky"),
        ("Selon L'Équipe, le club a trouvé un accord.", "fr", "L'Équipe"),
        ("According to The Athletic, talks are advanced.", "en", "The Athletic"),
        ("Laut Bild ist der Wechsel perfekt.", "de", "Bild"),
        ("Según Marca, el club negocia.", "es", "Marca"),
        ("Volgens De Telegraaf is de club rond.", "nl", "De Telegraaf"),
        ("Segundo o Record, o clube avança.", "pt", "Record"),
    ],
)
def test_cited_source_in_seven_languages(text: str, lang: str, outlet: str) -> None:
    found = detect_cited_source(text, lang)
    assert found is not None and canonical_outlet(outlet) == found


def test_no_cue_no_citation() -> None:
    assert detect_cited_source("Marca è un nome, ma qui nessuno cita nessuno.", "it") is None
    assert detect_cited_source("", "it") is None
    assert detect_cited_source("Secondo Sky", None) is None
