"""`qda codebook ...` as a user runs it, on SQLite and PostgreSQL: exit codes, output, JSON keys."""

import json
from dataclasses import replace
from pathlib import Path

from qda_app.domain.codebook import CodebookCode
from qda_app.domain.ids import new_guid
from qda_app.formats.codebook_json import read_codebook_json, write_codebook_json
from qda_app.services import codes, codings, documents
from qda_app.services.codebooks import project_codebook
from qda_app.services.coders import use_coder
from qda_app.services.project import open_project
from tests.cli_run import run
from tests.state import dump

SHIPPED = Path(__file__).resolve().parent.parent / "codebooks"
GERMAN = SHIPPED / "familien-lebenslagen.de.json"


def test_import_then_list_json_describes_the_tree(capsys, location):
    run(capsys, "init", location)
    code, out, _ = run(capsys, "codebook", "import", location, str(GERMAN))
    assert code == 0
    shipped = read_codebook_json(GERMAN.read_bytes())
    assert "warning:" not in out and f"+ new set: {shipped.sets[0].name}" in out
    assert f"{shipped.code_count} of {shipped.code_count} codes added" in out
    code, out, _ = run(capsys, "codebook", "list", location, "--json")
    assert code == 0
    rows = json.loads(out)
    entries = list(shipped.walk())
    assert [row["guid"] for row in rows] == [entry.code.guid for entry in entries]
    assert [row["path"] for row in rows] == [entry.path for entry in entries]
    assert [row["parent"] for row in rows] == [entry.parent_guid for entry in entries]
    for row, entry in zip(rows, entries, strict=True):
        assert row["color"] == entry.code.color and row["codable"] == entry.code.codable
        assert row["keywords"] == list(entry.code.keywords)
    code, out, _ = run(capsys, "codebook", "list", location)
    assert code == 0 and f"{shipped.code_count} codes" in out
    assert entries[1].path in out


def test_export_writes_both_formats(capsys, location, tmp_path):
    run(capsys, "init", location)
    run(capsys, "codebook", "import", location, str(GERMAN))
    for suffix in (".qdc", ".json"):
        target = tmp_path / f"out{suffix}"
        code, out, _ = run(capsys, "codebook", "export", location, str(target))
        assert code == 0 and str(target) in out and target.stat().st_size > 0
    code, _, err = run(capsys, "codebook", "export", location, str(tmp_path / "out.txt"))
    assert code == 1 and err.startswith("qda: error:")


def test_merge_dry_run_then_merge_prints_the_plan(capsys, location, tmp_path):
    run(capsys, "init", location)
    run(capsys, "codebook", "import", location, str(GERMAN))
    with open_project(location) as project:
        base = project_codebook(project)
    first = base.codes[0]
    changed = replace(first.children[0], description="Neu definiert")
    added = CodebookCode(new_guid(), "Neues Thema")
    incoming = replace(
        base,
        codes=(replace(first, children=(changed, *first.children[1:])), *base.codes[1:], added),
    )
    path = tmp_path / "team.json"
    path.write_bytes(write_codebook_json(incoming))
    with open_project(location) as project:
        before = dump(project)

    code, out, _ = run(capsys, "codebook", "merge", location, str(path), "--dry-run")
    assert code == 0
    assert "+ new: Neues Thema" in out and "! conflict (definition changed)" in out
    assert "Dry run: nothing was changed" in out
    with open_project(location) as project:
        assert dump(project) == before

    code, out, _ = run(capsys, "codebook", "merge", location, str(path))
    assert code == 0 and "1 conflicts were left" in out
    code, out, _ = run(capsys, "codebook", "merge", location, str(path), "--prefer", "incoming")
    assert code == 0
    assert f"* definition updated: {first.name}/{changed.name} (description)" in out
    with open_project(location) as project:
        stored = project_codebook(project)
    assert stored.find(changed.guid).description == "Neu definiert"
    assert stored.find(added.guid) is not None


def test_usage_errors_exit_with_2(capsys, location):
    code, _, _ = run(capsys, "codebook", "merge", location, "x.qdc", "--prefer", "theirs")
    assert code == 2
    code, _, _ = run(capsys, "codebook")
    assert code == 2


def test_codes_search_merge_and_confirmed_delete_by_path(capsys, location):
    run(capsys, "init", location)
    with open_project(location) as project:
        use_coder(project, "Tester")
        document = documents.add_document(project, "Familie", "Die Miete ist hoch.").value
        bedarfe = codes.add_code(project, "Bedarfe").value
        wohnen = codes.add_code(project, "Wohnen", parent_id=bedarfe.id).value
        miete = codes.add_code(project, "Miete").value
        for code_id in (wohnen.id, miete.id):
            codings.add_coding(project, document.id, code_id, 4, 9)
    code, out, _ = run(capsys, "codes", location, "--search", "WOHN")
    assert code == 0 and "Bedarfe/Wohnen" in out and "1 codes" in out
    code, _, err = run(capsys, "codes", location, "--merge", "miete", "--into", "Bedarfe/Nix")
    assert code == 1 and "no code 'Bedarfe/Nix'" in err
    code, out, _ = run(capsys, "codes", location, "--merge", "miete", "--into", "bedarfe/wohnen")
    assert code == 0 and "0 codings moved, 1 duplicates folded" in out
    code, _, err = run(capsys, "codes", location, "--delete", "Bedarfe")
    assert code == 1 and "1 subcodes, 1 codings" in err and "--yes" in err
    code, out, _ = run(capsys, "codes", location, "--delete", "Bedarfe", "--yes")
    assert code == 0
    with open_project(location) as project:
        assert codes.list_codes(project) == [] and codings.list_codings(project) == []
    code, _, _ = run(capsys, "codes", location, "--merge", "A")
    assert code == 2


def test_an_ambiguous_path_is_refused_and_a_guid_picks_the_code(capsys, location):
    run(capsys, "init", location)
    with open_project(location) as project:
        arbeit = codes.add_code(project, "Arbeit").value
        nested = codes.add_code(project, "Beruf", parent_id=arbeit.id).value
        flat = codes.add_code(project, "Arbeit/Beruf").value  # MAXQDA allows "/" in names
        codes.add_code(project, "Ziel")
    for args in (
        ["--delete", "arbeit/beruf", "--yes"],
        ["--merge", "Arbeit/Beruf", "--into", "Ziel"],
    ):
        code, out, err = run(capsys, "codes", location, *args)
        assert code == 1 and out == ""
        assert f"ambiguous path {args[1]!r}: 2 codes;" in err and "GUID" in err
    with open_project(location) as project:
        assert len(codes.list_codes(project)) == 4
    code, out, _ = run(capsys, "codes", location, "--delete", flat.guid)
    assert code == 0 and "Deleted Arbeit/Beruf" in out
    with open_project(location) as project:
        assert {c.id for c in codes.list_codes(project)} >= {arbeit.id, nested.id}
        assert flat.id not in {c.id for c in codes.list_codes(project)}


def test_codes_search_json_has_the_documented_keys(capsys, location):
    run(capsys, "init", location)
    run(capsys, "codebook", "import", location, str(GERMAN))
    code, out, _ = run(capsys, "codes", location, "--search", "wohn", "--json")
    assert code == 0
    hits = json.loads(out)
    assert hits and all(set(hit) == {"path", "name", "guid", "found_in"} for hit in hits)
    assert all("wohn" in hit["name"].casefold() and hit["found_in"] == "name" for hit in hits)
    assert all(hit["path"].endswith(hit["name"]) for hit in hits)
    code, _, err = run(capsys, "codes", location, "--delete", "X", "--json")
    assert code == 2 and "--json goes with --search" in err


def test_merge_json_reports_counts_and_conflicts_as_objects(capsys, location, tmp_path):
    run(capsys, "init", location)
    run(capsys, "codebook", "import", location, str(GERMAN))
    with open_project(location) as project:
        base = project_codebook(project)
    first = base.codes[0]
    changed = replace(first, description="Neu definiert")
    path = tmp_path / "team.json"
    path.write_bytes(
        write_codebook_json(
            replace(base, codes=(changed, *base.codes[1:], CodebookCode(new_guid(), "Neu")))
        )
    )
    code, out, _ = run(capsys, "codebook", "merge", location, str(path), "--dry-run", "--json")
    assert code == 0
    report = json.loads(out)
    assert set(report) == {"applied", "lines", "warnings", "counts", "conflicts"}
    assert report["applied"] is False and "+ new: Neu" in report["lines"]
    assert set(report["counts"]) == {
        "added", "renamed", "moved", "updated", "kept", "unchanged", "only_here", "conflicts",
    }  # fmt: skip
    assert report["counts"]["added"] == 1 and report["counts"]["conflicts"] == 1
    [conflict] = report["conflicts"]
    assert set(conflict) == {
        "kind", "path", "message", "incoming_guid", "current_guid", "changes",
    }  # fmt: skip
    assert conflict["kind"] == "definition changed" and conflict["current_guid"] == first.guid
    assert conflict["changes"] == [
        {"field": "description", "current": first.description, "incoming": "Neu definiert"}
    ]
    code, out, _ = run(capsys, "codebook", "merge", location, str(path), "--json")
    assert code == 0 and json.loads(out)["applied"] is True


def test_sets_lists_code_sets_with_member_paths(capsys, location):
    run(capsys, "init", location)
    code, out, _ = run(capsys, "codebook", "sets", location)
    assert code == 0 and out.strip() == "0 sets"
    run(capsys, "codebook", "import", location, str(GERMAN))
    shipped = read_codebook_json(GERMAN.read_bytes())
    [code_set] = shipped.sets
    paths = {entry.code.guid: entry.path for entry in shipped.walk()}
    code, out, _ = run(capsys, "codebook", "sets", location)
    assert code == 0
    assert f"{code_set.name} ({len(code_set.member_guids)} codes)" in out and "1 sets" in out
    assert all(f"  {paths[guid]}\n" in out for guid in code_set.member_guids)
    code, out, _ = run(capsys, "codebook", "sets", location, "--json")
    assert code == 0
    assert json.loads(out) == [
        {
            "guid": code_set.guid,
            "name": code_set.name,
            "description": code_set.description,
            "members": [{"guid": g, "path": paths[g]} for g in code_set.member_guids],
        }
    ]
