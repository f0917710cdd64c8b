"""exercise drafts (a learner's unsubmitted code, saved as they type)

Skipped exercises need no table: they are ``progress_event`` rows of kind ``skipped``.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 06:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exercise_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.String(length=80), nullable=False),
        sa.Column("exercise_id", sa.String(length=80), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "course_id", "exercise_id"),
    )
    with op.batch_alter_table("exercise_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exercise_draft_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("exercise_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exercise_draft_user_id"))
    op.drop_table("exercise_draft")
