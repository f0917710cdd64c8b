"""tutor calls (every model call) and instructors' flags on replies

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 06:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tutor_call",
        sa.Column("course_id", sa.String(length=80), nullable=False),
        sa.Column("target_kind", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.String(length=80), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("latency_ms", sa.Integer(), nullable=False),
        sa.Column("guard", sa.String(length=20), nullable=False),
        sa.Column("prompt_hash", sa.String(length=64), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("tutor_call", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tutor_call_course_id"), ["course_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tutor_call_user_id"), ["user_id"], unique=False)
    op.create_table(
        "tutor_flag",
        sa.Column("note", sa.String(length=2000), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("instructor_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["tutor_call.id"]),
        sa.ForeignKeyConstraint(["instructor_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("call_id"),
    )


def downgrade() -> None:
    op.drop_table("tutor_flag")
    with op.batch_alter_table("tutor_call", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tutor_call_user_id"))
        batch_op.drop_index(batch_op.f("ix_tutor_call_course_id"))
    op.drop_table("tutor_call")
