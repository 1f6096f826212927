"""The entity cache of the store (mercato.store.resolver) never answers with something stale:
corrections made through the same store, through another store on the same database (another
process, in effect) and articles rolled back half-way are all seen by the next ingest."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from store_helpers import analysis_for, analyze, article, person

from mercato.model import Fact
from mercato.service.ingest import ingest_items
from mercato.store import Store
from mercato.store.models import EntityRow, MentionRow


def add(store: Store, aid: str, body: str) -> dict[str, str]:
    art = article(aid, body)
    return store.add(art, analyze(art)).entities


def test_alias_added_through_the_same_store_is_seen_by_the_next_ingest(store: Store) -> None:
    add(store, "a1", "P|Alejandro Gómez|player\nC|Atalanta|atalanta")
    add(store, "a2", "C|Sevilla|sevilla")
    # The cache now knows that no club is called "Sevilla FC"...
    assert add(store, "a3", "C|Sevilla FC|")["club:sevilla-fc"] == "club:sevilla-fc"
    # ...until the user says otherwise.
    store.add_alias("club:sevilla", "Sevilla FC")
    assert add(store, "a4", "C|Sevilla FC|\nAltro.")["club:sevilla-fc"] == "club:sevilla"
    store.add_alias("person:alejandro-gomez", "Papu")
    assert add(store, "a5", "P|Papu|player")["person:papu"] == "person:alejandro-gomez"


def test_corrections_through_another_store_are_seen_by_a_running_ingest(
    store: Store, reopen: Callable[[], Store]
) -> None:
    papu = add(store, "a1", "P|Papu Gómez|player\nC|Atalanta|atalanta")["person:papu-gomez"]
    alejandro = add(store, "a2", "P|Alejandro Gómez|player\nC|Atalanta|atalanta")["person:alejandro-gomez"]
    assert add(store, "a3", "C|Sevilla FC|")["club:sevilla-fc"] == "club:sevilla-fc"
    # Another process (here: another Store, its own connection) corrects while `store` stays open.
    with reopen() as other:
        other.merge(alejandro, papu)
        other.add_alias("club:atalanta", "La Dea")
    keys = add(store, "a4", "P|Papu Gómez|player\nC|La Dea|\nT|interest|Papu Gómez|La Dea|rumour")
    assert keys["person:papu-gomez"] == alejandro
    assert keys["club:la-dea"] == "club:atalanta"
    # And entities another store created are candidates at once (no duplicate entity).
    with reopen() as other:
        assert add(other, "b1", "P|Teun Koopmeiners|player\nC|Atalanta|atalanta")["person:teun-koopmeiners"] == (
            "person:teun-koopmeiners"
        )
    assert add(store, "a5", "P|Koopmeiners|player\nC|Atalanta|atalanta")["person:koopmeiners"] == (
        "person:teun-koopmeiners"
    )


def test_an_article_rolled_back_half_way_leaves_nothing_in_the_cache(store: Store) -> None:
    art = article("bad", "P|Luca Bianchi|player")
    broken = analyze(art)
    # The entity is placed, then storing the fact fails (its value is not JSON): all rolled back.
    broken.facts = [Fact("goals", "person:luca-bianchi", "Luca Bianchi", value={1, 2})]
    summary = ingest_items([art], store, analyze=lambda _a: broken)
    assert summary.failed == 1
    keys = add(store, "good", "P|Luca Bianchi|player\nAltro.")
    assert keys["person:luca-bianchi"] == "person:luca-bianchi"
    with store.session() as s:
        row = s.scalar(select(EntityRow).where(EntityRow.key == "person:luca-bianchi"))
        assert row is not None
        assert s.scalar(select(MentionRow.entity_id)) == row.id


def test_reanalysis_and_a_later_ingest_agree_with_the_corrections(store: Store) -> None:
    k = add(store, "a1", "P|Alejandro Gómez|player|Alejandro Gómez;El Mudo\nC|Sevilla|sevilla")
    new_key = store.split(k["person:alejandro-gomez"], ["El Mudo"])
    store.reanalyze(analyze)
    assert add(store, "a2", "P|El Mudo|player\nAltro.")["person:el-mudo"] == new_key
    assert add(store, "a3", "P|Alejandro Gómez|player\nAncora.")["person:alejandro-gomez"] == (
        k["person:alejandro-gomez"]
    )


def test_two_mentions_equal_once_trimmed_are_one_alias(store: Store) -> None:
    art = article("a1", "Bianchi e Bianchi ancora.")
    p = person("Luca Bianchi", ["Luca Bianchi", "Luca Bianchi "])
    keys = store.add(art, analysis_for(art, [p])).entities
    assert keys["person:luca-bianchi"] == "person:luca-bianchi"
    info = store.entity_info("person:luca-bianchi")
    assert info.aliases == [("Luca Bianchi", "analysis")]


def test_new_entities_after_a_correction_get_fresh_ids(store: Store) -> None:
    k = add(store, "a1", "P|Alejandro Gómez|player|Alejandro Gómez;El Mudo\nC|Sevilla|sevilla")
    # The split creates an entity outside the ingest path; the next new entities must not reuse its id.
    new_key = store.split(k["person:alejandro-gomez"], ["El Mudo"])
    keys = add(store, "a2", "P|Luca Bianchi|player\nP|Mario Rossi|player\nC|Torino|")
    with store.session() as s:
        rows = {r.key: r.id for r in s.scalars(select(EntityRow))}
    assert len(set(rows.values())) == len(rows)
    assert {new_key, *keys.values()} <= set(rows)


def test_namesakes_that_cannot_be_merged_get_numbered_keys(store: Store, reopen: Callable[[], Store]) -> None:
    # A bare surname with conflicting nationalities is four people: person:gomez, -2, -3, -4.
    keys = [add(store, f"a{i}", f"P|Gómez|player|Gómez|{nat}\nTesto {i}.")["person:gomez"]
            for i, nat in enumerate(["Argentina", "Spain", "Colombia"])]  # fmt: skip
    assert keys == ["person:gomez", "person:gomez-2", "person:gomez-3"]
    with reopen() as other:  # a cold cache finds the taken suffixes in the database
        assert add(other, "b1", "P|Gómez|player|Gómez|Italy")["person:gomez"] == "person:gomez-4"
