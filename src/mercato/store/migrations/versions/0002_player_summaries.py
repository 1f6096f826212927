"""Player summaries for the club view: one row per player, rewritten when his claims change.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 17:50:00.000000

The rows are filled by the store, not here (they are computed by the knowledge code, which a
migration must not depend on): until ``mercato db upgrade`` fills them, club views compute the
missing ones from the claims, as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "player_summaries",
        sa.Column("player_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["player_id"], ["entities.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("player_id"),
    )


def downgrade() -> None:
    op.drop_table("player_summaries")
