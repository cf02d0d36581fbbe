"""Undo and redo of every service call, long histories, conflicts with other sessions."""

from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qda_app.domain.errors import InvalidInputError, UndoConflictError
from qda_app.domain.values import AttributeScope, AttributeType
from qda_app.services import cases, coders, codes, codings, documents, memos
from qda_app.services.codings import NewCoding
from qda_app.services.project import open_project, redo, undo
from tests.state import diff_tables, dump, raw_execute, raw_memo

TEXT = "I: Wie ist die Wohnsituation?\nB: Die Miete ist zu hoch 😟, wir sind zu fünft.\n"


def _setup(project):
    """A small project with something of every kind, built through the services."""
    ns = SimpleNamespace()
    ns.doc = documents.add_document(project, "Interview 1", TEXT).value
    ns.doc2 = documents.add_document(project, "Interview 2", "Kurzer Text").value
    ns.parent = codes.add_code(project, "Themen", codable=False).value
    ns.a = codes.add_code(project, "Wohnen", ns.parent.id).value
    ns.b = codes.add_code(project, "Geld", ns.parent.id).value
    ns.c = codes.add_code(project, "Schule").value
    ns.coding = codings.add_coding(project, ns.doc.id, ns.a.id, 33, 56, memo="Miete").value
    ns.case = cases.add_case(project, "Familie A").value
    cases.assign_document(project, ns.case.id, ns.doc.id)
    ns.number = cases.add_attribute(project, "Kinder", AttributeScope.CASE, AttributeType.NUMBER)
    ns.number = ns.number.value
    ns.category = cases.add_attribute(
        project, "Typ", AttributeScope.DOCUMENT, AttributeType.CATEGORY, ["Einzel", "Gruppe"]
    ).value
    cases.set_case_value(project, ns.case.id, ns.number.id, "3")
    ns.memo = raw_memo(project, "Notiz zur Codierung", coding_id=ns.coding.id)
    return ns


ACTIONS = {
    "add coder": lambda p, n: coders.add_coder(p, "Zweite"),
    "rename coder": lambda p, n: coders.rename_coder(p, p.coder_id, "Erste"),
    "add document": lambda p, n: documents.add_document(p, "Interview 3", "Neu\r\n"),
    "rename document": lambda p, n: documents.rename_document(p, n.doc.id, "Gespräch 1"),
    "delete document": lambda p, n: documents.delete_document(p, n.doc.id),
    "add case": lambda p, n: cases.add_case(p, "Familie B", "zwei Kinder"),
    "rename case": lambda p, n: cases.rename_case(p, n.case.id, "Familie Ä"),
    "delete case": lambda p, n: cases.delete_case(p, n.case.id),
    "assign document": lambda p, n: cases.assign_document(p, n.case.id, n.doc2.id),
    "unassign document": lambda p, n: cases.unassign_document(p, n.case.id, n.doc.id),
    "add attribute": lambda p, n: cases.add_attribute(
        p, "Seit", AttributeScope.CASE, AttributeType.DATE
    ),
    "change case value": lambda p, n: cases.set_case_value(p, n.case.id, n.number.id, "4,5"),
    "clear case value": lambda p, n: cases.set_case_value(p, n.case.id, n.number.id, None),
    "set document value": lambda p, n: cases.set_document_value(
        p, n.doc.id, n.category.id, "Gruppe"
    ),
    "add code": lambda p, n: codes.add_code(p, "Arbeit", n.parent.id),
    "rename code": lambda p, n: codes.rename_code(p, n.a.id, "Wohnungsnot"),
    "recolour code": lambda p, n: codes.recolour_code(p, n.a.id, "#123456"),
    "describe code": lambda p, n: codes.describe_code(
        p, n.a.id, description="d", inclusion="i", exclusion="e", anchors=["x"], keywords=["k"]
    ),
    "move code within parent": lambda p, n: codes.move_code(p, n.b.id, n.parent.id, 0),
    "move code to root": lambda p, n: codes.move_code(p, n.a.id, None, 0),
    "delete code subtree": lambda p, n: codes.delete_code(p, n.parent.id),
    "add coding": lambda p, n: codings.add_coding(p, n.doc.id, n.b.id, 0, 5),
    "change coding": lambda p, n: codings.change_coding(
        p, n.coding.id, start=30, end=40, code_id=n.c.id, memo=""
    ),
    "remove coding": lambda p, n: codings.remove_coding(p, n.coding.id),
    "add codings bulk": lambda p, n: codings.add_codings_bulk(
        p, [NewCoding(n.doc2.id, n.c.id, p.coder_id, i, i + 2) for i in range(5)]
    ),
    "edit memo": lambda p, n: memos.edit_memo(p, n.memo, text="neu", title="T"),
    "delete memo": lambda p, n: memos.delete_memo(p, n.memo),
}


def test_every_service_call_is_undoable_and_redoable(project, subtests):
    names = _setup(project)
    for name, action in ACTIONS.items():
        with subtests.test(action=name):
            project.history.clear()
            before = dump(project)
            changed = action(project, names)
            after = dump(project)
            assert before != after, "the action changed nothing"
            touched = {*changed.changes.inserted, *changed.changes.updated}
            touched |= set(changed.changes.deleted)
            assert touched == set(diff_tables(before, after))
            assert len(project.history) == 1
            undone = undo(project)
            assert undone is not None and undone.description.startswith("Undo ")
            assert diff_tables(before, dump(project)) == []
            assert dump(project) == before
            redone = redo(project)
            assert redone is not None
            assert dump(project) == after
            undo(project)  # back to the shared starting state for the next action
            assert dump(project) == before


def test_undo_and_redo_with_empty_history(project):
    assert undo(project) is None
    assert redo(project) is None


def test_a_thousand_codings_undone_and_redone(project):
    document = documents.add_document(project, "Lang", "abcdefghij" * 120).value
    code = codes.add_code(project, "X").value
    project.history.clear()
    start = dump(project)
    ids = [
        codings.add_coding(project, document.id, code.id, i, i + 1 + i % 7).value.id
        for i in range(1000)
    ]
    full = dump(project)
    assert len(full["coding"]) == 1000
    for coding_id in reversed(ids):
        undone = undo(project)
        assert undone is not None and undone.deleted == {"coding": (coding_id,)}
    assert dump(project) == start
    assert undo(project) is None
    for _ in range(1000):
        redo(project)
    assert dump(project) == full
    assert [(c.start, c.end) for c in codings.list_codings(project)] == [
        (i, i + 1 + i % 7) for i in range(1000)
    ]


def test_alternating_undo_redo_keeps_state(project):
    code = codes.add_code(project, "X").value
    document = documents.add_document(project, "D", "Text " * 50).value
    project.history.clear()
    states = [dump(project)]
    for i in range(20):
        codings.add_coding(project, document.id, code.id, i, i + 5)
        states.append(dump(project))
    position = 20
    for step in range(200):  # walk back and forth through the history
        if step % 3 == 2 and position < 20:
            redo(project)
            position += 1
        elif position > 0:
            undo(project)
            position -= 1
        assert dump(project) == states[position]


def test_new_change_clears_redo(project):
    code = codes.add_code(project, "A").value
    codes.rename_code(project, code.id, "B")
    undo(project)
    assert project.history.can_redo
    assert project.history.redo_description == "Rename code to B"
    codes.recolour_code(project, code.id, "#000000")
    assert not project.history.can_redo
    assert redo(project) is None
    assert [c.name for c in codes.list_codes(project)] == ["A"]


def test_refused_change_leaves_history_alone(project):
    code = codes.add_code(project, "A").value
    codes.rename_code(project, code.id, "B")
    undo(project)
    with pytest.raises(InvalidInputError):
        codes.recolour_code(project, code.id, "rot")
    assert project.history.can_redo and len(project.history) == 1


def test_undo_conflict_with_other_session(project):
    code = codes.add_code(project, "Wohnen").value
    codes.rename_code(project, code.id, "Wohnungsnot")
    with open_project(project.location) as other:
        codes.rename_code(other, code.id, "Miete")
    before = dump(project)
    with pytest.raises(UndoConflictError):
        undo(project)
    assert dump(project) == before
    assert project.history.undo_description == "Rename code to Wohnungsnot"
    assert not project.history.can_redo


def test_undo_conflict_midway_changes_nothing(project):
    """A move renumbers several siblings; if one of them moved since, no part is undone."""
    a, _b, c, d = (codes.add_code(project, name).value for name in "ABCD")
    codes.move_code(project, d.id, None, 0)  # D A B C: updates all four positions
    with open_project(project.location) as other:
        codes.rename_code(other, a.id, "A2")  # harmless: another column
        raw_execute(other, "UPDATE code SET position = 7 WHERE id = :id", id=c.id)
    before = dump(project)
    with pytest.raises(UndoConflictError):
        undo(project)
    assert dump(project) == before
    assert project.history.can_undo


def test_undo_of_add_conflicts_with_dependent_row(project):
    document = documents.add_document(project, "D", "Text Text").value
    code = codes.add_code(project, "Neu").value
    with open_project(project.location) as other:
        coders.use_coder(other, "Kollegin")
        codings.add_coding(other, document.id, code.id, 0, 4)
    before = dump(project)
    with pytest.raises(UndoConflictError):
        undo(project)
    assert dump(project) == before


def test_redo_conflict_with_other_session(project):
    code = codes.add_code(project, "Wohnen").value
    codes.rename_code(project, code.id, "Wohnungsnot")
    undo(project)
    with open_project(project.location) as other:
        codes.rename_code(other, code.id, "Miete")
    before = dump(project)
    with pytest.raises(UndoConflictError):
        redo(project)
    assert dump(project) == before
    assert project.history.can_redo


def test_undo_survives_unrelated_change_by_other_session(project):
    code = codes.add_code(project, "Wohnen").value
    codes.rename_code(project, code.id, "Wohnungsnot")
    with open_project(project.location) as other:
        codes.recolour_code(other, code.id, "#abcdef")
    undo(project)
    (stored,) = codes.list_codes(project)
    assert (stored.name, stored.color) == ("Wohnen", "#abcdef")


def test_change_summary_names_tables_and_ids(project):
    document = documents.add_document(project, "D", "Ein Text").value
    parent = codes.add_code(project, "P").value
    child = codes.add_code(project, "K", parent.id).value
    first = codings.add_coding(project, document.id, child.id, 0, 3)
    assert first.changes.inserted == {"coding": (first.value.id,)}
    assert first.changes.updated == {} and first.changes.deleted == {}
    assert first.changes.touched("coding") and not first.changes.touched("code")
    moved = codes.move_code(project, child.id, None, 0)
    assert set(moved.changes.updated) == {"code"}
    assert set(moved.changes.updated["code"]) == {child.id, parent.id}  # parent renumbered too
    assert moved.changes.inserted == {} and moved.changes.deleted == {}
    assert moved.changes.description == "Move code K"
    deleted = codes.delete_code(project, child.id)
    assert deleted.changes.deleted == {"coding": (first.value.id,), "code": (child.id,)}
    assert deleted.changes.updated == {"code": (parent.id,)}
    undone = undo(project)
    assert undone is not None
    assert undone.inserted == {"code": (child.id,), "coding": (first.value.id,)}
    assert undone.updated == {"code": (parent.id,)}
    assert undone.description == "Undo Delete code K"
    redone = redo(project)
    assert redone is not None and redone.deleted == deleted.changes.deleted
    link = cases.assign_document(project, cases.add_case(project, "F").value.id, document.id)
    ((_case_id, document_id),) = link.changes.inserted["case_document"]
    assert document_id == document.id
    nothing = codes.rename_code(project, parent.id, "P")
    assert nothing.changes.is_empty


# --- random code-tree edits, then undo all -----------------------------------------------------

NAMES = ["Wohnen", "wohnen", "Arbeit", "Kita", "A", "a", "Geld"]
OPS = st.lists(
    st.tuples(
        st.sampled_from(["add", "rename", "recolour", "describe", "move", "delete", "code"]),
        st.integers(0, 30),
        st.integers(-1, 30),
        st.integers(-1, 4),
    ),
    min_size=1,
    max_size=14,
)


def _apply(project, document_id, op):
    kind, first, second, third = op
    existing = codes.list_codes(project)
    pick = existing[first % len(existing)].id if existing else None
    parent = None if second < 0 or not existing else existing[second % len(existing)].id
    name = NAMES[(first + second) % len(NAMES)]
    if kind == "add" or pick is None:
        codes.add_code(project, name, parent, codable=third != 0)
    elif kind == "rename":
        codes.rename_code(project, pick, name)
    elif kind == "recolour":
        codes.recolour_code(project, pick, f"#{first:02x}{second % 256:02x}{third % 256:02x}")
    elif kind == "describe":
        codes.describe_code(project, pick, description=name, keywords=[name] * (third + 1))
    elif kind == "move":
        codes.move_code(project, pick, parent, None if third < 0 else third)
    elif kind == "delete":
        codes.delete_code(project, pick)
    else:
        codings.add_coding(project, document_id, pick, third + 1, third + 3 + second % 5)


def _check_tree(project):
    listed = codes.list_codes(project)
    by_parent = {}
    for code in listed:
        by_parent.setdefault(code.parent_id, []).append(code)
    for siblings in by_parent.values():
        assert sorted(c.position for c in siblings) == list(range(len(siblings)))
        lowered = [c.name.lower() for c in siblings]
        assert len(set(lowered)) == len(lowered), lowered
    ids = {c.id for c in listed}
    assert len(listed) == len(ids)  # tree order reaches every code once: no cycles
    assert all(c.parent_id is None or c.parent_id in ids for c in listed)


def _reset(project):
    raw_execute(project, "DELETE FROM coding")
    raw_execute(project, "UPDATE code SET parent_id = NULL")
    raw_execute(project, "DELETE FROM code")
    project.history.clear()


@pytest.mark.parametrize("examples", [90])
def test_random_code_tree_edits_undo_to_the_start(project, backend, examples):
    document = documents.add_document(project, "D", "x" * 40).value

    @settings(
        max_examples=examples if backend == "sqlite" else examples // 3,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(ops=OPS)
    def run(ops):
        _reset(project)
        start = dump(project)
        for op in ops:
            before = dump(project)
            steps = len(project.history)
            try:
                _apply(project, document.id, op)
            except InvalidInputError:
                assert dump(project) == before
                assert len(project.history) == steps
            _check_tree(project)
        end = dump(project)
        steps = len(project.history)
        for _ in range(steps):
            undo(project)
        assert dump(project) == start
        for _ in range(steps):
            redo(project)
        assert dump(project) == end

    run()
