"""Code sets (REFI-QDA CodeBook Sets, ATLAS.ti code groups) through the database, both back ends.

A codebook that passes through a project must keep its sets; merges add sets and members but
never remove them; code merges and deletes carry memberships along, and undo restores them.
"""

from dataclasses import replace
from pathlib import Path

from qda_app.domain.codebook import Codebook, CodebookCode, CodeSet
from qda_app.domain.ids import new_guid
from qda_app.formats.codebook_json import read_codebook_json
from qda_app.formats.refi_codebook import read_qdc
from qda_app.services import codes
from qda_app.services.code_sets import list_code_sets
from qda_app.services.code_tree_edits import merge_codes
from qda_app.services.codebooks import (
    export_codebook,
    import_codebook,
    merge_codebook,
    project_codebook,
)
from qda_app.services.project import Project, redo, undo
from tests.state import dump

# ATLAS.ti writes uppercase GUIDs and nests codes (version 23); its code groups become Sets.
BEDARFE = "A1B2C3D4-0000-4000-8000-000000000001"
WOHNEN = "A1B2C3D4-0000-4000-8000-000000000002"
GELD = "A1B2C3D4-0000-4000-8000-000000000003"
BEHOERDEN = "A1B2C3D4-0000-4000-8000-000000000004"
GRUPPE_AMT = "B1B2C3D4-0000-4000-8000-000000000001"
GRUPPE_GELD = "B1B2C3D4-0000-4000-8000-000000000002"

ATLAS_QDC = f"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="ATLAS.ti">
  <Codes>
    <Code guid="{BEDARFE}" name="Bedarfe" isCodable="false">
      <Code guid="{WOHNEN}" name="Wohnen" isCodable="true" color="#AA0000"/>
      <Code guid="{GELD}" name="Geld" isCodable="true" color="#00AA00"/>
    </Code>
    <Code guid="{BEHOERDEN}" name="Behörden" isCodable="true" color="#0000AA"/>
  </Codes>
  <Sets>
    <Set guid="{GRUPPE_AMT}" name="Handlungsfelder Verwaltung">
      <Description>Wo Ämter selbst etwas ändern können.</Description>
      <MemberCode guid="{BEHOERDEN}"/>
      <MemberCode guid="{WOHNEN}"/>
    </Set>
    <Set guid="{GRUPPE_GELD}" name="Geldfragen">
      <MemberCode guid="{GELD}"/>
    </Set>
  </Sets>
</CodeBook>
"""


def lower(guid: str) -> str:
    return guid.lower()


def import_atlas(project: Project, tmp_path: Path) -> Path:
    path = tmp_path / "atlas.qdc"
    path.write_text(ATLAS_QDC, encoding="utf-8")
    report = import_codebook(project, path)
    assert not [w for w in report.warnings if "set" in w]
    return path


def code_id(project: Project, guid: str) -> int:
    return next(code.id for code in codes.list_codes(project) if code.guid == lower(guid))


def memberships(project: Project) -> dict[str, tuple[str, ...]]:
    return {s.name: s.member_paths for s in list_code_sets(project)}


# --------------------------------------------------------------------------- import and export


def test_atlas_code_groups_survive_import_and_export(project, tmp_path):
    path = import_atlas(project, tmp_path)
    expected = read_qdc(path.read_bytes(), name="atlas").codebook.sets
    assert project_codebook(project).sets == expected
    assert expected == (
        CodeSet(
            lower(GRUPPE_AMT),
            "Handlungsfelder Verwaltung",
            "Wo Ämter selbst etwas ändern können.",
            (lower(BEHOERDEN), lower(WOHNEN)),  # the file's order, not the tree's
        ),
        CodeSet(lower(GRUPPE_GELD), "Geldfragen", "", (lower(GELD),)),
    )
    assert memberships(project) == {
        "Handlungsfelder Verwaltung": ("Behörden", "Bedarfe/Wohnen"),
        "Geldfragen": ("Bedarfe/Geld",),
    }
    qdc, json_file = tmp_path / "out.qdc", tmp_path / "out.json"
    export_codebook(project, qdc)
    export_codebook(project, json_file)
    assert read_qdc(qdc.read_bytes(), name="out").codebook.sets == expected
    assert read_codebook_json(json_file.read_bytes()).sets == expected


def test_undo_of_an_import_removes_its_sets_exactly(project, tmp_path):
    empty = dump(project)
    import_atlas(project, tmp_path)
    imported = dump(project)
    assert len(imported["code_set"]) == 2 and len(imported["code_set_member"]) == 3
    undo(project)
    assert dump(project) == empty
    redo(project)
    assert dump(project) == imported


# --------------------------------------------------------------------------- merge


def teammate_copy(base: Codebook) -> Codebook:
    """Their copy: a new code in the first group (which they spell differently and gave a new
    GUID), Wohnen re-created under a new GUID at the same path, a new group, the second group
    left out."""
    bedarfe = base.codes[0]
    wohnen_again = replace(bedarfe.children[0], guid=new_guid())
    neu = CodebookCode(new_guid(), "Kinderbetreuung")
    codes_ = (
        replace(bedarfe, children=(wohnen_again, *bedarfe.children[1:], neu)),
        *base.codes[1:],
    )
    first = base.sets[0]
    sets = (
        CodeSet(new_guid(), first.name.upper(), "", (wohnen_again.guid, neu.guid)),
        CodeSet(new_guid(), "Familie", "Neu", (neu.guid, lower(BEHOERDEN))),
    )
    return replace(base, codes=codes_, sets=sets)


def test_merge_adds_new_sets_and_members_and_removes_none(project, tmp_path):
    import_atlas(project, tmp_path)
    incoming = teammate_copy(project_codebook(project))
    before = dump(project)
    project.history.clear()

    dry = merge_codebook(project, incoming, dry_run=True)
    assert dump(project) == before and not dry.applied
    assert dry.lines[-2:] == (
        "set Handlungsfelder Verwaltung: 1 members added",
        "+ new set: Familie (2 members)",
    )

    report = merge_codebook(project, incoming)
    assert report.lines == dry.lines and report.sets == dry.sets
    assert memberships(project) == {
        "Handlungsfelder Verwaltung": ("Behörden", "Bedarfe/Wohnen", "Bedarfe/Kinderbetreuung"),
        "Geldfragen": ("Bedarfe/Geld",),  # not in their copy, kept
        "Familie": ("Bedarfe/Kinderbetreuung", "Behörden"),
    }
    stored = project_codebook(project).sets
    assert [s.guid for s in stored[:2]] == [lower(GRUPPE_AMT), lower(GRUPPE_GELD)]
    assert stored[2].guid == incoming.sets[1].guid
    merged = dump(project)

    again = merge_codebook(project, incoming)
    assert again.sets == () and dump(project) == merged

    undo(project)  # the second merge changed nothing and left no undo step
    assert dump(project) == before
    redo(project)
    assert dump(project) == merged


# --------------------------------------------------------------------------- code edits


def test_merging_codes_moves_memberships_without_duplicates(project, tmp_path):
    import_atlas(project, tmp_path)
    before = dump(project)
    project.history.clear()
    # Wohnen and Behörden share the first group; Geld is alone in the second.
    merge_codes(
        project, [code_id(project, WOHNEN), code_id(project, GELD)], code_id(project, BEHOERDEN)
    )
    assert memberships(project) == {
        "Handlungsfelder Verwaltung": ("Behörden",),
        "Geldfragen": ("Behörden",),
    }
    undo(project)
    assert dump(project) == before


def test_deleting_a_code_removes_its_memberships_and_undo_restores_them(project, tmp_path):
    import_atlas(project, tmp_path)
    before = dump(project)
    project.history.clear()
    codes.delete_code(project, code_id(project, BEDARFE))  # with Wohnen and Geld below it
    assert memberships(project) == {
        "Handlungsfelder Verwaltung": ("Behörden",),
        "Geldfragen": (),
    }
    assert project_codebook(project).sets[1].member_guids == ()
    undo(project)
    assert dump(project) == before
