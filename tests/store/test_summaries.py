"""Player summaries (``mercato.store.summaries``): the club view read from them equals the club
view computed from the claims, and they stay in step through ingest, update, merge, split and
re-analysis, on both backends."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from store_helpers import analysis_for, analyze, article, claim, club, person

from mercato.knowledge import dossier as kd
from mercato.model import Entity
from mercato.service.dossier import CLUB_TYPES, club_dossier, player_claims, resolve
from mercato.store import Store, summaries
from mercato.store.models import ClaimRow, EntityRow, PlayerSummaryRow

TODAY = date(2025, 1, 1)


def _club_from_claims(store: Store, key: str) -> dict[str, object]:
    """The club view as computed before summaries: every claim of its players, through the rules."""
    entity = resolve(store, key, CLUB_TYPES, "club")
    with store.session() as s:
        pids = list(
            dict.fromkeys(
                s.scalars(
                    select(ClaimRow.player_id)
                    .where(
                        (ClaimRow.club_id == entity.id) | (ClaimRow.from_club_id == entity.id),
                        ClaimRow.player_id.is_not(None),
                    )
                    .order_by(ClaimRow.published.desc())
                )
            )
        )
        claims = player_claims(s, pids) if pids else []
    players: dict[str, tuple[str, list[object]]] = {}
    for c in claims:
        if c.player_key:
            players.setdefault(c.player_key, (c.player, []))[1].append(c)
    return kd.club_dossier(entity, players, TODAY)  # type: ignore[arg-type]


def _check_stored(store: Store) -> set[int]:
    """Every stored summary equals one computed now from the claims; returns the players stored."""
    with store.engine.connect() as conn:
        stored = {pid: data for pid, data in conn.execute(select(PlayerSummaryRow.player_id, PlayerSummaryRow.data))}
        assert stored == summaries.compute(conn, stored)
    return set(stored)


def _check_views(store: Store) -> None:
    with store.session() as s:
        clubs = list(s.scalars(select(EntityRow.key).where(EntityRow.type == "club", EntityRow.merged_into.is_(None))))
    assert clubs
    for key in clubs:
        assert club_dossier(store, key, today=TODAY) == _club_from_claims(store, key), key


def assert_in_sync(store: Store) -> None:
    """A stored summary is never stale (whatever is not refreshed yet is missing), club views
    equal those computed from the claims before and after the refresh, and after it every player
    with claims has his summary."""
    _check_stored(store)
    _check_views(store)
    store.refresh_summaries()
    with store.engine.connect() as conn:
        players = set(conn.scalars(select(ClaimRow.player_id).where(ClaimRow.player_id.is_not(None))))
    assert _check_stored(store) == players
    _check_views(store)


def _add(store: Store, aid: str, entities: list[Entity], claims: list[object], published: str) -> dict[str, str]:
    art = article(aid, " ".join(e.name for e in entities), published=published)
    return store.add(art, analysis_for(art, entities, claims)).entities  # type: ignore[arg-type]


def test_summaries_follow_ingest_update_merge_split_and_reanalysis(store: Store) -> None:
    ata, sev, inter, inter2 = club("Atalanta", "atalanta"), club("Sevilla"), club("Inter"), club("Internazionale")
    papu, lookman = person("Papu Gómez"), person("Ademola Lookman")
    longari = person("Gianluigi Longari", etype="journalist")
    _add(store, "a1", [papu, ata, sev, longari], [
        claim("transfer", papu, ata, "official", date="2023-01"),
        claim("interest", papu, sev, "rumour", from_club=ata.name, from_club_id=ata.id, source=longari.name,
              source_id=longari.id),
    ], "2023-05-02")  # fmt: skip
    _add(store, "a2", [papu, lookman, ata, sev, inter], [
        claim("negotiation", papu, sev, "reported", from_club=ata.name, from_club_id=ata.id),
        claim("interest", lookman, inter, "reported", from_club=ata.name, from_club_id=ata.id),
        claim("contract_extension", lookman, ata, "reported"),
    ], "2023-06-10")  # fmt: skip
    _add(store, "a3", [lookman, inter2, ata], [
        claim("negotiation", lookman, inter2, "reported", from_club=ata.name, from_club_id=ata.id),
        claim("departure", lookman, ata, "reported"),
    ], "2023-07-01")  # fmt: skip
    assert_in_sync(store)
    ata_view = club_dossier(store, "club:atalanta", today=TODAY)
    assert ata_view["squad"] and ata_view["outgoing"]

    # An updated article: Papu's negotiation is gone, a denial replaces it.
    _add(store, "a2", [papu, lookman, ata, sev, inter], [
        claim("negotiation", papu, sev, "denied", from_club=ata.name, from_club_id=ata.id),
        claim("interest", lookman, inter, "reported", from_club=ata.name, from_club_id=ata.id),
    ], "2023-06-10")  # fmt: skip
    assert_in_sync(store)

    # Merging two clubs changes the links of players the merge never names as players.
    store.merge("club:inter", "club:internazionale")
    assert_in_sync(store)
    # Merging two players: one summary for both.
    other = person("Alejandro Gómez")
    _add(store, "a4", [other, sev], [claim("agreement", other, sev, "reported")], "2023-08-01")
    store.merge("person:papu-gomez", "person:alejandro-gomez")
    assert_in_sync(store)

    # A split moves the claims of an article to a new player.
    text = "P|Papu Gómez|player|Papu Gómez;El Mudo\nC|Sevilla|sevilla\nT|interest|Papu Gómez|Sevilla|rumour"
    art = article("a5", text, published="2023-09-01")
    store.add(art, analyze(art))
    store.split("person:papu-gomez", ["El Mudo"], name="El Mudo")
    assert_in_sync(store)

    store.reanalyze(analyze)  # the line-format analyzer reads a5 only; corrections replay
    assert_in_sync(store)


def test_missing_summaries_are_computed_on_read_and_filled(store: Store) -> None:
    for i in range(3):
        text = f"P|Player {i}|player\nC|Atalanta|atalanta\nT|interest|Player {i}|Atalanta|reported"
        art = article(f"a{i}", text, published=f"2024-0{i + 1}-01")
        store.add(art, analyze(art))
    view = club_dossier(store, "club:atalanta", today=TODAY)
    with store.session() as s:
        s.execute(PlayerSummaryRow.__table__.delete())
    assert club_dossier(store, "club:atalanta", today=TODAY) == view  # computed from the claims
    assert store.fill_summaries() == 3
    assert store.fill_summaries() == 0
    assert_in_sync(store)


def test_namesakes_keep_their_order(store: Store) -> None:
    # Two players the claims name alike, with equal scores: the one whose newest claim comes first
    # in the claims (newest first, then the latest stored) comes first, as on the claims path.
    ata, sev = club("Atalanta", "atalanta"), club("Sevilla")
    for aid, name, team, day in (("a1", "Luca Bianchi", sev, "2024-01-01"), ("a2", "Paolo Verdi", ata, "2024-02-01"),
                                 ("a3", "Luca Bianchi", ata, "2024-02-01")):  # fmt: skip
        p = person(name)
        c = claim("interest", p, team, "reported")
        c.player = "Rossi"
        _add(store, aid, [p, team], [c], day)
    view = club_dossier(store, "club:atalanta", today=TODAY)
    assert [r["player_key"] for r in view["incoming"]] == ["person:luca-bianchi", "person:paolo-verdi"]
    assert view["incoming"][0]["credibility"] == view["incoming"][1]["credibility"]
    assert_in_sync(store)


def test_ingest_writes_the_summaries_once_per_batch(store: Store) -> None:
    from mercato.service.ingest import ingest_items

    line = "P|Player {0}|player\nC|Atalanta|atalanta\nT|interest|Player {0}|Atalanta|reported"
    texts = [line.format(i % 3) + f"\nArticolo numero {i}." for i in range(7)]
    arts = [article(f"a{i}", t, published=f"2024-0{i + 1}-01") for i, t in enumerate(texts)]
    summary = ingest_items(arts, store, analyze=analyze)
    assert summary.new == 7
    assert len(_check_stored(store)) == 3  # written at the end of the batch, and current
    assert store.refresh_summaries() == 0
