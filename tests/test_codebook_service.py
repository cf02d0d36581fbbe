"""Codebooks through the database on SQLite and PostgreSQL: export, import, team merges."""

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from uuid import uuid4

import pytest
import xmlschema
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from qda_app.domain.codebook import Codebook, CodebookCode
from qda_app.domain.errors import InvalidInputError
from qda_app.domain.ids import new_guid
from qda_app.formats.codebook_json import read_codebook_json, write_codebook_json
from qda_app.formats.refi_codebook import read_qdc, schema_path
from qda_app.services import codes, codings, documents
from qda_app.services.codebook_merge_plan import (
    ConflictKind,
    apply_plan,
    describe_plan,
    plan_merge,
)
from qda_app.services.codebooks import (
    ORIGIN,
    export_codebook,
    import_codebook,
    merge_codebook,
    project_codebook,
)
from qda_app.services.project import Project, create_project, redo, undo
from tests.state import dump

SHIPPED = Path(__file__).resolve().parent.parent / "codebooks"
SHIPPED_FILES = sorted(p.name for p in SHIPPED.glob("*") if p.suffix in (".qdc", ".json"))


@pytest.fixture
def new_project(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[[str], Project]]:
    """More empty projects on the test's backend (a round trip needs a second one)."""
    made: list[Project] = []
    databases: list[str] = []
    admin_url = request.getfixturevalue("pg_admin_url") if backend == "postgresql" else None
    if backend == "postgresql" and admin_url is None:
        pytest.skip("no PostgreSQL server")

    def make(language: str = "de") -> Project:
        if admin_url is None:
            location = str(tmp_path / f"extra{len(made)}.qda")
        else:
            name = f"qda_test_{uuid4().hex[:12]}"
            admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
            databases.append(name)
            location = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        made.append(create_project(location, name="Test", language=language))
        return made[-1]

    yield make
    for project in made:
        project.close()
    if admin_url is not None and databases:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            for name in databases:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def read_shipped(name: str) -> Codebook:
    data = (SHIPPED / name).read_bytes()
    if name.endswith(".json"):
        return read_codebook_json(data)
    return read_qdc(data, name=Path(name).stem).codebook


def as_stored(codebook: Codebook, project: Project) -> Codebook:
    """What a project keeps of a codebook: everything, codes and sets; only name, origin and
    language are the project's own."""
    stored = project_codebook(project)
    return replace(codebook, name=stored.name, origin=ORIGIN, language=stored.language)


def assert_valid_qdc(path: Path) -> None:
    errors = list(xmlschema.XMLSchema10(schema_path("Codebook.xsd")).iter_errors(str(path)))
    assert errors == []


# --------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("shipped", SHIPPED_FILES)
def test_shipped_codebook_round_trips_through_the_database(new_project, tmp_path, shipped):
    original = read_shipped(shipped)
    first, second = new_project(original.language), new_project(original.language)
    report = import_codebook(first, SHIPPED / shipped)
    assert report.created == report.codes_in_file == original.code_count
    assert report.merge.conflicts == 0 and report.warnings == ()
    assert len(original.sets) == 1 and [s.new for s in report.merge.sets] == [True]
    assert project_codebook(first) == as_stored(original, first)

    suffix = Path(shipped).suffix
    exported = tmp_path / f"first{suffix}"
    export_codebook(first, exported)
    import_codebook(second, exported)
    again = tmp_path / f"second{suffix}"
    export_codebook(second, again)
    assert again.read_bytes() == exported.read_bytes()
    assert project_codebook(second).sets == original.sets
    if suffix == ".qdc":
        assert_valid_qdc(exported)


def test_export_of_hand_made_codes_is_valid_and_loses_nothing(project, new_project, tmp_path):
    folder = codes.add_code(project, "Zugang & <Hürden>", codable=False, color="#AABBCC").value
    child = codes.add_code(project, 'Ämter "vor Ort"', parent_id=folder.id).value
    codes.describe_code(
        project,
        child.id,
        description="Erfahrungen mit Behörden.\nZweite Zeile.",
        inclusion="Termine, Wartezeiten",
        exclusion="Geld (→ Bedarfe/Geld)",
        anchors=["„Da wartet man ewig.“ (F02)"],
        keywords=["Amt", "Termin"],
    )
    codes.add_code(project, "Sonstiges")
    for suffix in (".qdc", ".json"):
        path = tmp_path / f"hand{suffix}"
        export_codebook(project, path)
        if suffix == ".qdc":
            assert_valid_qdc(path)
        other = new_project("de")
        import_codebook(other, path)
        assert project_codebook(other) == project_codebook(project)


def test_export_refuses_unknown_suffix_and_empty_project(project, tmp_path):
    with pytest.raises(InvalidInputError, match="no codes"):
        export_codebook(project, tmp_path / "empty.qdc")
    codes.add_code(project, "A")
    with pytest.raises(InvalidInputError, match=r"\.qdc or \.json"):
        export_codebook(project, tmp_path / "codes.xml")
    assert not (tmp_path / "empty.qdc").exists() and not (tmp_path / "codes.xml").exists()


def test_import_is_one_undo_step_and_reports_file_problems(project, tmp_path):
    empty = dump(project)
    import_codebook(project, SHIPPED / SHIPPED_FILES[0])
    imported = dump(project)
    undo(project)
    assert dump(project) == empty
    redo(project)
    assert dump(project) == imported
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="not JSON"):
        import_codebook(project, broken)
    with pytest.raises(InvalidInputError, match="cannot read"):
        import_codebook(project, tmp_path / "missing.qdc")
    assert dump(project) == imported


def test_duplicate_sibling_names_in_a_file_are_kept_under_new_names(project, tmp_path):
    twins = Codebook(
        "Zwillinge",
        codes=(CodebookCode(new_guid(), "Wohnen"), CodebookCode(new_guid(), "wohnen")),
    )
    path = tmp_path / "twins.json"
    path.write_bytes(write_codebook_json(twins))
    report = import_codebook(project, path)
    assert [c.kind for c in report.merge.plan.conflicts] == [ConflictKind.COLLISION]
    stored = project_codebook(project)
    assert {c.guid for c in stored.codes} == {c.guid for c in twins.codes}
    assert len({c.name.casefold() for c in stored.codes}) == 2


# --------------------------------------------------------------------------- merge


def diverge(base: Codebook) -> Codebook:
    """A teammate's copy: a rename, a move, two new codes, a changed definition, a removed code,
    and a code re-created under a new GUID at the same path; sets as in `base` (without the
    removed code, which a set may not name)."""
    top = list(base.codes)
    first, second = top[0], top[1]
    kids = list(first.children)
    renamed = replace(kids[0], name=kids[0].name + " (neu)")
    moved = kids[1]
    changed = replace(kids[2], description="Ganz andere Definition", keywords=("neu",))
    same_path = replace(kids[3], guid=new_guid())
    new_child = CodebookCode(new_guid(), "Neue Unterkategorie", color="#123456")
    new_top = CodebookCode(new_guid(), "Neues Thema", children=(new_child,))
    first = replace(first, children=(renamed, changed, same_path, *kids[5:]))  # kids[4] gone
    second = replace(second, children=(*second.children, moved))
    sets = tuple(
        replace(s, member_guids=tuple(g for g in s.member_guids if g != kids[4].guid))
        for s in base.sets
    )
    return replace(base, name="Teamkopie", codes=(first, second, *top[2:], new_top), sets=sets)


@pytest.mark.parametrize("prefer", ["ask", "incoming", "current"])
def test_merge_of_diverged_codebooks_matches_the_pure_plan(project, tmp_path, prefer):
    import_codebook(project, SHIPPED / "familien-lebenslagen.de.json")
    base = project_codebook(project)
    incoming = diverge(base)
    path = tmp_path / "team.json"
    path.write_bytes(write_codebook_json(incoming))
    document = documents.add_document(project, "Familie", "Die Miete ist zu hoch.").value
    coded = {entry.code.guid for entry in base.walk() if entry.code.codable}
    code_ids = {c.guid: c.id for c in codes.list_codes(project) if c.guid in coded}
    for code_id in code_ids.values():
        codings.add_coding(project, document.id, code_id, 4, 9)
    codings_before = codings.list_codings(project)
    before = dump(project)
    project.history.clear()

    dry = merge_codebook(project, path, prefer=prefer, dry_run=True)
    assert dump(project) == before and not dry.applied
    expected_plan = plan_merge(base, incoming, prefer)
    assert dry.plan == expected_plan and dry.sets == ()  # every incoming member is there
    assert list(dry.lines) == describe_plan(expected_plan)

    report = merge_codebook(project, path, prefer=prefer)
    assert report.applied and report.lines == dry.lines
    assert project_codebook(project) == apply_plan(base, expected_plan)
    plan = report.plan
    assert len(plan.renamed) == 1 and len(plan.moved) == 1 and len(plan.added) == 2
    assert len(plan.only_here) == 1  # the code the teammate dropped is kept
    changed_guid = base.codes[0].children[2].guid
    stored_change = project_codebook(project).find(changed_guid)
    if prefer == "incoming":
        assert stored_change.description == "Ganz andere Definition"
    else:
        assert stored_change == base.find(changed_guid)
        assert (len(plan.conflicts) if prefer == "ask" else len(plan.kept)) == 1
    stored_guids = {entry.code.guid for entry in project_codebook(project).walk()}
    assert {entry.code.guid for entry in base.walk()} <= stored_guids  # nothing lost
    assert codings.list_codings(project) == codings_before

    undo(project)
    assert dump(project) == before


def test_merge_from_a_codebook_object_and_a_rerun_changes_nothing(project):
    import_codebook(project, SHIPPED / "family-circumstances.en.qdc")
    incoming = diverge(project_codebook(project))
    merge_codebook(project, incoming, prefer="incoming")
    after = dump(project)
    again = merge_codebook(project, incoming, prefer="incoming")
    assert again.plan.operations == () and again.conflicts == 0
    assert dump(project) == after


def test_import_into_a_project_with_codes_merges(project, tmp_path):
    import_codebook(project, SHIPPED / "familien-lebenslagen.de.qdc")
    own = codes.add_code(project, "Eigene Kategorie").value
    report = import_codebook(project, SHIPPED / "familien-lebenslagen.de.json")
    assert report.created == 0 and report.merge.plan.only_here == (own.name,)
    with pytest.raises(InvalidInputError, match="prefer"):
        merge_codebook(project, project_codebook(project), prefer="theirs")  # type: ignore[arg-type]
