"""The store on SQLite and PostgreSQL: migrations, idempotency, updates, near duplicates, failures."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from store_helpers import analysis_for, analyze, article, claim, club, person

from mercato.ingest.files import LoadFailure
from mercato.model import Analysis, Article
from mercato.service.ingest import ingest_items
from mercato.store import Store, StoreError
from mercato.store.models import ArticleRow, ClaimRow, EntityRow, MentionRow


def palomino_analysis(art: Article, club_name: str = "Atalanta") -> Analysis:
    p = person("José Luis Palomino", ["José Luis Palomino", "Palomino"])
    c = club(club_name, "atalanta" if club_name == "Atalanta" else None)
    return analysis_for(art, [p, c], [claim("contract_extension", p, c, date="2025-06")])


def test_migrations_leave_no_drift_between_models_and_schema(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from mercato.store.models import Base

    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_new_then_exact_duplicates_add_nothing(store: Store) -> None:
    art = article("a1", "Atalanta: José Luis Palomino rinnova.", url="https://www.example.com/news/1?utm_source=x")
    first = store.add(art, palomino_analysis(art))
    assert first.status == "new"
    before = store.counts()
    # Same canonical URL (tracking parameters, www. and scheme differ) and same text.
    again = article("other-id", "Atalanta: José Luis Palomino rinnova.", url="http://example.com/news/1/")
    assert store.add(again, palomino_analysis(again)).status == "duplicate"
    # Same text under another URL: an exact copy, nothing stored.
    copy = article("copy", "Atalanta: José Luis Palomino rinnova.", url="https://mirror.example.org/x")
    assert store.lookup(copy) is not None
    assert store.add(copy, palomino_analysis(copy)).status == "duplicate"
    assert store.counts() == before
    assert before["articles"] == 1 and before["claims"] == 1


def test_changed_version_of_a_url_replaces_its_mentions_and_claims(store: Store) -> None:
    url = "https://example.com/palomino"
    v1 = article("a1", "Atalanta: José Luis Palomino rinnova fino al 2025.", url=url)
    store.add(v1, palomino_analysis(v1))
    v2 = article("a1", "Atalanta: José Luis Palomino rinnova fino al 2026. Aggiornamento.", url=url)
    an2 = palomino_analysis(v2)
    an2.claims[0].date = "2026-06"
    result = store.add(v2, an2)
    assert result.status == "updated"
    with store.session() as s:
        rows = s.scalars(select(ArticleRow)).all()
        assert len(rows) == 1 and rows[0].version == 2 and "2026" in rows[0].text
        dates = s.scalars(select(ClaimRow.date)).all()
        assert dates == ["2026-06"]
        assert len(s.scalars(select(MentionRow).where(MentionRow.article_id == rows[0].id)).all()) == 3


def test_near_duplicate_is_stored_and_points_at_the_original(store: Store) -> None:
    body = " ".join(
        f"Frase numero {i} sul mercato dell'Atalanta e sul rinnovo di José Luis Palomino." for i in range(30)
    )
    orig = article("orig", body, url="https://a.example.com/1")
    copy = article("copy", body + " Fonte: agenzia.", url="https://b.example.com/syndicated")
    assert store.add(orig, palomino_analysis(orig)).status == "new"
    res = store.add(copy, palomino_analysis(copy))
    assert res.status == "near_duplicate"
    assert res.duplicate_of is not None
    with store.session() as s:
        first = s.scalar(select(ArticleRow).where(ArticleRow.external_id == "orig"))
        second = s.scalar(select(ArticleRow).where(ArticleRow.external_id == "copy"))
        assert second.duplicate_of == first.id and first.duplicate_of is None
    # A third copy points at the first, not at the second: a story counts once.
    third = article("third", body + " Fonte: altra agenzia.", url="https://c.example.com/again")
    assert store.add(third, palomino_analysis(third)).duplicate_of == res.duplicate_of


def test_a_failing_article_leaves_nothing_half_stored_and_keeps_the_others(store: Store) -> None:
    good1 = article(
        "g1",
        "P|José Luis Palomino|player\nC|Atalanta|atalanta\nT|interest|José Luis Palomino|Atalanta|rumour",
    )
    bad_analysis = article("b1", "P|Mario Rossi|player\nFAIL")
    good2 = article("g2", "P|Duván Zapata|player\nC|Torino|\nT|transfer|Duván Zapata|Torino|official")

    def broken_store_analyzer(art: Article) -> Analysis:
        an = analyze(art)
        an.entities[0].type = "not-a-type"  # type: ignore[assignment]  # breaks inside the transaction
        return an

    bad_store = article("b2", "P|Luca Bianchi|player")

    def analyzer(art: Article) -> Analysis:
        return broken_store_analyzer(art) if art.id == "b2" else analyze(art)

    results: list[str] = []
    summary = ingest_items(
        [good1, bad_analysis, LoadFailure("x.json", "invalid JSON"), bad_store, good2],
        store,
        analyze=analyzer,
        on_result=lambda r: results.append(r.status),
    )
    assert (summary.read, summary.new, summary.failed) == (5, 2, 3)
    assert results == ["new", "failed", "failed", "failed", "new"]
    assert any("cannot analyse" in reason for _, reason in summary.failures)
    with store.session() as s:
        ids = set(s.scalars(select(ArticleRow.external_id)))
        assert ids == {"g1", "g2"}
        names = set(s.scalars(select(EntityRow.name)))
        assert "Luca Bianchi" not in names and "Mario Rossi" not in names
    # Ingesting the batch again adds nothing and analyses nothing already stored.
    again = ingest_items([good1, good2], store, analyze=analyzer)
    assert (again.duplicate, again.new) == (2, 0)


def test_reopening_keeps_everything_committed(store: Store, reopen: Callable[[], Store]) -> None:
    art = article("a1", "Atalanta: José Luis Palomino rinnova.", url="https://example.com/1")
    store.add(art, palomino_analysis(art))
    store.close()
    with reopen() as again:
        assert again.counts()["articles"] == 1
        assert again.find_entity("José Luis Palomino") is not None


def test_locked_sqlite_file_gives_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "locked.sqlite"
    Store.open(str(path)).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    art = article("a1", "Atalanta: José Luis Palomino rinnova.", url="https://example.com/1")
    try:
        # Opening may already need the lock (migration check) or only the write does: either way
        # the user reads one line saying the file is locked, never a traceback.
        with pytest.raises(StoreError, match="locked by another process"):
            st = Store.open(str(path), timeout=0.2)
            try:
                st.add(art, palomino_analysis(art))
            finally:
                st.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Store.open(str(path)) as st:
        assert st.counts()["articles"] == 0


def test_unreachable_postgresql_gives_a_clear_message() -> None:
    with pytest.raises(StoreError, match="cannot reach database postgresql"):
        Store.open("postgresql://nobody:secret@127.0.0.1:1/mercato", timeout=2)


def test_not_a_database_file(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.sqlite"
    bogus.write_text("this is not a database " * 200)
    with pytest.raises(StoreError, match="not a mercato database"):
        Store.open(str(bogus))


def test_article_without_url_edited_and_ingested_again_is_an_update(store: Store) -> None:
    v1 = article("notes", "Atalanta: José Luis Palomino rinnova.")
    v2 = article("notes", "Atalanta: José Luis Palomino rinnova. Ufficiale.")
    assert store.add(v1, palomino_analysis(v1)).status == "new"
    assert store.add(v2, palomino_analysis(v2)).status == "updated"
    assert store.counts()["articles"] == 1


def test_sqlite_files_are_switched_to_wal(tmp_path: Path) -> None:
    # Readers work during an ingest, and a commit appends to the WAL instead of syncing a journal.
    path = tmp_path / "wal.sqlite"
    with Store.open(str(path)) as st, st.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
