"""per-learner limit tokens (checks in flight, Runs, drafts, attempts: across workers)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 09:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "limit_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("limit_token", schema=None) as batch_op:
        batch_op.create_index(
            "ix_limit_token_user_kind", ["user_id", "kind", "expires_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("limit_token", schema=None) as batch_op:
        batch_op.drop_index("ix_limit_token_user_kind")
    op.drop_table("limit_token")
