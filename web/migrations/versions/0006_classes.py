"""classes, deadlines, course visibility, attempt score

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 06:03:48.288052
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "course_setting",
        sa.Column("course_id", sa.String(length=80), nullable=False),
        sa.Column("visibility", sa.String(length=10), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("course_id"),
    )
    op.create_table(
        "classroom",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("join_code", sa.String(length=16), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("classroom", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_classroom_join_code"), ["join_code"], unique=True)
        batch_op.create_index(batch_op.f("ix_classroom_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "class_course",
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["class_id"],
            ["classroom.id"],
        ),
        sa.PrimaryKeyConstraint("class_id", "course_id"),
    )
    with op.batch_alter_table("class_course", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_class_course_course_id"), ["course_id"], unique=False)

    op.create_table(
        "class_deadline",
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.String(length=80), nullable=False),
        sa.Column("exercise_id", sa.String(length=80), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["class_id"],
            ["classroom.id"],
        ),
        sa.PrimaryKeyConstraint("class_id", "course_id", "exercise_id"),
    )
    op.create_table(
        "class_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["class_id"],
            ["classroom.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("class_id", "user_id"),
    )
    with op.batch_alter_table("class_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_class_member_class_id"), ["class_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_class_member_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.add_column(sa.Column("score", sa.Integer(), nullable=True))
        batch_op.create_index(
            "ix_attempt_user_course_exercise", ["user_id", "course_id", "exercise_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_attempt_user_course_exercise")
        batch_op.drop_column("score")

    with op.batch_alter_table("class_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_class_member_user_id"))
        batch_op.drop_index(batch_op.f("ix_class_member_class_id"))

    op.drop_table("class_member")
    op.drop_table("class_deadline")
    with op.batch_alter_table("class_course", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_class_course_course_id"))

    op.drop_table("class_course")
    with op.batch_alter_table("classroom", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_classroom_owner_id"))
        batch_op.drop_index(batch_op.f("ix_classroom_join_code"))

    op.drop_table("classroom")
    op.drop_table("course_setting")
