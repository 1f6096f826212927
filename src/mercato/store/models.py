"""SQLAlchemy 2 models of the store: what mercato remembers across articles.

The schema is documented for other adapters in ``docs/store.md``. Migrations live in
``store/migrations`` and are the source of truth for the database; these models must match them
(``tests/store/test_schema.py`` checks that a migrated database has no drift from the models).

Integer surrogate keys everywhere keep claim and mention rows small (1M claims must stay fast); the
stable, human-readable identity of an entity is ``entities.key`` (``club:atalanta``,
``person:jose-luis-palomino``), which is what leaves the store.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# BIGINT on PostgreSQL; SQLite only auto-increments a column declared exactly INTEGER.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    external_id: Mapped[str] = mapped_column(String(512))  # Article.id as the source gave it
    url: Mapped[str | None] = mapped_column(Text)
    # Unique: one stored article per page; a new version of the page replaces the old one.
    canonical_url: Mapped[str | None] = mapped_column(String(2048), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    simhash: Mapped[int] = mapped_column(BigInteger)  # 64-bit SimHash stored as a signed int64
    # 16-bit bands of the SimHash: two hashes within 3 bits share one band (pigeonhole), so a
    # near-duplicate lookup is four indexed equality probes instead of a full scan.
    band0: Mapped[int] = mapped_column(Integer)
    band1: Mapped[int] = mapped_column(Integer)
    band2: Mapped[int] = mapped_column(Integer)
    band3: Mapped[int] = mapped_column(Integer)
    duplicate_of: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(256))
    author: Mapped[str | None] = mapped_column(String(256))
    language: Mapped[str | None] = mapped_column(String(8))
    published: Mapped[str | None] = mapped_column(String(32), index=True)  # ISO date, month or year
    fetched: Mapped[str | None] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    origin: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    analysis_warnings: Mapped[list[str] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        Index("ix_articles_band0", "band0"),
        Index("ix_articles_band1", "band1"),
        Index("ix_articles_band2", "band2"),
        Index("ix_articles_band3", "band3"),
        Index("ix_articles_external_id", "external_id"),
    )


class EntityRow(Base):
    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)  # stable public id: club:atalanta
    name: Mapped[str] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(32), index=True)
    kb_id: Mapped[str | None] = mapped_column(String(300), index=True)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Set when a manual merge folded this entity into another: rows move, the key keeps resolving.
    merged_into: Mapped[int | None] = mapped_column(
        ForeignKey("entities.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class AliasRow(Base):
    __tablename__ = "aliases"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    folded: Mapped[str] = mapped_column(String(300), index=True)
    surface: Mapped[str] = mapped_column(String(300))
    # analysis (seen in an article), manual (a user said so: wins over everything), kb
    origin: Mapped[str] = mapped_column(String(16), default="analysis")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        UniqueConstraint("entity_id", "surface", "origin", name="uq_aliases_entity_surface_origin"),
        Index("ix_aliases_entity", "entity_id"),
    )


class NameKeyRow(Base):
    """Lookup keys of person surnames: the folded surname and, for surnames of >= 5 letters, its
    one-letter deletions (prefixed ``~``), so typo candidates ("Gasparini"/"Gasperini") are found by
    indexed equality (symmetric-delete), then confirmed by an exact edit-distance check."""

    __tablename__ = "name_keys"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True)

    __table_args__ = (Index("ix_name_keys_entity", "entity_id"),)


class MentionRow(Base):
    __tablename__ = "mentions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    analysis_id: Mapped[str] = mapped_column(String(300))  # the entity id the analysis gave
    surface: Mapped[str] = mapped_column(String(300))
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_mentions_article", "article_id"),
        Index("ix_mentions_entity_article", "entity_id", "article_id"),
    )


class ClaimRow(Base):
    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(32))
    player_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id", ondelete="SET NULL"))
    club_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id", ondelete="SET NULL"))
    from_club_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id", ondelete="SET NULL"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id", ondelete="SET NULL"))
    # Names as the analysis wrote them: kept so a claim reads well even without joins.
    player: Mapped[str] = mapped_column(String(300))
    club: Mapped[str | None] = mapped_column(String(300))
    from_club: Mapped[str | None] = mapped_column(String(300))
    source: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16))
    date: Mapped[str | None] = mapped_column(String(32))
    # The article's publication date, copied so the dossier index (player, published) both filters
    # and orders without touching the articles table.
    published: Mapped[str | None] = mapped_column(String(32))
    fee: Mapped[str | None] = mapped_column(String(128))
    detail: Mapped[str | None] = mapped_column(Text)
    counterpart: Mapped[str | None] = mapped_column(String(300))
    evidence: Mapped[str] = mapped_column(Text, default="")
    evidence_start: Mapped[int | None] = mapped_column(Integer)
    evidence_end: Mapped[int | None] = mapped_column(Integer)
    confidence: Mapped[float] = mapped_column(Float, default=0.5)
    source_platform: Mapped[str | None] = mapped_column(String(64))
    story_id: Mapped[int | None] = mapped_column(BigInteger, index=True)  # filled by the story bundler

    __table_args__ = (
        Index("ix_claims_article", "article_id"),
        Index("ix_claims_player_published", "player_id", "published"),
        Index("ix_claims_club_published", "club_id", "published"),
        Index("ix_claims_from_club_published", "from_club_id", "published"),
        Index("ix_claims_source", "source_id"),
    )


class FactRow(Base):
    __tablename__ = "facts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    # Null for facts imported from a data set (historic transfers) rather than read in an article.
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id", ondelete="SET NULL"))
    subject: Mapped[str] = mapped_column(String(300))
    value: Mapped[Any] = mapped_column(JSON)
    club_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id", ondelete="SET NULL"))
    club: Mapped[str | None] = mapped_column(String(300))
    competition: Mapped[str | None] = mapped_column(String(300))
    date: Mapped[str | None] = mapped_column(String(32))
    evidence_start: Mapped[int | None] = mapped_column(Integer)
    evidence_end: Mapped[int | None] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(64), default="analysis")  # analysis, import:tmtransfers
    # Identifies an imported row so importing the same data set twice adds nothing.
    import_key: Mapped[str | None] = mapped_column(String(300), unique=True)

    __table_args__ = (
        Index("ix_facts_article", "article_id"),
        Index("ix_facts_subject_date", "subject_id", "date"),
        Index("ix_facts_club_date", "club_id", "date"),
    )


class PlayerSummaryRow(Base):
    """What a club view needs of one player, derived from all his claims
    (``mercato.knowledge.dossier.club_view_summary``, JSON text). Rewritten in the transaction that
    changes his claims (ingest, re-analysis, merge, split), so it is never stale; a missing row is
    computed from the claims when read (``mercato.store.summaries``)."""

    __tablename__ = "player_summaries"

    player_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[str] = mapped_column(Text)


class CorrectionRow(Base):
    """A user's correction (merge, split, alias). Kept forever and replayed after re-analysis, so
    rebuilding mentions and claims from the articles never loses what a person fixed by hand."""

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))  # merge, split, alias, unalias
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
