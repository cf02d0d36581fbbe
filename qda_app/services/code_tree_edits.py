"""Editing the code tree as a whole: multi-move, reorder, merge, split, confirmed delete, search.

Each edit is one `change()` transaction, so one undo step restores everything it touched (cascades
included, because the recorder sees every ORM row change). Merging never loses data: codings move
to the target, exact duplicates collapse into one coding that keeps both memos, and whatever the
source codes carried (subcodes, memos, suggestions, goal links, set memberships, anchors,
keywords, definitions) ends up on the target.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qda_app.domain.changes import Changed
from qda_app.domain.errors import InvalidInputError
from qda_app.domain.values import CodeInfo
from qda_app.services.codes import (
    PALETTE,
    ancestors,
    check_colour,
    check_unique_name,
    code_paths,
    delete_code_in,
    list_codes,
    renumber,
    sibling_ids,
    subtree_ids,
    tree_order,
)
from qda_app.services.lookup import clean_name, get_row
from qda_app.services.project import Project, change, reading
from qda_app.services.snapshots import code_info
from qda_app.store import models as m

SpanKey = tuple[int, int, int, int]  # document, start, end, coder


class ConfirmationRequiredError(InvalidInputError):
    """A destructive edit was asked for without the user's confirmation; `impact` says what
    would go, so the caller can show it and ask."""

    def __init__(self, message: str, impact: "DeletionImpact") -> None:
        super().__init__(message)
        self.impact = impact


@dataclass(frozen=True)
class DeletionImpact:
    """What deleting a code takes with it: the numbers a confirmation dialog shows."""

    code: CodeInfo
    subcodes: int
    codings: int
    memos: int
    suggestions: int
    goal_links: int

    def describe(self) -> str:
        return (
            f"deleting {self.code.name!r} also deletes {self.subcodes} subcodes, "
            f"{self.codings} codings, {self.memos} memos, {self.suggestions} suggestions "
            f"and {self.goal_links} goal links"
        )


@dataclass(frozen=True)
class MergeCodesResult:
    """The target after the merge and what moved onto it (for the status line and tests)."""

    target: CodeInfo
    merged: tuple[str, ...]  # names of the source codes, now deleted
    moved_codings: int
    collapsed_codings: int  # duplicates folded into an existing coding (memos kept)
    moved_memos: int
    moved_suggestions: int
    moved_goal_links: int
    moved_subcodes: int
    renamed_subcodes: tuple[tuple[str, str], ...]  # (old name, new name) to avoid a clash


@dataclass(frozen=True)
class CodeHit:
    """A code found by search, with its path and the field the text was found in."""

    code: CodeInfo
    path: str
    field: str


# --------------------------------------------------------------------------- helpers


def _count(session: Session, model: type[m.Base], column: object, ids: Sequence[int]) -> int:
    query = select(func.count()).select_from(model).where(column.in_(ids))  # type: ignore[attr-defined]
    return int(session.scalar(query) or 0)


def place_codes(
    session: Session, rows: Sequence[m.Code], parent_id: int | None, index: int | None
) -> None:
    """Put `rows` (in this order) under `parent_id` at `index` among the other siblings,
    renumbering the places they leave and the place they join."""
    moving = {row.id for row in rows}
    old_parents = {row.parent_id for row in rows}
    for row in rows:
        check_unique_name(session, row.name, parent_id, except_id=row.id)
        clash = [
            other
            for other in rows
            if other is not row and other.name.casefold() == row.name.casefold()
        ]
        if clash:
            raise InvalidInputError(f"two of the codes are called {row.name!r}")
    siblings = [i for i in sibling_ids(session, parent_id) if i not in moving]
    at = len(siblings) if index is None else max(0, min(index, len(siblings)))
    for row in rows:
        row.parent_id = parent_id
    session.flush()
    renumber(session, siblings[:at] + [row.id for row in rows] + siblings[at:])
    for old_parent in old_parents - {parent_id}:
        renumber(session, sibling_ids(session, old_parent))


def _tree_rank(session: Session) -> dict[int, int]:
    """Each code's index in tree order, to keep a selection's relative order when it moves."""
    codes = tree_order([code_info(row) for row in session.scalars(select(m.Code))])
    return {code.id: rank for rank, code in enumerate(codes)}


def _merged_list(first: str, second: str) -> str:
    """Union of two JSON lists of text, order kept, no repeats."""
    items = list(json.loads(first))
    items.extend(item for item in json.loads(second) if item not in items)
    return json.dumps(items, ensure_ascii=False)


def _free_name(session: Session, name: str, parent_id: int | None, hint: str) -> str:
    """`name`, or `name (hint)`, `name (hint 2)`, ... whichever is free under the parent."""
    candidates = [name, f"{name} ({hint})"]
    candidates.extend(f"{name} ({hint} {n})" for n in range(2, 1000))
    for candidate in candidates:
        try:
            check_unique_name(session, candidate, parent_id)
        except InvalidInputError:
            continue
        return candidate
    raise InvalidInputError(f"no free name for {name!r}")


# --------------------------------------------------------------------------- moves


def move_codes(
    project: Project, code_ids: Sequence[int], parent_id: int | None, position: int | None = None
) -> Changed[list[CodeInfo]]:
    """Move several codes (with their subtrees) under one parent as one undo step.

    They keep their relative tree order and land at `position` among the remaining siblings
    (at the end when None). A selected code inside another selected code travels with it.
    """
    if not code_ids:
        raise InvalidInputError("choose at least one code to move")
    with change(project, "Move codes") as work:
        session = work.session
        rows = [get_row(session, m.Code, code_id) for code_id in dict.fromkeys(code_ids)]
        if parent_id is not None:
            get_row(session, m.Code, parent_id)
            above = set(ancestors(session, parent_id))
            inside = [row.name for row in rows if row.id in above]
            if inside:
                raise InvalidInputError(
                    f"a code cannot move under itself or its own subcodes ({inside[0]!r})"
                )
        chosen = {row.id for row in rows}
        tops = [row for row in rows if not chosen & set(ancestors(session, row.parent_id))]
        rank = _tree_rank(session)
        tops.sort(key=lambda row: rank[row.id])
        work.description = (
            f"Move code {tops[0].name}" if len(tops) == 1 else f"Move {len(tops)} codes"
        )
        place_codes(session, tops, parent_id, position)
        result = [code_info(row) for row in tops]
    return Changed(result, work.summary)


def reorder_code(project: Project, code_id: int, position: int) -> Changed[CodeInfo]:
    """Put a code at `position` among its siblings (0 = first); the parent stays."""
    with reading(project) as session:
        parent_id = get_row(session, m.Code, code_id).parent_id
    moved = move_codes(project, [code_id], parent_id, position)
    return Changed(moved.value[0], moved.changes)


# --------------------------------------------------------------------------- merge


class _Merger:
    """Moves everything of one source code onto the target inside the open transaction."""

    def __init__(self, session: Session, target: m.Code, coder_id: int | None) -> None:
        self.session = session
        self.target = target
        self.coder_id = coder_id
        self.spans: dict[SpanKey, m.Coding] = {
            (c.document_id, c.start, c.end, c.coder_id): c
            for c in session.scalars(select(m.Coding).where(m.Coding.code_id == target.id))
        }
        self.counts = dict.fromkeys(
            ("codings", "collapsed", "memos", "suggestions", "goals", "subcodes"), 0
        )
        self.renamed: list[tuple[str, str]] = []

    def merge(self, source: m.Code) -> None:
        self.move_codings(source)
        self.move_code_memos(source)
        for suggestion in self.session.scalars(
            select(m.Suggestion).where(m.Suggestion.code_id == source.id)
        ):
            suggestion.code_id = self.target.id
            self.counts["suggestions"] += 1
        self.move_goal_links(source)
        self.move_set_links(source)
        self.move_children(source)
        self.target.anchors = _merged_list(self.target.anchors, source.anchors)
        self.target.keywords = _merged_list(self.target.keywords, source.keywords)
        self.session.flush()
        self.session.expire(source)  # collections loaded earlier must not cascade the delete
        self.session.delete(source)
        self.session.flush()

    def move_codings(self, source: m.Code) -> None:
        codings = self.session.scalars(
            select(m.Coding).where(m.Coding.code_id == source.id).order_by(m.Coding.id)
        ).all()
        for coding in codings:
            key = (coding.document_id, coding.start, coding.end, coding.coder_id)
            kept = self.spans.get(key)
            if kept is None:
                coding.code_id = self.target.id
                self.spans[key] = coding
                self.counts["codings"] += 1
                continue
            if coding.memo and coding.memo != kept.memo:
                kept.memo = f"{kept.memo}\n\n{coding.memo}" if kept.memo else coding.memo
            for memo in self.session.scalars(select(m.Memo).where(m.Memo.coding_id == coding.id)):
                memo.coding_id = kept.id
            self.session.flush()
            self.session.expire(coding)
            self.session.delete(coding)
            self.counts["collapsed"] += 1
        self.session.flush()

    def move_code_memos(self, source: m.Code) -> None:
        for memo in self.session.scalars(select(m.Memo).where(m.Memo.code_id == source.id)):
            memo.code_id = self.target.id
            self.counts["memos"] += 1
        definition = "\n\n".join(
            f"{label}: {text}"
            for label, text in (
                ("Description", source.description),
                ("Inclusion", source.inclusion),
                ("Exclusion", source.exclusion),
            )
            if text.strip()
        )
        if definition:  # the definition of a merged code is kept as a memo on the target
            self.session.add(
                m.Memo(
                    title=f"Definition of merged code {source.name}",
                    text=definition,
                    code_id=self.target.id,
                    coder_id=self.coder_id,
                    document_id=None,
                    coding_id=None,
                    case_id=None,
                )
            )

    def move_goal_links(self, source: m.Code) -> None:
        """A link's key contains the code, so it is replaced, not updated (undo and redo
        address rows by key)."""
        linked = set(
            self.session.scalars(
                select(m.GoalCode.goal_id).where(m.GoalCode.code_id == self.target.id)
            )
        )
        for link in self.session.scalars(select(m.GoalCode).where(m.GoalCode.code_id == source.id)):
            goal_id = link.goal_id
            self.session.delete(link)
            if goal_id not in linked:
                self.session.add(m.GoalCode(goal_id=goal_id, code_id=self.target.id))
                linked.add(goal_id)
                self.counts["goals"] += 1
        self.session.flush()

    def move_set_links(self, source: m.Code) -> None:
        """The target joins every set the source was in, at the source's place in the set.

        Like goal links, a membership's key contains the code, so it is replaced, not updated.
        """
        member_of = set(
            self.session.scalars(
                select(m.CodeSetMember.set_id).where(m.CodeSetMember.code_id == self.target.id)
            )
        )
        links = self.session.scalars(
            select(m.CodeSetMember).where(m.CodeSetMember.code_id == source.id)
        ).all()
        for link in links:
            set_id, position = link.set_id, link.position
            self.session.delete(link)
            if set_id not in member_of:
                self.session.add(
                    m.CodeSetMember(set_id=set_id, code_id=self.target.id, position=position)
                )
                member_of.add(set_id)
        self.session.flush()

    def move_children(self, source: m.Code) -> None:
        children = self.session.scalars(
            select(m.Code).where(m.Code.parent_id == source.id).order_by(m.Code.position, m.Code.id)
        ).all()
        for child in children:
            name = _free_name(self.session, child.name, self.target.id, f"from {source.name}")
            if name != child.name:
                self.renamed.append((child.name, name))
                child.name = name
            self.session.flush()
            place_codes(self.session, [child], self.target.id, None)
            self.counts["subcodes"] += 1


def merge_codes(
    project: Project, source_ids: Sequence[int], target_id: int
) -> Changed[MergeCodesResult]:
    """Merge the source codes into the target and delete them; one undo step restores all.

    Subcodes of a source become subcodes of the target (renamed when the name is taken).
    A target inside a source's subtree is refused: its subcodes would have to move under itself.
    """
    sources_wanted = list(dict.fromkeys(source_ids))
    if not sources_wanted:
        raise InvalidInputError("choose at least one code to merge")
    if target_id in sources_wanted:
        raise InvalidInputError("a code cannot be merged into itself")
    with change(project, "Merge codes") as work:
        session = work.session
        target = get_row(session, m.Code, target_id)
        sources = [get_row(session, m.Code, code_id) for code_id in sources_wanted]
        above_target = set(ancestors(session, target.parent_id))
        for source in sources:
            if source.id in above_target:
                raise InvalidInputError(
                    f"cannot merge {source.name!r} into its own subcode {target.name!r}"
                )
        codings = _count(session, m.Coding, m.Coding.code_id, sources_wanted)
        if codings and not target.codable:
            raise InvalidInputError(
                f"{target.name!r} is a folder and cannot take the {codings} codings"
            )
        names = tuple(source.name for source in sources)
        work.description = f"Merge {', '.join(names)} into {target.name}"
        old_parents = {source.parent_id for source in sources}
        merger = _Merger(session, target, project.coder_id)
        for source in sources:
            merger.merge(source)
        for parent_id in old_parents:
            renumber(session, sibling_ids(session, parent_id))
        counts = merger.counts
        result = MergeCodesResult(
            target=code_info(target),
            merged=names,
            moved_codings=counts["codings"],
            collapsed_codings=counts["collapsed"],
            moved_memos=counts["memos"],
            moved_suggestions=counts["suggestions"],
            moved_goal_links=counts["goals"],
            moved_subcodes=counts["subcodes"],
            renamed_subcodes=tuple(merger.renamed),
        )
    return Changed(result, work.summary)


# --------------------------------------------------------------------------- split


def split_code(
    project: Project,
    code_id: int,
    coding_ids: Sequence[int],
    name: str,
    *,
    as_child: bool = False,
    color: str | None = None,
) -> Changed[CodeInfo]:
    """Move the chosen codings of a code to a new code: a sibling right after it, or a child.

    Their memos stay with them (they hang on the coding, not on the code).
    """
    name = clean_name(name, "code")
    wanted = list(dict.fromkeys(coding_ids))
    if not wanted:
        raise InvalidInputError("choose the codings that go to the new code")
    with change(project, f"Split code into {name}") as work:
        session = work.session
        code = get_row(session, m.Code, code_id)
        codings = [get_row(session, m.Coding, coding_id) for coding_id in wanted]
        foreign = [coding.id for coding in codings if coding.code_id != code_id]
        if foreign:
            raise InvalidInputError(f"coding {foreign[0]} does not belong to {code.name!r}")
        parent_id = code.id if as_child else code.parent_id
        check_unique_name(session, name, parent_id)
        at = None if as_child else sibling_ids(session, parent_id).index(code.id) + 1
        count = session.scalar(select(func.count()).select_from(m.Code)) or 0
        new = m.Code(
            name=name,
            parent_id=parent_id,
            color=check_colour(color) if color else PALETTE[count % len(PALETTE)],
            position=0,
        )
        session.add(new)
        session.flush()
        place_codes(session, [new], parent_id, at)
        for coding in codings:
            coding.code_id = new.id
        session.flush()
        info = code_info(new)
    return Changed(info, work.summary)


# --------------------------------------------------------------------------- delete


def _impact(session: Session, code_id: int) -> DeletionImpact:
    code = get_row(session, m.Code, code_id)
    ids = subtree_ids(session, code_id)
    coding_ids = list(session.scalars(select(m.Coding.id).where(m.Coding.code_id.in_(ids))))
    memos = _count(session, m.Memo, m.Memo.code_id, ids)
    memos += _count(session, m.Memo, m.Memo.coding_id, coding_ids) if coding_ids else 0
    return DeletionImpact(
        code=code_info(code),
        subcodes=len(ids) - 1,
        codings=len(coding_ids),
        memos=memos,
        suggestions=_count(session, m.Suggestion, m.Suggestion.code_id, ids),
        goal_links=_count(session, m.GoalCode, m.GoalCode.code_id, ids),
    )


def deletion_impact(project: Project, code_id: int) -> DeletionImpact:
    """What `delete_code_confirmed` would delete, for the question put to the user."""
    with reading(project) as session:
        return _impact(session, code_id)


def delete_code_confirmed(
    project: Project, code_id: int, *, confirmed: bool | DeletionImpact
) -> Changed[CodeInfo]:
    """Delete a code with its subcodes and codings, but only once the user said yes.

    Without confirmation nothing changes and ConfirmationRequiredError says what would go;
    a code with nothing attached needs no confirmation. Pass the DeletionImpact the user was
    shown as `confirmed`: if a team member has attached more since, the delete is refused with
    the new figures instead of taking their work along unasked.
    """
    with change(project, "Delete code") as work:
        impact = _impact(work.session, code_id)
        attached = impact.subcodes + impact.codings + impact.memos + impact.suggestions
        needs_question = bool(attached + impact.goal_links)
        grew = isinstance(confirmed, DeletionImpact) and _exceeds(impact, confirmed)
        if needs_question and (confirmed is False or grew):
            raise ConfirmationRequiredError(f"{impact.describe()}; confirm to delete", impact)
        info = delete_code_in(work.session, code_id)
        work.description = f"Delete code {info.name}"
    return Changed(info, work.summary)


def _exceeds(now: DeletionImpact, shown: DeletionImpact) -> bool:
    return any(
        getattr(now, field) > getattr(shown, field)
        for field in ("subcodes", "codings", "memos", "suggestions", "goal_links")
    )


# --------------------------------------------------------------------------- search


def search_codes(project: Project, text: str, *, in_definitions: bool = False) -> list[CodeHit]:
    """Codes whose name (or, if asked, description, criteria, anchors or keywords) contains
    `text`, ignoring case; in tree order, the first matching field named."""
    needle = " ".join(text.split()).casefold()
    if not needle:
        return []
    codes = list_codes(project)
    paths = code_paths(codes)
    hits: list[CodeHit] = []
    for code in codes:
        fields: list[tuple[str, str]] = [("name", code.name)]
        if in_definitions:
            fields += [
                ("description", code.description),
                ("inclusion", code.inclusion),
                ("exclusion", code.exclusion),
                ("anchors", "\n".join(code.anchors)),
                ("keywords", "\n".join(code.keywords)),
            ]
        for field, value in fields:
            if needle in " ".join(value.split()).casefold():
                hits.append(CodeHit(code, paths[code.id], field))
                break
    return hits
