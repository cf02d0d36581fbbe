"""Creating, refusing and migrating project stores (SQLite files and PostgreSQL databases)."""

import re
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import DBAPIError

from qda_app.domain.errors import (
    DamagedProjectError,
    InvalidInputError,
    NewerSchemaError,
    NotAProjectError,
    ProjectExistsError,
    QdaError,
)
from qda_app.services import codes, codings, documents
from qda_app.services.coders import use_coder
from qda_app.services.project import create_project, open_project, project_summary
from qda_app.store.models import Base
from qda_app.store.schema import create_store

DOMAIN_TABLES = {
    "project", "coder", "document", "speaker", "turn", "case", "case_document", "attribute",
    "case_value", "document_value", "code", "coding", "suggestion", "memo", "goal", "goal_code",
}  # fmt: skip
SCHEMA_1_TABLES = DOMAIN_TABLES - {"suggestion", "goal", "goal_code"}


def _tables(location: str) -> set[str]:
    engine = create_engine(_sa_url(location))
    try:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def _sa_url(location: str) -> str:
    return location if "://" in location else f"sqlite:///{location}"


def _folder_state(folder: Path) -> dict[str, bytes | None]:
    """Names and contents of everything in a folder (folders map to None)."""
    return {
        str(path.relative_to(folder)): None if path.is_dir() else path.read_bytes()
        for path in sorted(folder.rglob("*"))
    }


def _one_line(error: BaseException) -> str:
    message = str(error)
    assert message.strip(), "empty error message"
    assert "\n" not in message, f"message is not one line: {message!r}"
    return message


# --- a created project ------------------------------------------------------------------------


def test_created_project_has_schema_2_and_every_domain_table(location):
    with create_project(location, name="Familien", language="en") as project:
        summary = project_summary(project)
        assert summary.schema_version == 2
        assert project.revision == "0002"
        assert (summary.name, summary.language) == ("Familien", "en")
        assert summary.documents == summary.codes == summary.codings == summary.coders == 0
    tables = _tables(location)
    assert tables >= DOMAIN_TABLES
    assert tables == set(Base.metadata.tables) | {"alembic_version"}


def test_migrations_match_the_models(location):
    """Alembic's autogenerate comparison finds no difference between migrated schema and models."""
    create_project(location).close()
    engine = create_engine(_sa_url(location))
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_reopened_project_keeps_its_data(location):
    with create_project(location, name="Runde") as project:
        use_coder(project, "Ana")
        document = documents.add_document(project, "Interview 1", "Die Miete ist hoch.").value
    with open_project(location) as reopened:
        assert reopened.backup is None
        assert project_summary(reopened).name == "Runde"
        assert documents.document_text(reopened, document.id) == "Die Miete ist hoch."


def test_sqlite_project_uses_wal_and_foreign_keys(tmp_path):
    path = tmp_path / "p.qda"
    with create_project(str(path)) as project, project.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_create_refuses_unknown_language_and_writes_nothing(tmp_path):
    with pytest.raises(InvalidInputError):
        create_project(str(tmp_path / "p.qda"), language="fr")
    assert list(tmp_path.iterdir()) == []


# --- creating over something that exists ------------------------------------------------------


def test_create_refuses_existing_file(tmp_path):
    path = tmp_path / "notes.qda"
    path.write_text("meine Notizen\n", encoding="utf-8")
    before = _folder_state(tmp_path)
    with pytest.raises(ProjectExistsError) as info:
        create_project(str(path))
    _one_line(info.value)
    assert _folder_state(tmp_path) == before


def test_create_refuses_existing_project(location):
    create_project(location, name="Erstes").close()
    with pytest.raises(ProjectExistsError):
        create_project(location, name="Zweites")
    with open_project(location) as project:
        assert project_summary(project).name == "Erstes"


def test_create_refuses_missing_folder(tmp_path):
    with pytest.raises(NotAProjectError):
        create_project(str(tmp_path / "nowhere" / "p.qda"))
    assert list(tmp_path.iterdir()) == []


# --- opening what is not a (usable) project: SQLite -------------------------------------------


def _project_with_data(path: Path) -> None:
    with create_project(str(path)) as project:
        use_coder(project, "Ana")
        code = codes.add_code(project, "Wohnen").value
        for number in range(40):
            text_ = f"Interview {number}: " + "Die Miete ist hoch. " * 40
            document = documents.add_document(project, f"Interview {number}", text_).value
            codings.add_coding(project, document.id, code.id, 0, 10)
    assert not Path(f"{path}-wal").exists(), "closing a project should checkpoint its WAL"


def _make_text(path: Path) -> None:
    path.write_text("Das ist kein Projekt.\n", encoding="utf-8")


def _make_empty(path: Path) -> None:
    path.write_bytes(b"")


def _make_folder(path: Path) -> None:
    path.mkdir()
    (path / "inside.txt").write_text("x")


def _make_missing(path: Path) -> None:
    pass


def _make_foreign_sqlite(path: Path) -> None:
    """A database of another program, in SQLite's default rollback-journal mode."""
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    connection.execute("INSERT INTO contacts VALUES ('Ana', '0123')")
    connection.commit()
    connection.close()


def _make_foreign_wal_sqlite(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    connection.execute("INSERT INTO contacts VALUES ('Ana', '0123')")
    connection.commit()
    connection.close()


def _make_truncated(path: Path) -> None:
    _project_with_data(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _make_corrupted_page(path: Path) -> None:
    _project_with_data(path)
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    (root,) = connection.execute(
        "SELECT rootpage FROM sqlite_master WHERE type='table' AND name='document'"
    ).fetchone()
    connection.close()
    data = bytearray(path.read_bytes())
    offset = (root - 1) * page_size
    data[offset : offset + page_size] = b"\xa5" * page_size
    path.write_bytes(bytes(data))


def _make_newer(path: Path) -> None:
    create_project(str(path)).close()
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '0099'")
    connection.commit()
    connection.close()


def _make_unversioned(path: Path) -> None:
    create_project(str(path)).close()
    connection = sqlite3.connect(path)
    connection.execute("DELETE FROM alembic_version")
    connection.commit()
    connection.close()


NOT_OPENABLE = [
    ("text file", _make_text, NotAProjectError),
    ("empty file", _make_empty, NotAProjectError),
    ("folder", _make_folder, NotAProjectError),
    ("missing path", _make_missing, NotAProjectError),
    ("foreign WAL database", _make_foreign_wal_sqlite, NotAProjectError),
    ("truncated project", _make_truncated, DamagedProjectError),
    ("corrupted page", _make_corrupted_page, DamagedProjectError),
    ("newer schema", _make_newer, NewerSchemaError),
    ("no schema version", _make_unversioned, NotAProjectError),
]


@pytest.mark.parametrize(
    ("make", "expected"), [case[1:] for case in NOT_OPENABLE], ids=[c[0] for c in NOT_OPENABLE]
)
def test_open_refuses_and_changes_nothing(tmp_path, make, expected):
    folder = tmp_path / "files"
    folder.mkdir()
    path = folder / "target.qda"
    make(path)
    before = _folder_state(folder)
    with pytest.raises(expected) as info:
        open_project(str(path))
    _one_line(info.value)
    assert _folder_state(folder) == before  # byte-identical, and no -wal/-shm side files


def test_open_refuses_foreign_rollback_journal_database_and_changes_nothing(tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    path = folder / "contacts.db"
    _make_foreign_sqlite(path)
    before = _folder_state(folder)
    with pytest.raises(NotAProjectError) as info:
        open_project(str(path))
    _one_line(info.value)
    assert _folder_state(folder) == before


def test_refusal_is_a_qda_error_with_the_path(tmp_path):
    path = tmp_path / "notes.qda"
    _make_text(path)
    with pytest.raises(QdaError, match=re.escape(str(path))):
        open_project(str(path))


# --- opening what is not a project: PostgreSQL ------------------------------------------------


def _pg_execute(url: str, *statements: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        engine.dispose()


def test_pg_open_refuses_empty_database(pg_database):
    with pytest.raises(NotAProjectError) as info:
        open_project(pg_database)
    _one_line(info.value)
    assert _tables(pg_database) == set()


def test_pg_open_refuses_foreign_database_and_changes_nothing(pg_database):
    _pg_execute(
        pg_database,
        "CREATE TABLE contacts (name TEXT, phone TEXT)",
        "INSERT INTO contacts VALUES ('Ana', '0123')",
    )
    with pytest.raises(NotAProjectError) as info:
        open_project(pg_database)
    _one_line(info.value)
    assert _tables(pg_database) == {"contacts"}


def test_pg_open_refuses_newer_schema(pg_database):
    create_project(pg_database).close()
    _pg_execute(pg_database, "UPDATE alembic_version SET version_num = '0099'")
    with pytest.raises(NewerSchemaError) as info:
        open_project(pg_database)
    _one_line(info.value)
    engine = create_engine(pg_database)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).all() == [
            ("0099",)
        ]
    engine.dispose()


def test_pg_open_refuses_missing_database(pg_database):
    missing = pg_database.rsplit("/", 1)[0] + "/qda_no_such_database"
    with pytest.raises(NotAProjectError) as info:
        open_project(missing)
    _one_line(info.value)


# --- migration from schema 1 ------------------------------------------------------------------


def _make_schema1_project(location: str) -> None:
    """What create_project wrote in schema 1: the tables of 0001 and the project row; plus data."""
    engine = create_store(location, target="0001")
    created = datetime(2024, 5, 1, 12, 0, 0)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO project (id, guid, name, language, created_at)"
                " VALUES (1, 'a5f1c7f0-0000-4000-8000-000000000001', 'Alt', 'de', :created)"
            ),
            {"created": created},
        )
        connection.execute(
            text(
                "INSERT INTO document (guid, name, text, text_length, sha256, imported_at)"
                " VALUES ('a5f1c7f0-0000-4000-8000-000000000002', 'Interview', 'Miete hoch',"
                " 10, 'x', :created)"
            ),
            {"created": created},
        )
    engine.dispose()


def test_schema1_fixture_really_is_schema_1(location):
    _make_schema1_project(location)
    assert _tables(location) == SCHEMA_1_TABLES | {"alembic_version"}


def test_open_migrates_schema1_project(location):
    _make_schema1_project(location)
    with open_project(location) as project:
        summary = project_summary(project)
        assert summary.schema_version == 2
        assert (summary.name, summary.documents) == ("Alt", 1)
        assert [d.name for d in documents.list_documents(project)] == ["Interview"]
        # the migrated project is fully usable, including the planning tables of schema 2
        use_coder(project, "Ana")
        code = codes.add_code(project, "Wohnen").value
        document = documents.find_document(project, "Interview")
        assert document is not None
        codings.add_coding(project, document.id, code.id, 0, 5)
        with project.engine.begin() as connection:
            connection.execute(
                text("INSERT INTO goal (guid, title, description, level, indicators,"
                     " responsible, position, created_at) VALUES ('g', 'Ziel', '', 4, '', '', 0,"
                     " CURRENT_TIMESTAMP)")
            )  # fmt: skip
    assert _tables(location) == set(Base.metadata.tables) | {"alembic_version"}
    with open_project(location) as again:
        assert again.backup is None, "an up-to-date project must not be backed up again"


def test_sqlite_migration_writes_a_schema1_backup(tmp_path):
    path = tmp_path / "alt.qda"
    _make_schema1_project(str(path))
    original = path.read_bytes()
    with open_project(str(path)) as project:
        backup = project.backup
    assert backup is not None
    assert backup.parent == tmp_path
    assert re.fullmatch(r"alt\.qda\.schema1-\d{8}-\d{6}\.bak", backup.name), backup.name
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["alt.qda", backup.name])
    assert path.read_bytes() != original
    # the backup is an intact schema-1 project holding the data
    reader = sqlite3.connect(f"{backup.as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        assert reader.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert reader.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        assert reader.execute("SELECT name FROM project").fetchall() == [("Alt",)]
        assert reader.execute("SELECT name FROM document").fetchall() == [("Interview",)]
        tables = {row[0] for row in reader.execute("SELECT name FROM sqlite_master")}
        assert "goal" not in tables
    finally:
        reader.close()
    # ... and QDA App can open it (migrating that copy in turn)
    with open_project(str(backup)) as restored:
        assert project_summary(restored).documents == 1


def test_pg_migration_has_no_backup_file(pg_database, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _make_schema1_project(pg_database)
    with open_project(pg_database) as project:
        assert project.backup is None
        assert project.revision == "0002"
    assert list(tmp_path.iterdir()) == []


def test_migrated_project_keeps_the_coding_trigger(location):
    _make_schema1_project(location)
    open_project(location).close()
    engine = create_engine(_sa_url(location))
    try:
        with engine.connect() as connection, connection.begin():
            connection.execute(
                text("INSERT INTO coder (guid, name, created_at) VALUES ('c', 'C', :t)"),
                {"t": datetime(2024, 1, 1)},
            )
            connection.execute(
                text(
                    "INSERT INTO code (guid, name, color, description, inclusion, exclusion,"
                    " anchors, keywords, position, codable, created_at) VALUES"
                    " ('k', 'K', '#000000', '', '', '', '[]', '[]', 0, TRUE, :t)"
                ),
                {"t": datetime(2024, 1, 1)},
            )
        with (
            pytest.raises(DBAPIError, match="coding outside its document"),
            engine.begin() as connection,
        ):
            connection.execute(
                text(
                    'INSERT INTO coding (guid, document_id, code_id, coder_id, start, "end",'
                    " origin, created_at) SELECT 'g', d.id, k.id, c.id, 0, 11, 'manual', :t"
                    " FROM document d, code k, coder c"
                ),
                {"t": datetime(2024, 1, 1)},
            )
    finally:
        engine.dispose()
