"""The code tree: add, rename, recolour, describe, move, delete, listing in tree order."""

import pytest

from qda_app.domain.errors import InvalidInputError, NotFoundError
from qda_app.services import codes, codings, documents
from qda_app.services.codes import PALETTE
from tests.state import count, dump, raw_memo


def _tree(project):
    """(path, position) in tree order: what a code tree widget shows."""
    listed = codes.list_codes(project)
    paths = codes.code_paths(listed)
    return [(paths[c.id], c.position) for c in listed]


def _add(project, name, parent=None, **kwargs):
    return codes.add_code(project, name, parent.id if parent else None, **kwargs).value


def test_add_code_with_automatic_distinct_colours(project):
    first = _add(project, "Wohnen")
    second = _add(project, "Arbeit")
    third = _add(project, "Kita", first)
    assert {first.color, second.color, third.color} <= set(PALETTE)
    assert len({first.color, second.color, third.color}) == 3
    assert (first.position, second.position, third.position) == (0, 1, 0)
    assert third.parent_id == first.id and third.codable
    chosen = _add(project, "Schule", color=" #A1B2C3 ")
    assert chosen.color == "#a1b2c3"


def test_add_under_missing_parent_refused(project):
    with pytest.raises(NotFoundError):
        codes.add_code(project, "Kind", 9999)
    assert count(project, "code") == 0


def test_sibling_names_unique_case_insensitively(project):
    wohnen = _add(project, "Wohnen")
    with pytest.raises(InvalidInputError):
        _add(project, "WOHNEN")
    with pytest.raises(InvalidInputError):
        _add(project, " wohnen ")
    _add(project, "Wohnen", wohnen)  # same name at another place is fine
    arbeit = _add(project, "Arbeit")
    _add(project, "wohnen", arbeit)
    assert count(project, "code") == 4


def test_sibling_names_unique_case_insensitively_with_umlauts(project):
    _add(project, "Ärger mit dem Amt")
    with pytest.raises(InvalidInputError):
        _add(project, "ärger mit dem amt")


def test_rename(project):
    wohnen = _add(project, "Wohnen")
    arbeit = _add(project, "Arbeit")
    renamed = codes.rename_code(project, wohnen.id, "Wohnungsnot").value
    assert (renamed.id, renamed.name, renamed.guid) == (wohnen.id, "Wohnungsnot", wohnen.guid)
    with pytest.raises(InvalidInputError):
        codes.rename_code(project, arbeit.id, "wohnungsnot")
    codes.rename_code(project, arbeit.id, "ARBEIT")  # its own name in other case: fine
    assert [path for path, _ in _tree(project)] == ["Wohnungsnot", "ARBEIT"]
    with pytest.raises(InvalidInputError):
        codes.rename_code(project, arbeit.id, "  ")


def test_recolour(project):
    code = _add(project, "Wohnen")
    assert codes.recolour_code(project, code.id, "#FF0000").value.color == "#ff0000"
    before = dump(project)
    for bad in ("red", "#ff00", "#gg0000", "ff0000", "#ff00001"):
        with pytest.raises(InvalidInputError):
            codes.recolour_code(project, code.id, bad)
    assert dump(project) == before


def test_describe_sets_only_given_fields(project):
    code = _add(project, "Wohnen", description="alt")
    described = codes.describe_code(
        project,
        code.id,
        inclusion="Miete, Wohnungssuche",
        exclusion="Obdachlosigkeit",
        anchors=["„Die Miete frisst alles auf.“", "  ", "Wir suchen seit 2 Jahren."],
        keywords=["Miete", "", "Wohnung"],
    ).value
    assert described.description == "alt"
    assert described.inclusion == "Miete, Wohnungssuche"
    assert described.exclusion == "Obdachlosigkeit"
    assert described.anchors == ("„Die Miete frisst alles auf.“", "Wir suchen seit 2 Jahren.")
    assert described.keywords == ("Miete", "Wohnung")
    codes.describe_code(project, code.id, description="neu", codable=False)
    (stored,) = codes.list_codes(project)
    assert stored == described.__class__(**{
        **described.__dict__, "description": "neu", "codable": False
    })  # fmt: skip


def test_move_renumbers_positions(project):
    a, b, c = (_add(project, name) for name in "ABC")
    x = _add(project, "X", a)
    codes.move_code(project, c.id, None, 0)
    assert _tree(project) == [("C", 0), ("A", 1), ("A/X", 0), ("B", 2)]
    codes.move_code(project, b.id, a.id, 0)
    assert _tree(project) == [("C", 0), ("A", 1), ("A/B", 0), ("A/X", 1)]
    codes.move_code(project, x.id, None)  # no position: at the end
    assert _tree(project) == [("C", 0), ("A", 1), ("A/B", 0), ("X", 2)]
    codes.move_code(project, a.id, None, 99)  # clamped
    assert _tree(project) == [("C", 0), ("X", 1), ("A", 2), ("A/B", 0)]
    codes.move_code(project, a.id, None, -5)
    assert _tree(project) == [("A", 0), ("A/B", 0), ("C", 1), ("X", 2)]


def test_move_keeps_subtree(project):
    a = _add(project, "A")
    b = _add(project, "B", a)
    _add(project, "C", b)
    z = _add(project, "Z")
    codes.move_code(project, b.id, z.id)
    assert [path for path, _ in _tree(project)] == ["A", "Z", "Z/B", "Z/B/C"]


def test_move_under_own_descendant_refused(project):
    a = _add(project, "A")
    b = _add(project, "B", a)
    c = _add(project, "C", b)
    before = dump(project)
    for target in (a, b, c):
        with pytest.raises(InvalidInputError):
            codes.move_code(project, a.id, target.id)
    assert dump(project) == before
    assert len(project.history) == 3


def test_move_refuses_name_clash(project):
    a = _add(project, "A")
    _add(project, "Wohnen", a)
    wohnen = _add(project, "wohnen")
    with pytest.raises(InvalidInputError):
        codes.move_code(project, wohnen.id, a.id)


def test_delete_removes_subtree_and_codings(project):
    document = documents.add_document(project, "Interview", "Die Miete ist hoch.").value
    a, b, c = (_add(project, name) for name in "ABC")
    child = _add(project, "Kind", b)
    grandchild = _add(project, "Enkel", child)
    for code in (a, b, child, grandchild, c):
        codings.add_coding(project, document.id, code.id, 0, 5)
    raw_memo(project, "zum Enkel", code_id=grandchild.id)
    changed = codes.delete_code(project, b.id)
    assert _tree(project) == [("A", 0), ("C", 1)]
    assert sorted(k.code_id for k in codings.list_codings(project)) == sorted([a.id, c.id])
    assert count(project, "memo") == 0
    assert set(changed.changes.deleted["code"]) == {b.id, child.id, grandchild.id}
    assert len(changed.changes.deleted["coding"]) == 3
    assert changed.changes.updated["code"] == (c.id,)  # renumbered sibling


def test_list_codes_tree_order_and_paths(project):
    b = _add(project, "B")
    a = _add(project, "A")
    b2 = _add(project, "B2", b)
    b1 = _add(project, "B1", b)
    codes.move_code(project, b1.id, b.id, 0)
    a1 = _add(project, "A1", a)
    deep = _add(project, "tief", a1)
    listed = codes.list_codes(project)
    assert [c.id for c in listed] == [b.id, b1.id, b2.id, a.id, a1.id, deep.id]
    paths = codes.code_paths(listed)
    assert paths[deep.id] == "A/A1/tief"
    assert paths[b2.id] == "B/B2"
    assert codes.code_paths(listed, " > ")[deep.id] == "A > A1 > tief"


def test_missing_code(project):
    for call in (
        lambda: codes.rename_code(project, 9999, "x"),
        lambda: codes.recolour_code(project, 9999, "#000000"),
        lambda: codes.describe_code(project, 9999, description="x"),
        lambda: codes.move_code(project, 9999, None),
        lambda: codes.delete_code(project, 9999),
    ):
        with pytest.raises(NotFoundError):
            call()
