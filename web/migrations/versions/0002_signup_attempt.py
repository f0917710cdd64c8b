"""signup attempts (per-IP sign-up limit)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 12:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "signup_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("signup_attempt", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_signup_attempt_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_signup_attempt_ip"), ["ip"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("signup_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signup_attempt_ip"))
        batch_op.drop_index(batch_op.f("ix_signup_attempt_created_at"))
    op.drop_table("signup_attempt")
