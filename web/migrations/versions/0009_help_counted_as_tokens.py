"""help requests counted in limit_token: exercise_help.recent_json goes

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 14:05:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("exercise_help", schema=None) as batch_op:
        batch_op.drop_column("recent_json")


def downgrade() -> None:
    with op.batch_alter_table("exercise_help", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("recent_json", sa.Text(), nullable=False, server_default="[]")
        )
