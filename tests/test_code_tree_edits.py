"""Code tree edits on SQLite and PostgreSQL: multi-move, reorder, merge, split, confirmed delete,
search; each one undoes to the exact previous state."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import insert, select

from qda_app.domain.errors import InvalidInputError
from qda_app.services import code_tree_edits as edits
from qda_app.services import codes, codings, documents, memos
from qda_app.services.coders import add_coder
from qda_app.services.project import Project, redo, undo
from qda_app.store import models as m
from tests.state import dump, raw_memo

TEXT = "I: Wie wohnen Sie?\nB: Zu eng, und die Ämter antworten nicht. Die Miete steigt.\n"


@dataclass
class Tree:
    """Bedarfe{Wohnen{Miete}, Geld}, Zugang{Ämter, Miete}, Sonstiges; one document."""

    doc: int
    ids: dict[str, int]


@pytest.fixture
def tree(project: Project) -> Tree:
    doc = documents.add_document(project, "Familie A", TEXT).value.id
    ids: dict[str, int] = {}
    for path in (
        "Bedarfe",
        "Bedarfe/Wohnen",
        "Bedarfe/Wohnen/Miete",
        "Bedarfe/Geld",
        "Zugang",
        "Zugang/Ämter",
        "Zugang/Miete",
        "Sonstiges",
    ):
        parent, _, name = path.rpartition("/")
        ids[path] = codes.add_code(project, name, parent_id=ids.get(parent)).value.id
    codes.describe_code(project, ids["Zugang/Ämter"], keywords=["Behörde", "Jobcenter"])
    project.history.clear()
    return Tree(doc, ids)


def span(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def code_with(project: Project, tree: Tree, path: str, word: str, **kwargs: Any) -> int:
    start, end = span(word)
    return codings.add_coding(project, tree.doc, tree.ids[path], start, end, **kwargs).value.id


def assert_undoable(project: Project, action: Callable[[], object]) -> object:
    """Run the action, check that one undo gives back every row and one redo repeats it."""
    before = dump(project)
    result = action()
    after = dump(project)
    assert after != before
    undo(project)
    assert dump(project) == before
    redo(project)
    assert dump(project) == after
    return result


def children(project: Project, parent_id: int | None) -> list[str]:
    rows = [c for c in codes.list_codes(project) if c.parent_id == parent_id]
    assert [c.position for c in rows] == list(range(len(rows))), "positions are contiguous"
    return [c.name for c in rows]


# --------------------------------------------------------------------------- move, reorder


def test_move_several_codes_keeps_tree_order_and_is_one_undo_step(project, tree):
    ids = tree.ids
    before = children(project, ids["Zugang"])
    # Asked in reverse order; they must arrive in tree order (Geld comes before Ämter).
    moved = assert_undoable(
        project,
        lambda: edits.move_codes(project, [ids["Zugang/Ämter"], ids["Bedarfe/Geld"]], None, 1),
    )
    assert [c.name for c in moved.value] == ["Geld", "Ämter"]
    undo(project)
    assert children(project, ids["Zugang"]) == before
    redo(project)
    assert children(project, None) == ["Bedarfe", "Geld", "Ämter", "Zugang", "Sonstiges"]
    assert children(project, ids["Bedarfe"]) == ["Wohnen"]
    assert children(project, ids["Zugang"]) == ["Miete"]


def test_move_takes_a_selected_subcode_along_with_its_parent(project, tree):
    ids = tree.ids
    edits.move_codes(
        project, [ids["Bedarfe/Wohnen/Miete"], ids["Bedarfe/Wohnen"]], ids["Sonstiges"]
    )
    assert children(project, ids["Sonstiges"]) == ["Wohnen"]
    assert children(project, ids["Bedarfe/Wohnen"]) == ["Miete"]


@pytest.mark.parametrize(
    ("moving", "parent", "reason"),
    [
        (["Bedarfe"], "Bedarfe/Wohnen/Miete", "under itself"),
        (["Sonstiges", "Bedarfe/Wohnen"], "Bedarfe/Wohnen", "under itself"),
        (["Zugang/Miete"], "Bedarfe/Wohnen", "already exists"),
        (["Zugang/Miete", "Bedarfe/Wohnen/Miete"], None, "two of the codes"),
    ],
)
def test_move_refuses_cycles_and_clashes_and_changes_nothing(project, tree, moving, parent, reason):
    before = dump(project)
    with pytest.raises(InvalidInputError, match=reason):
        edits.move_codes(
            project, [tree.ids[p] for p in moving], tree.ids[parent] if parent else None
        )
    assert dump(project) == before
    assert undo(project) is None


def test_reorder_code_among_siblings(project, tree):
    ids = tree.ids
    assert_undoable(project, lambda: edits.reorder_code(project, ids["Sonstiges"], 0))
    assert children(project, None) == ["Sonstiges", "Bedarfe", "Zugang"]
    edits.reorder_code(project, ids["Sonstiges"], 99)
    assert children(project, None) == ["Bedarfe", "Zugang", "Sonstiges"]
    assert children(project, ids["Bedarfe"]) == ["Wohnen", "Geld"]


# --------------------------------------------------------------------------- merge


def _spans(project: Project, code_id: int) -> dict[tuple[int, int, int, int], str | None]:
    return {
        (c.document_id, c.start, c.end, c.coder_id): c.memo
        for c in codings.list_codings(project)
        if c.code_id == code_id
    }


def _add_goal_links(project: Project, links: list[tuple[str, int]]) -> dict[str, int]:
    """Goals and their links written around the services (there is no goal service yet)."""
    goals: dict[str, int] = {}
    with project.engine.begin() as connection:
        for title, code_id in links:
            if title not in goals:
                statement = insert(m.Goal).values(title=title, level=4).returning(m.Goal.id)
                goals[title] = connection.execute(statement).scalar_one()
            connection.execute(insert(m.GoalCode).values(goal_id=goals[title], code_id=code_id))
    return goals


def test_merge_moves_everything_and_collapses_exact_duplicates(project, tree):
    ids = tree.ids
    source, target = ids["Zugang/Ämter"], ids["Bedarfe/Geld"]
    other_coder = add_coder(project, "Zweite").value.id
    # Same span, same coder on both codes: must collapse, both memos kept.
    dup_target = code_with(project, tree, "Bedarfe/Geld", "Ämter", memo="Geld-Sicht")
    dup_source = code_with(project, tree, "Zugang/Ämter", "Ämter", memo="Amt-Sicht")
    # Same span but another coder: two codings for agreement, never collapsed.
    code_with(project, tree, "Zugang/Ämter", "Ämter", coder_id=other_coder)
    code_with(project, tree, "Zugang/Ämter", "antworten nicht")
    coding_memo = raw_memo(project, "Notiz zur Stelle", coding_id=dup_source)
    code_memo = raw_memo(project, "Über Ämter", code_id=source)
    codes.describe_code(project, source, description="Kontakt mit Behörden", anchors=["Amt"])
    codes.add_code(project, "Wohnen", parent_id=source)  # clashes with nothing under Geld
    codes.add_code(project, "Fristen", parent_id=source)
    codes.add_code(project, "Fristen", parent_id=target)  # clashes: must be renamed
    with project.engine.begin() as connection:
        connection.execute(
            insert(m.Suggestion).values(
                document_id=tree.doc, code_id=source, start=0, end=3, score=0.5, model_version="t"
            )
        )
    goals = _add_goal_links(project, [("Beratung", source), ("Beratung", target), ("Wege", source)])
    expected_spans = _spans(project, target).keys() | _spans(project, source).keys()
    source_codings = len(_spans(project, source))
    project.history.clear()

    result = assert_undoable(project, lambda: edits.merge_codes(project, [source], target))
    merged = result.value

    assert all(c.id != source for c in codes.list_codes(project))
    spans = _spans(project, target)
    assert spans.keys() == expected_spans  # nothing lost, nothing doubled
    assert merged.collapsed_codings == 1
    assert merged.moved_codings == source_codings - 1  # the duplicate was folded
    kept_memo = spans[(tree.doc, *span("Ämter"), project.coder_id)]
    assert "Geld-Sicht" in kept_memo and "Amt-Sicht" in kept_memo
    with project.sessions() as session:
        assert session.get(m.Memo, coding_memo).coding_id == dup_target
        assert session.get(m.Memo, code_memo).code_id == target
        definition = session.scalars(
            select(m.Memo.text).where(m.Memo.code_id == target, m.Memo.id != code_memo)
        ).one()
        assert "Kontakt mit Behörden" in definition
        assert session.scalars(select(m.Suggestion.code_id)).all() == [target]
        links = session.execute(select(m.GoalCode.goal_id, m.GoalCode.code_id)).all()
    assert sorted(links) == sorted([(goals["Beratung"], target), (goals["Wege"], target)])
    assert children(project, target) == ["Fristen", "Wohnen", "Fristen (from Ämter)"]
    assert merged.renamed_subcodes == (("Fristen", "Fristen (from Ämter)"),)
    info = next(c for c in codes.list_codes(project) if c.id == target)
    assert info.anchors == ("Amt",) and info.keywords == ("Behörde", "Jobcenter")
    assert children(project, ids["Zugang"]) == ["Miete"]


def test_merge_collapses_duplicates_between_two_sources(project, tree):
    ids = tree.ids
    a, b, target = ids["Zugang/Ämter"], ids["Zugang/Miete"], ids["Sonstiges"]
    code_with(project, tree, "Zugang/Ämter", "Miete", memo="eins")
    code_with(project, tree, "Zugang/Miete", "Miete", memo="zwei")
    code_with(project, tree, "Zugang/Miete", "eng")
    merged = assert_undoable(project, lambda: edits.merge_codes(project, [a, b], target)).value
    spans = _spans(project, target)
    assert len(spans) == 2 and merged.collapsed_codings == 1
    assert spans[(tree.doc, *span("Miete"), project.coder_id)] == "eins\n\nzwei"
    assert children(project, ids["Zugang"]) == []


@pytest.mark.parametrize(
    ("sources", "target", "reason"),
    [
        (["Bedarfe"], "Bedarfe/Wohnen/Miete", "own subcode"),
        (["Sonstiges"], "Sonstiges", "into itself"),
        ([], "Sonstiges", "at least one"),
    ],
)
def test_merge_refusals_change_nothing(project, tree, sources, target, reason):
    before = dump(project)
    with pytest.raises(InvalidInputError, match=reason):
        edits.merge_codes(project, [tree.ids[s] for s in sources], tree.ids[target])
    assert dump(project) == before


def test_merge_codings_into_a_folder_is_refused(project, tree):
    code_with(project, tree, "Sonstiges", "eng")
    codes.describe_code(project, tree.ids["Zugang"], codable=False)
    before = dump(project)
    with pytest.raises(InvalidInputError, match="folder"):
        edits.merge_codes(project, [tree.ids["Sonstiges"]], tree.ids["Zugang"])
    assert dump(project) == before


# --------------------------------------------------------------------------- split


@pytest.mark.parametrize("as_child", [False, True])
def test_split_moves_chosen_codings_to_a_new_code(project, tree, as_child):
    ids = tree.ids
    chosen = [code_with(project, tree, "Bedarfe/Wohnen", w) for w in ("eng", "Miete steigt")]
    stays = code_with(project, tree, "Bedarfe/Wohnen", "wohnen")
    memo = raw_memo(project, "bleibt an der Stelle", coding_id=chosen[0])
    project.history.clear()
    new = assert_undoable(
        project,
        lambda: edits.split_code(project, ids["Bedarfe/Wohnen"], chosen, "Enge", as_child=as_child),
    ).value
    parent = ids["Bedarfe/Wohnen"] if as_child else ids["Bedarfe"]
    expected = ["Miete", "Enge"] if as_child else ["Wohnen", "Enge", "Geld"]
    assert new.parent_id == parent and children(project, parent) == expected
    by_code = {c.id: c.code_id for c in codings.list_codings(project)}
    assert [by_code[c] for c in chosen] == [new.id, new.id]
    assert by_code[stays] == ids["Bedarfe/Wohnen"]
    assert [n.coding_id for n in memos.list_memos(project) if n.id == memo] == [chosen[0]]


def test_split_refuses_foreign_codings_and_taken_names(project, tree):
    ids = tree.ids
    foreign = code_with(project, tree, "Sonstiges", "eng")
    before = dump(project)
    with pytest.raises(InvalidInputError, match="does not belong"):
        edits.split_code(project, ids["Bedarfe/Wohnen"], [foreign], "Neu")
    own = code_with(project, tree, "Bedarfe/Wohnen", "eng")
    before = dump(project)
    with pytest.raises(InvalidInputError, match="already exists"):
        edits.split_code(project, ids["Bedarfe/Wohnen"], [own], "geld")
    with pytest.raises(InvalidInputError, match="choose"):
        edits.split_code(project, ids["Bedarfe/Wohnen"], [], "Neu")
    assert dump(project) == before


# --------------------------------------------------------------------------- delete


def test_delete_needs_confirmation_and_says_what_would_go(project, tree):
    ids = tree.ids
    code_with(project, tree, "Bedarfe/Wohnen", "eng")
    coding = code_with(project, tree, "Bedarfe/Wohnen/Miete", "Miete")
    raw_memo(project, "m", coding_id=coding)
    raw_memo(project, "c", code_id=ids["Bedarfe/Geld"])
    project.history.clear()
    before = dump(project)
    with pytest.raises(edits.ConfirmationRequiredError) as refused:
        edits.delete_code_confirmed(project, ids["Bedarfe"], confirmed=False)
    impact = refused.value.impact
    assert (impact.subcodes, impact.codings, impact.memos) == (3, 2, 2)
    assert "3 subcodes" in str(refused.value) and "2 codings" in str(refused.value)
    assert edits.deletion_impact(project, ids["Bedarfe"]) == impact
    assert dump(project) == before and undo(project) is None
    assert_undoable(
        project, lambda: edits.delete_code_confirmed(project, ids["Bedarfe"], confirmed=True)
    )
    assert children(project, None) == ["Zugang", "Sonstiges"]


def test_delete_of_a_bare_code_needs_no_confirmation(project, tree):
    edits.delete_code_confirmed(project, tree.ids["Sonstiges"], confirmed=False)
    assert children(project, None) == ["Bedarfe", "Zugang"]


# --------------------------------------------------------------------------- search


def test_search_ignores_case_and_optionally_looks_into_definitions(project, tree):
    def paths(text: str, **kwargs: bool) -> list[str]:
        return [hit.path for hit in edits.search_codes(project, text, **kwargs)]

    assert paths("MIETE") == ["Bedarfe/Wohnen/Miete", "Zugang/Miete"]
    assert paths("ämter") == ["Zugang/Ämter"]
    assert paths("jobcenter") == []
    hits = edits.search_codes(project, "jobCENTER", in_definitions=True)
    assert [(h.path, h.field) for h in hits] == [("Zugang/Ämter", "keywords")]
    assert paths("   ") == []
