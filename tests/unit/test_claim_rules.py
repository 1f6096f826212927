"""Claim rules, one general error class per test, on sentences written for these tests."""

from __future__ import annotations

from mercato.analysis.pipeline import analyze_article
from mercato.model import Article


def claims(lang: str, text: str, published: str = "2025-01-15") -> set[tuple[str, str, str | None, str]]:
    analysis = analyze_article(Article(id="t", text=text, language=lang, published=published))
    return {(c.type.value, c.player, c.club, c.status.value) for c in analysis.claims}


def kinds(lang: str, text: str, published: str = "2025-01-15") -> set[tuple[str, str, str | None]]:
    return {(t, p, c) for t, p, c, _ in claims(lang, text, published)}


def test_longer_trigger_of_another_type_wins() -> None:
    # "chiesto informazioni" is interest; the bare "chiesto" inside it is no negotiation
    got = kinds("it", "Il Genoa ha chiesto informazioni per Marco Bellini.")
    assert ("interest", "Marco Bellini", "Genoa") in got
    assert not any(t == "negotiation" for t, _, _ in got)


def test_deal_stages_are_ranked_per_club_within_a_sentence() -> None:
    got = kinds("it", "Il Torino ha avviato una trattativa per Marco Bellini, mentre il Cagliari lo osserva da tempo.")
    assert ("negotiation", "Marco Bellini", "Torino") in got
    assert ("interest", "Marco Bellini", "Cagliari") in got


def test_clubs_coordinated_across_a_conjunction_are_all_buyers() -> None:
    got = kinds("de", "Auch der VfL Bochum und Werder Bremen sollen Lukas Brandner seit Wochen beobachten.")
    assert ("interest", "Lukas Brandner", "VfL Bochum") in got
    assert ("interest", "Lukas Brandner", "Werder Bremen") in got
