"""The core of a project: documents, turns, cases, attributes, codes, codings, memos.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


# A coding must lie inside its document; CHECK cannot look at another table, so triggers do.
_SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER coding_inside_document_{event} BEFORE {event} ON coding
    WHEN NEW."end" > (SELECT text_length FROM document WHERE id = NEW.document_id)
    BEGIN SELECT RAISE(ABORT, 'coding outside its document'); END"""
    for event in ("INSERT", "UPDATE")
]
_POSTGRES_TRIGGERS = [
    """CREATE FUNCTION coding_inside_document() RETURNS trigger AS $$
    BEGIN
        IF NEW."end" > (SELECT text_length FROM document WHERE id = NEW.document_id) THEN
            RAISE EXCEPTION 'coding outside its document';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER coding_inside_document BEFORE INSERT OR UPDATE ON coding
    FOR EACH ROW EXECUTE FUNCTION coding_inside_document()""",
]


def _create_triggers() -> None:
    dialect = op.get_bind().dialect.name
    for statement in _POSTGRES_TRIGGERS if dialect == "postgresql" else _SQLITE_TRIGGERS:
        op.execute(statement)


def _drop_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER coding_inside_document ON coding")
        op.execute("DROP FUNCTION coding_inside_document()")
    else:
        for event in ("INSERT", "UPDATE"):
            op.execute(f"DROP TRIGGER coding_inside_document_{event}")


def upgrade() -> None:
    op.create_table(
        "attribute",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("type", sa.String(length=10), nullable=False),
        sa.Column("choices", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint("scope IN ('case', 'document')", name=op.f("ck_attribute_scope")),
        sa.CheckConstraint(
            "type IN ('text', 'number', 'date', 'category')", name=op.f("ck_attribute_type")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attribute")),
        sa.UniqueConstraint("guid", name=op.f("uq_attribute_guid")),
        sa.UniqueConstraint("scope", "name", name=op.f("uq_attribute_scope")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case")),
        sa.UniqueConstraint("guid", name=op.f("uq_case_guid")),
        sa.UniqueConstraint("name", name=op.f("uq_case_name")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("color", sa.String(length=7), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("inclusion", sa.Text(), nullable=False),
        sa.Column("exclusion", sa.Text(), nullable=False),
        sa.Column("anchors", sa.Text(), nullable=False),
        sa.Column("keywords", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("codable", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "parent_id IS NULL OR parent_id <> id", name=op.f("ck_code_not_own_parent")
        ),
        sa.ForeignKeyConstraint(["parent_id"], ["code.id"], name=op.f("fk_code_parent_id_code")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_code")),
        sa.UniqueConstraint("guid", name=op.f("uq_code_guid")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_code_parent_position", "code", ["parent_id", "position"], unique=False)
    op.create_table(
        "coder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coder")),
        sa.UniqueConstraint("guid", name=op.f("uq_coder_guid")),
        sa.UniqueConstraint("name", name=op.f("uq_coder_name")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("text_length", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("source_name", sa.String(length=500), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.CheckConstraint("text_length = length(text)", name=op.f("ck_document_length_matches")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.UniqueConstraint("guid", name=op.f("uq_document_guid")),
        sa.UniqueConstraint("name", name=op.f("uq_document_name")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_document_sha256"), "document", ["sha256"], unique=False)
    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("language IN ('de', 'en')", name=op.f("ck_project_language")),
        sa.CheckConstraint("id = 1", name=op.f("ck_project_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project")),
        sa.UniqueConstraint("guid", name=op.f("uq_project_guid")),
    )
    op.create_table(
        "case_document",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_case_document_case_id_case")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_case_document_document_id_document")
        ),
        sa.PrimaryKeyConstraint("case_id", "document_id", name=op.f("pk_case_document")),
    )
    op.create_index(
        op.f("ix_case_document_document_id"), "case_document", ["document_id"], unique=False
    )
    op.create_table(
        "case_value",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("attribute_id", sa.Integer(), nullable=False),
        sa.Column("text_value", sa.Text(), nullable=True),
        sa.Column("number_value", sa.Float(), nullable=True),
        sa.Column("date_value", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["attribute_id"], ["attribute.id"], name=op.f("fk_case_value_attribute_id_attribute")
        ),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_case_value_case_id_case")),
        sa.PrimaryKeyConstraint("case_id", "attribute_id", name=op.f("pk_case_value")),
    )
    op.create_table(
        "coding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=12), nullable=False),
        sa.Column("memo", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "origin IN ('manual', 'suggestion', 'autocode', 'import')",
            name=op.f("ck_coding_origin"),
        ),
        sa.CheckConstraint('start >= 0 AND "end" > start', name=op.f("ck_coding_span")),
        sa.ForeignKeyConstraint(["code_id"], ["code.id"], name=op.f("fk_coding_code_id_code")),
        sa.ForeignKeyConstraint(["coder_id"], ["coder.id"], name=op.f("fk_coding_coder_id_coder")),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_coding_document_id_document")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coding")),
        sa.UniqueConstraint(
            "document_id", "start", "end", "code_id", "coder_id", name="uq_coding_span"
        ),
        sa.UniqueConstraint("guid", name=op.f("uq_coding_guid")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_coding_code", "coding", ["code_id"], unique=False)
    op.create_table(
        "document_value",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("attribute_id", sa.Integer(), nullable=False),
        sa.Column("text_value", sa.Text(), nullable=True),
        sa.Column("number_value", sa.Float(), nullable=True),
        sa.Column("date_value", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["attribute_id"],
            ["attribute.id"],
            name=op.f("fk_document_value_attribute_id_attribute"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_document_value_document_id_document")
        ),
        sa.PrimaryKeyConstraint("document_id", "attribute_id", name=op.f("pk_document_value")),
    )
    op.create_table(
        "speaker",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("is_interviewer", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_speaker_document_id_document")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_speaker")),
        sa.UniqueConstraint("document_id", "label", name=op.f("uq_speaker_document_id")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "memo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("code_id", sa.Integer(), nullable=True),
        sa.Column("coding_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(CASE WHEN document_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN code_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN coding_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN case_id IS NULL THEN 0 ELSE 1 END) <= 1",
            name=op.f("ck_memo_one_target"),
        ),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_memo_case_id_case")),
        sa.ForeignKeyConstraint(["code_id"], ["code.id"], name=op.f("fk_memo_code_id_code")),
        sa.ForeignKeyConstraint(["coder_id"], ["coder.id"], name=op.f("fk_memo_coder_id_coder")),
        sa.ForeignKeyConstraint(
            ["coding_id"], ["coding.id"], name=op.f("fk_memo_coding_id_coding")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_memo_document_id_document")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memo")),
        sa.UniqueConstraint("guid", name=op.f("uq_memo_guid")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_memo_case_id"), "memo", ["case_id"], unique=False)
    op.create_index(op.f("ix_memo_code_id"), "memo", ["code_id"], unique=False)
    op.create_index(op.f("ix_memo_coding_id"), "memo", ["coding_id"], unique=False)
    op.create_index(op.f("ix_memo_document_id"), "memo", ["document_id"], unique=False)
    op.create_table(
        "turn",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=True),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("text_start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("timestamp_ms", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            'start >= 0 AND text_start >= start AND "end" >= text_start', name=op.f("ck_turn_span")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_turn_document_id_document")
        ),
        sa.ForeignKeyConstraint(
            ["speaker_id"], ["speaker.id"], name=op.f("fk_turn_speaker_id_speaker")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_turn")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_turn_document_start", "turn", ["document_id", "start"], unique=False)
    _create_triggers()


def downgrade() -> None:
    _drop_triggers()
    op.drop_index("ix_turn_document_start", table_name="turn")
    op.drop_table("turn")
    op.drop_index(op.f("ix_memo_document_id"), table_name="memo")
    op.drop_index(op.f("ix_memo_coding_id"), table_name="memo")
    op.drop_index(op.f("ix_memo_code_id"), table_name="memo")
    op.drop_index(op.f("ix_memo_case_id"), table_name="memo")
    op.drop_table("memo")
    op.drop_table("speaker")
    op.drop_table("document_value")
    op.drop_index("ix_coding_code", table_name="coding")
    op.drop_table("coding")
    op.drop_table("case_value")
    op.drop_index(op.f("ix_case_document_document_id"), table_name="case_document")
    op.drop_table("case_document")
    op.drop_table("project")
    op.drop_index(op.f("ix_document_sha256"), table_name="document")
    op.drop_table("document")
    op.drop_table("coder")
    op.drop_index("ix_code_parent_position", table_name="code")
    op.drop_table("code")
    op.drop_table("case")
    op.drop_table("attribute")
