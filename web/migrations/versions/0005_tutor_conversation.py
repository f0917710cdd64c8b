"""tutor conversations and exercise help (the hint ladder's level per learner)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 06:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tutor_conversation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.String(length=80), nullable=False),
        sa.Column("scope", sa.String(length=100), nullable=False),
        sa.Column("messages_json", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "course_id", "scope"),
    )
    with op.batch_alter_table("tutor_conversation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tutor_conversation_user_id"), ["user_id"], unique=False
        )
    op.create_table(
        "exercise_help",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.String(length=80), nullable=False),
        sa.Column("exercise_id", sa.String(length=80), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("given_json", sa.Text(), nullable=False),
        sa.Column("blocks_json", sa.Text(), nullable=False),
        sa.Column("recent_json", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "course_id", "exercise_id"),
    )
    with op.batch_alter_table("exercise_help", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exercise_help_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("exercise_help", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exercise_help_user_id"))
    op.drop_table("exercise_help")
    with op.batch_alter_table("tutor_conversation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tutor_conversation_user_id"))
    op.drop_table("tutor_conversation")
