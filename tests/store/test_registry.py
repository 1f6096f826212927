"""The entity registry: pure rules, then the same rules through the store on both backends,
and corrections (merge, split, alias) that survive re-ingest and re-analysis."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from store_helpers import analysis_for, analyze, article, claim, club, person

from mercato.knowledge.registry import (
    EXACT,
    SUBSET,
    SURNAME_ONLY,
    TYPO,
    Candidate,
    Subject,
    choose,
    name_match,
    surname_keys,
    surname_probe_keys,
)
from mercato.model import Entity, EntityType
from mercato.store import Store, StoreError
from mercato.store.models import ClaimRow, EntityRow, MentionRow
from mercato.text import fold_tokens


def toks(name: str) -> tuple[str, ...]:
    return fold_tokens(name)


# -- pure rules -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("José Luis Palomino", "José Luis Palomino", EXACT),
        ("José Palomino", "José Luis Palomino", SUBSET),
        ("J. Palomino", "José Luis Palomino", SUBSET),
        ("Alejandro Goméz", "Alejandro Gómez", EXACT),  # diacritic variant folds equal
        ("Gian Piero Gasparini", "Gian Piero Gasperini", TYPO),
        ("Palomino", "José Luis Palomino", SURNAME_ONLY),
        ("Alejandro Gómez", "Mariano Gómez", None),
        ("Luis Suárez", "Luis Alberto", None),
        ("Zapata", "Zapara", None),  # 6 letters, one substitution: TYPO needs given names too
        ("Cristian Zapata", "Cristian Zapara", TYPO),
        ("Ivan Ilic", "Ivan Ilik", None),  # surnames under 5 letters never fuzzy-match
    ],
)
def test_name_match(a: str, b: str, expected: int | None) -> None:
    got = name_match(toks(a), toks(b))
    if a == "Zapata":
        assert got == SURNAME_ONLY  # bare surnames within one edit: only the surname rule may decide
    else:
        assert got == expected


def test_typo_index_keys_meet_for_one_edit() -> None:
    stored = surname_keys("gasperini")
    assert stored & surname_probe_keys("gasparini")  # substitution
    assert stored & surname_probe_keys("gasperin")  # deletion
    assert stored & surname_probe_keys("gasperinii")  # insertion
    assert not surname_keys("ilic") & surname_probe_keys("ilik")


def cand(eid: int, name: str, clubs: set[str] | None = None, **attrs: object) -> Candidate:
    forms = {" ".join(toks(name))}
    return Candidate(eid, f"person:{eid}", name, "player", attributes=dict(attrs), forms=forms, clubs=clubs or set())


def subj(name: str, clubs: set[str] | None = None, etype: str = "player", **attrs: object) -> Subject:
    return Subject(f"person:{name}", name, etype, surfaces=[name], attributes=dict(attrs), clubs=clubs or set())


def test_surname_alone_attaches_only_to_a_single_compatible_candidate() -> None:
    alejandro = cand(1, "Alejandro Gómez", {"club:atalanta"})
    mariano = cand(2, "Mariano Gómez", {"club:sevilla"})
    assert choose(subj("Gómez", {"club:atalanta"}), [alejandro, mariano]) is alejandro
    assert choose(subj("Gómez"), [alejandro, mariano]) is None  # two compatible: ambiguous
    assert choose(subj("Gómez", {"club:milan"}), [alejandro, mariano]) is None  # conflicts with both
    assert choose(subj("Gómez", etype="coach"), [alejandro]) is None  # type conflict
    assert choose(subj("Gómez", nationality="Spain"), [cand(1, "Alejandro Gómez", nationality="Argentina")]) is None
    assert choose(subj("Gómez", birth_year=1999), [cand(1, "Alejandro Gómez", birth_year=1988)]) is None


def test_full_names_with_other_given_names_stay_apart_even_when_both_were_called_gomez() -> None:
    alejandro = cand(1, "Alejandro Gómez")
    alejandro.forms.add("gomez")
    mariano = Subject("person:mariano-gomez", "Mariano Gómez", "player", surfaces=["Mariano Gómez", "Gómez"])
    assert choose(mariano, [alejandro]) is None


def test_subset_name_with_conflicting_clubs_is_not_merged() -> None:
    stored = cand(1, "José Luis Palomino", {"club:atalanta"})
    assert choose(subj("José Palomino", {"club:atalanta"}), [stored]) is stored
    assert choose(subj("José Palomino", {"club:boca"}), [stored]) is None
    # An exact full name is the same person even with new clubs (players move).
    assert choose(subj("José Luis Palomino", {"club:boca"}), [stored]) is stored


def test_a_shared_nickname_never_merges_two_kb_clubs() -> None:
    inter = Candidate(1, "club:inter", "Inter", "club", kb_id="inter", forms={"inter", "nerazzurri"})
    atalanta = Subject("club:atalanta", "Atalanta", "club", surfaces=["Atalanta", "nerazzurri"], kb_id="atalanta")
    assert choose(atalanta, [inter]) is None
    # Without a KB entry of its own, a club named by that nickname may still join the stored one.
    nickname_only = Subject("club:nerazzurri", "nerazzurri", "club", surfaces=["nerazzurri"])
    assert choose(nickname_only, [inter]) is inter


# -- through the store --------------------------------------------------------------------------------
def add(store: Store, aid: str, body: str) -> dict[str, str]:
    art = article(aid, body)
    return store.add(art, analyze(art)).entities


def test_the_same_person_across_articles_and_name_forms(store: Store) -> None:
    k1 = add(
        store,
        "a1",
        "P|José Luis Palomino|player\nC|Atalanta|atalanta\nT|contract_expiry|José Luis Palomino|Atalanta|reported",
    )
    k2 = add(
        store,
        "a2",
        "P|José Palomino|player|José Palomino;Palomino\nC|Atalanta|atalanta\nT|interest|José Palomino|Atalanta|rumour",
    )
    k3 = add(store, "a3", "P|Palomino|player\nC|Atalanta|atalanta\nT|departure|Palomino|Atalanta|reported")
    key = k1["person:jose-palomino"]
    assert k2["person:jose-palomino"] == key
    assert k3["person:palomino"] == key
    assert k1["club:atalanta"] == k2["club:atalanta"] == "club:atalanta"
    row = store.find_entity(key)
    assert row is not None and row.name == "José Luis Palomino"


def test_clubs_sharing_a_nickname_stay_apart_in_the_store(store: Store) -> None:
    a1 = article("a1", "Inter e nerazzurri.")
    inter = Entity(id="club:inter", name="Inter", type=EntityType.CLUB, mentions=["Inter", "nerazzurri"], kb_id="inter")
    keys1 = store.add(a1, analysis_for(a1, [inter])).entities
    a2 = article("a2", "Atalanta e nerazzurri.")
    atalanta = Entity(
        id="club:atalanta", name="Atalanta", type=EntityType.CLUB, mentions=["Atalanta", "nerazzurri"], kb_id="atalanta"
    )
    keys2 = store.add(a2, analysis_for(a2, [atalanta])).entities
    assert keys1["club:inter"] == "club:inter"
    assert keys2["club:atalanta"] == "club:atalanta"


def test_typo_and_diacritic_variants_join_the_same_person(store: Store) -> None:
    k1 = add(store, "a1", "P|Gian Piero Gasperini|coach\nC|Atalanta|atalanta")
    k2 = add(store, "a2", "P|Gian Piero Gasparini|coach\nC|Atalanta|atalanta")
    k3 = add(store, "a3", "P|Alejandro Gómez|player\nC|Atalanta|atalanta")
    k4 = add(store, "a4", "P|Alejandro Goméz|player\nC|Atalanta|atalanta\nAltro giorno.")
    assert k1["person:gian-gasperini"] == k2["person:gian-gasparini"]
    assert k3["person:alejandro-gomez"] == k4["person:alejandro-gomez"]


def test_two_different_gomez_stay_apart(store: Store) -> None:
    a = add(
        store,
        "a1",
        "P|Alejandro Gómez|player|Alejandro Gómez;Gómez\nC|Atalanta|atalanta"
        "\nT|transfer|Alejandro Gómez|Atalanta|official",
    )
    m = add(
        store,
        "a2",
        "P|Mariano Gómez|player|Mariano Gómez;Gómez\nC|Sevilla|sevilla\nT|interest|Mariano Gómez|Sevilla|rumour",
    )
    assert a["person:alejandro-gomez"] != m["person:mariano-gomez"]
    # A bare "Gómez" seen with Atalanta is Alejandro; with no club it is ambiguous, never merged.
    g1 = add(store, "a3", "P|Gómez|player\nC|Atalanta|atalanta\nT|injury|Gómez|Atalanta|reported")
    assert g1["person:gomez"] == a["person:alejandro-gomez"]
    g2 = add(store, "a4", "P|Gómez|player")
    assert g2["person:gomez"] not in {a["person:alejandro-gomez"], m["person:mariano-gomez"]}
    # Mariano is still only Mariano: nothing of Alejandro's was attached to him.
    info = store.entity_info(m["person:mariano-gomez"])
    assert info.articles == 1


def test_merge_survives_reingest_of_a_changed_article_and_reanalysis(store: Store) -> None:
    k1 = add(store, "a1", "P|Papu Gómez|player\nC|Atalanta|atalanta\nT|interest|Papu Gómez|Atalanta|rumour")
    k2 = add(store, "a2", "P|Alejandro Gómez|player\nC|Atalanta|atalanta")
    papu, alejandro = k1["person:papu-gomez"], k2["person:alejandro-gomez"]
    assert papu != alejandro
    store.merge(alejandro, papu)
    assert store.find_entity(papu).key == alejandro  # the old key keeps resolving
    # Re-ingest a changed version of the first article: its mentions land on the merged entity.
    v2 = article("a1", "P|Papu Gómez|player\nC|Atalanta|atalanta\nT|negotiation|Papu Gómez|Atalanta|reported\nNuovo.")
    res = store.add(v2, analyze(v2))
    assert res.status == "updated"
    assert res.entities["person:papu-gomez"] == alejandro
    done, failed = store.reanalyze(analyze)
    assert (done, failed) == (2, 0)
    with store.session() as s:
        ent = s.scalar(select(EntityRow).where(EntityRow.key == alejandro))
        players = set(s.scalars(select(ClaimRow.player_id)))
        assert players == {ent.id}
        assert set(s.scalars(select(MentionRow.entity_id).join(EntityRow).where(EntityRow.type == "player"))) == {
            ent.id
        }


def test_split_and_alias_survive_reingest_and_reanalysis(store: Store) -> None:
    # The analysis wrongly calls two people by one name: "Gomez" the striker and "Gómez" the keeper.
    k1 = add(store, "a1", "P|Alejandro Gómez|player|Alejandro Gómez;Papu\nC|Atalanta|atalanta")
    k2 = add(
        store,
        "a2",
        "P|Alejandro Gómez|player|Alejandro Gómez;El Mudo\nC|Sevilla|sevilla"
        "\nT|interest|Alejandro Gómez|Sevilla|rumour",
    )
    key = k1["person:alejandro-gomez"]
    assert k2["person:alejandro-gomez"] == key
    new_key = store.split(key, ["El Mudo"], name="Alejandro Gómez (El Mudo)")
    with store.session() as s:
        new = s.scalar(select(EntityRow).where(EntityRow.key == new_key))
        # The claim of the moved article moved with the mentions.
        assert set(s.scalars(select(ClaimRow.player_id))) == {new.id}
    # Re-ingest a changed version: the manual alias sends "El Mudo" to the split entity.
    v2 = article("a2", "P|El Mudo|player\nC|Sevilla|sevilla\nT|negotiation|El Mudo|Sevilla|reported\nAggiornato.")
    res = store.add(v2, analyze(v2))
    assert res.entities["person:el-mudo"] == new_key
    store.add_alias("club:sevilla", "Sevilla FC")
    v3 = article("a3", "P|Papu|player\nC|Sevilla FC|\nAltro.")
    assert store.add(v3, analyze(v3)).entities["club:sevilla-fc"] == "club:sevilla"
    store.reanalyze(analyze)
    assert store.find_entity("El Mudo").key == new_key
    assert store.find_entity("Papu").key == key
    assert [c[1] for c in store.corrections()] == ["split", "alias"]


def test_entity_lookup_and_typo_tolerant_search(store: Store) -> None:
    add(store, "a1", "P|José Luis Palomino|player\nC|Atalanta|atalanta")
    assert store.find_entity("josé luis palomino").key == "person:jose-palomino"
    hits = store.search_entities("Palomno")
    assert hits and hits[0][0] == "person:jose-palomino"
    with pytest.raises(StoreError, match="did you mean"):
        store.require_entity("Jose Palomno")
    with pytest.raises(StoreError, match="cannot merge a player"):
        store.merge("person:jose-palomino", "club:atalanta")


def test_hand_built_analysis_with_kb_person(store: Store) -> None:
    art = article("a1", "Gianluigi Longari: Atalanta su Palomino.")
    longari = person("Gianluigi Longari", etype="journalist")
    longari.id, longari.kb_id = "person:gianluigi-longari", "gianluigi-longari"
    p, c = person("José Luis Palomino"), club("Atalanta", "atalanta")
    an = analysis_for(art, [longari, p, c], [claim("interest", p, c, source="Gianluigi Longari")])
    an.claims[0].source_id = longari.id
    keys = store.add(art, an).entities
    assert keys["person:gianluigi-longari"] == "person:gianluigi-longari"
    with store.session() as s:
        src = s.scalar(select(ClaimRow.source_id))
        assert s.get(EntityRow, src).key == "person:gianluigi-longari"
