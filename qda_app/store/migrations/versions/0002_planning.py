"""The planning layer: suggestions from the learning model, impact goals linked to codes, and
code sets (REFI-QDA CodeBook Sets, ATLAS.ti code groups) so that no codebook loses them.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("indicators", sa.Text(), nullable=False),
        sa.Column("responsible", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("level BETWEEN 1 AND 7", name=op.f("ck_goal_level")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal")),
        sa.UniqueConstraint("guid", name=op.f("uq_goal_guid")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "goal_code",
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["code_id"], ["code.id"], name=op.f("fk_goal_code_code_id_code")),
        sa.ForeignKeyConstraint(["goal_id"], ["goal.id"], name=op.f("fk_goal_code_goal_id_goal")),
        sa.PrimaryKeyConstraint("goal_id", "code_id", name=op.f("pk_goal_code")),
    )
    op.create_index(op.f("ix_goal_code_code_id"), "goal_code", ["code_id"], unique=False)
    op.create_table(
        "suggestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("model_version", sa.String(length=64), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "state IN ('open', 'accepted', 'rejected')", name=op.f("ck_suggestion_state")
        ),
        sa.CheckConstraint('start >= 0 AND "end" > start', name=op.f("ck_suggestion_span")),
        sa.ForeignKeyConstraint(["code_id"], ["code.id"], name=op.f("fk_suggestion_code_id_code")),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_suggestion_document_id_document")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_suggestion_code_id"), "suggestion", ["code_id"], unique=False)
    op.create_index(
        "ix_suggestion_document_start", "suggestion", ["document_id", "start"], unique=False
    )
    op.create_table(
        "code_set",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_code_set")),
        sa.UniqueConstraint("guid", name=op.f("uq_code_set_guid")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "code_set_member",
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["code_id"], ["code.id"], name=op.f("fk_code_set_member_code_id_code")
        ),
        sa.ForeignKeyConstraint(
            ["set_id"], ["code_set.id"], name=op.f("fk_code_set_member_set_id_code_set")
        ),
        sa.PrimaryKeyConstraint("set_id", "code_id", name=op.f("pk_code_set_member")),
    )
    op.create_index(
        op.f("ix_code_set_member_code_id"), "code_set_member", ["code_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_code_set_member_code_id"), table_name="code_set_member")
    op.drop_table("code_set_member")
    op.drop_table("code_set")
    op.drop_index("ix_suggestion_document_start", table_name="suggestion")
    op.drop_index(op.f("ix_suggestion_code_id"), table_name="suggestion")
    op.drop_table("suggestion")
    op.drop_index(op.f("ix_goal_code_code_id"), table_name="goal_code")
    op.drop_table("goal_code")
    op.drop_table("goal")
