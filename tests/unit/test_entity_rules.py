"""Entity typing rules, one general error class per test, on texts written for these tests."""

from __future__ import annotations

from mercato.analysis.pipeline import analyze_article
from mercato.model import Article


def types(lang: str, text: str) -> dict[str, str]:
    analysis = analyze_article(Article(id="t", text=text, language=lang, published="2025-03-10"))
    return {e.name: e.type.value for e in analysis.entities}


def test_german_byline_von_is_no_surname_particle() -> None:
    # capitalised "Von" opens a German byline, not a surname ("Von Jonas Reiter" is Jonas Reiter)
    text = "Hertha verlängert mit Lukas Brandner\n\nVon Jonas Reiter\n\nLukas Brandner bleibt bei Hertha BSC."
    got = types("de", text)
    assert got.get("Jonas Reiter") == "journalist"
    assert not any(name.startswith("Von ") for name in got)


def test_byline_name_followed_by_place_or_outlet_is_the_author() -> None:
    cases = [
        ("fr", "Par Camille Ferrand, envoyée spéciale\n\nRennes prolonge Arnaud Kalimuendo.", "Camille Ferrand"),
        ("nl", "Door Marloes Veenstra · ED\n\nPSV wil Jorrit Hendrix terughalen.", "Marloes Veenstra"),
        ("es", "Por Lucía Bermejo | Castellón\n\nEl Villarreal renueva a Pau Navarro.", "Lucía Bermejo"),
        ("pt", "Por Rafael Antunes — Rio de Janeiro\n\nO Flamengo renovou com Matheus Gonçalves.", "Rafael Antunes"),
    ]
    for lang, text, author in cases:
        assert types(lang, text).get(author) == "journalist", (lang, author)


def test_an_elided_kb_name_is_matched_whole() -> None:
    # "L'" and "Équipe" touch without a gap: the outlet L'Équipe, not a person "Équipe"
    got = types("fr", "Selon L'Équipe, Arnaud Kalimuendo pourrait quitter Rennes cet hiver.")
    assert got.get("L'Équipe") == "outlet"
    assert "Équipe" not in got


def test_known_coaches_and_executives_are_typed_without_a_role_noun() -> None:
    got = types("fr", "Thiago Scuro et Earnest Stewart ont parlé de Ralf Rangnick et de Frank Lampard.")
    assert got.get("Thiago Scuro") == "executive"
    assert got.get("Earnest Stewart") == "executive"
    assert got.get("Ralf Rangnick") == "coach"
    assert got.get("Frank Lampard") == "coach"


def test_a_club_named_like_the_dateline_city_is_a_place() -> None:
    # "Por X | Vitoria": where the piece was filed, not the club Vitória; the same name in the
    # prose is still the club
    text = "Por Lucía Bermejo | Vitoria\n\nEl Alavés renueva a Pau Navarro hasta 2028."
    assert "Vitória" not in types("es", text)
    named = "Por Lucía Bermejo | Vitoria\n\nEl Vitória ficha a Pau Navarro del Alavés."
    assert types("es", named).get("Vitória") == "club"


def test_el_madrid_is_real_madrid_in_spanish() -> None:
    got = types("es", "El Madrid gana al Alavés y el equipo blanco sigue líder. Vive en Madrid desde 2020.")
    assert got.get("Real Madrid") == "club"
