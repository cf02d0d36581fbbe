"""Team merge planning: two codebooks that diverged give a clear report and lose nothing."""

from dataclasses import replace

import pytest

from qda_app.domain.codebook import Codebook, CodebookCode
from qda_app.services.codebook_merge_plan import (
    AddCode,
    ConflictKind,
    MatchKind,
    MoveCode,
    RenameCode,
    UpdateCode,
    apply_plan,
    describe_plan,
    plan_merge,
)


def guid(number: int) -> str:
    return f"{number:08d}-0000-4000-8000-000000000000"


def c(number: int, name: str, *children: CodebookCode, **fields) -> CodebookCode:
    fields.setdefault("description", "Eine Definition.")
    return CodebookCode(guid(number), name, children=children, **fields)


def book(*codes: CodebookCode) -> Codebook:
    return Codebook(name="team", origin="QDA App", language="de", codes=codes)


CURRENT = book(
    c(1, "Bedarfe", c(11, "Wohnen"), c(12, "Geld"), c(13, "Gesundheit"), codable=False),
    c(2, "Barrieren", c(21, "Sprache"), c(22, "Wartezeit"), codable=False),
    c(3, "Ressourcen", c(31, "Familie", c(311, "Großeltern")), codable=False),
    c(4, "Sonstiges"),
)
INCOMING = book(
    c(
        1,
        "Bedarfe",
        c(11, "Wohnraum"),
        c(12, "Geld", description="Geld, Schulden und Leistungen", keywords=("Geld",)),
        c(51, "Mobilität"),
        codable=False,
    ),
    c(2, "Barrieren", c(21, "Sprache"), c(22, "Wartezeit"), c(13, "Gesundheit"), codable=False),
    c(
        60,
        " ressourcen ",
        c(61, "FAMILIE", c(62, "Großeltern")),
        c(63, "Nachbarn"),
        codable=False,
    ),
    c(70, "Ideen", c(71, "Anlaufstelle"), codable=False),
)


def test_diverged_codebooks_give_the_documented_report():
    plan = plan_merge(CURRENT, INCOMING)
    assert [(op.code.name, op.parent_guid) for op in plan.added] == [
        ("Mobilität", guid(1)),
        ("Nachbarn", guid(3)),  # under the current code the path matched
        ("Ideen", None),
        ("Anlaufstelle", guid(70)),  # under a code added earlier in the plan
    ]
    assert plan.renamed == [RenameCode(guid(11), "Wohnen", "Wohnraum", "Bedarfe/Wohnen")]
    assert plan.moved == [
        MoveCode(guid(13), guid(1), guid(2), "Bedarfe/Gesundheit", "Barrieren/Gesundheit")
    ]
    assert plan.updated == []
    [conflict] = plan.conflicts
    assert conflict.kind is ConflictKind.DEFINITION and conflict.current_guid == guid(12)
    assert [change.field for change in conflict.changes] == ["description", "keywords"]
    assert plan.only_here == ("Sonstiges",)
    by_path = {m.incoming_guid: (m.current_guid, m.by) for m in plan.matches if m.by == "path"}
    assert by_path == {
        guid(60): (guid(3), MatchKind.PATH),
        guid(61): (guid(31), MatchKind.PATH),
        guid(62): (guid(311), MatchKind.PATH),
    }
    # " ressourcen " and "FAMILIE" matched by path: the same to the team, our spelling stays.
    assert plan.unchanged == 7  # Bedarfe, Barrieren, Sprache, Wartezeit, Ressourcen/Familie/...


def test_report_lines_name_every_change_and_every_conflict():
    lines = describe_plan(plan_merge(CURRENT, INCOMING))
    assert lines[0] == (
        "4 new, 1 renamed, 1 moved, 0 definitions updated, 1 conflicts, "
        "1 only here (kept), 7 unchanged"
    )
    assert "+ new: Ideen/Anlaufstelle" in lines
    assert "~ renamed: Bedarfe/Wohnen -> Wohnraum" in lines
    assert "> moved: Bedarfe/Gesundheit -> Barrieren/Gesundheit" in lines
    assert any(line.startswith("! conflict (definition changed): Bedarfe/Geld") for line in lines)
    assert "    keywords: ours (none) | theirs Geld" in lines
    assert "- only here (kept): Sonstiges" in lines


def test_applying_the_plan_loses_nothing():
    plan = plan_merge(CURRENT, INCOMING)
    merged = apply_plan(CURRENT, plan)
    merged_guids = set(merged.entries_by_guid())
    assert set(CURRENT.entries_by_guid()) <= merged_guids
    assert {op.code.guid for op in plan.added} <= merged_guids
    paths = [entry.path for entry in merged.walk()]
    assert "Barrieren/Gesundheit" in paths and "Bedarfe/Wohnraum" in paths
    assert "Ressourcen/Nachbarn" in paths and "Ideen/Anlaufstelle" in paths
    assert merged.find(guid(12)).description == "Eine Definition."  # the conflict kept ours
    assert merged.find(guid(3)).name == "Ressourcen"
    # Merging the result again changes nothing but the open conflict.
    again = plan_merge(merged, INCOMING)
    assert again.operations == () and len(again.conflicts) == 1


@pytest.mark.parametrize("prefer", ["incoming", "current"])
def test_prefer_decides_changed_definitions(prefer):
    plan = plan_merge(CURRENT, INCOMING, prefer=prefer)
    assert plan.conflicts == ()
    merged = apply_plan(CURRENT, plan)
    geld = merged.find(guid(12))
    if prefer == "incoming":
        assert [op.guid for op in plan.updated] == [guid(12)]
        assert (geld.description, geld.keywords) == ("Geld, Schulden und Leistungen", ("Geld",))
    else:
        assert plan.updated == [] and [u.guid for u in plan.kept] == [guid(12)]
        assert geld.description == "Eine Definition."
        assert any(line.startswith("= kept ours: Bedarfe/Geld") for line in describe_plan(plan))


def test_identical_codebooks_plan_nothing():
    plan = plan_merge(CURRENT, CURRENT)
    assert plan.operations == () and plan.conflicts == () and plan.only_here == ()
    assert plan.unchanged == CURRENT.code_count


def test_a_rename_onto_another_codes_name_is_a_conflict():
    current = book(c(1, "A"), c(2, "B"))
    plan = plan_merge(current, book(c(1, "b")))
    assert plan.operations == ()
    assert [k.kind for k in plan.conflicts] == [ConflictKind.COLLISION]
    assert plan.only_here == ("B",)


def test_a_new_code_may_take_a_name_freed_by_a_rename():
    current = book(c(1, "Wohnen"))
    plan = plan_merge(current, book(c(9, "Wohnen"), c(1, "Wohnraum")))
    assert plan.conflicts == ()
    assert [type(op) for op in plan.operations] == [RenameCode, AddCode]


def test_a_new_code_clashing_with_a_name_is_added_under_another_name():
    current = book(c(1, "A"), c(2, "B"))
    plan = plan_merge(current, book(c(9, "B"), c(2, "A")))  # 2 cannot free "B": A is taken
    assert [a.code.name for a in plan.added] == ["B (incoming 1)"]
    assert [k.kind for k in plan.conflicts] == [ConflictKind.COLLISION] * 2
    assert [e.path for e in apply_plan(current, plan).walk()] == ["A", "B", "B (incoming 1)"]


def test_a_move_into_the_own_subtree_is_a_conflict():
    current = book(c(1, "A", c(2, "B")), c(3, "B"))
    incoming = book(c(2, "B", c(1, "A")))  # B cannot go to the root: another B is there
    plan = plan_merge(current, incoming)
    assert [k.kind for k in plan.conflicts] == [ConflictKind.COLLISION, ConflictKind.CYCLE]
    assert plan.moved == []
    assert apply_plan(current, plan) == current


def test_two_incoming_codes_matching_one_code_are_reported_and_their_subcodes_kept():
    current = book(c(1, "Bedarfe", c(11, "Wohnen")))
    incoming = book(c(1, "Bedarfe", c(91, "Wohnen"), c(92, "wohnen ", c(93, "Neu"))))
    plan = plan_merge(current, incoming)
    [conflict] = plan.conflicts
    assert conflict.kind is ConflictKind.DUPLICATE and conflict.current_guid == guid(11)
    assert [(a.code.name, a.parent_guid) for a in plan.added] == [("Neu", guid(11))]
    assert plan.renamed == []


def test_moves_and_adds_are_ordered_so_each_step_is_valid():
    current = book(c(1, "A", c(2, "B", c(3, "C"))))
    incoming = book(c(3, "C", c(2, "B", c(1, "A"))), c(8, "N", c(9, "M")))
    plan = plan_merge(current, incoming)
    assert plan.conflicts == ()
    merged = apply_plan(current, plan)
    assert [e.path for e in merged.walk()] == ["C", "C/B", "C/B/A", "N", "N/M"]
    added = [op.code.guid for op in plan.operations if isinstance(op, AddCode)]
    assert added == [guid(8), guid(9)]


def test_update_operations_carry_old_and_new_values():
    incoming = book(replace(CURRENT.codes[3], color="#000000", codable=False))
    plan = plan_merge(book(CURRENT.codes[3]), incoming, prefer="incoming")
    [update] = plan.operations
    assert isinstance(update, UpdateCode)
    assert [(ch.field, ch.current, ch.incoming) for ch in update.changes] == [
        ("color", "#e6194b", "#000000"),
        ("codable", True, False),
    ]
