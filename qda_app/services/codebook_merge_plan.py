"""Planning a team merge of two codebooks, without touching a database.

A merge never deletes and never silently overwrites what a team agreed on: codes are matched by
GUID, then by name under the already matched parent (the path of names, case and blanks
ignored); new codes are added, renames and moves are applied, and changed definitions become
conflicts for the user unless `prefer="incoming"` (take theirs) or `prefer="current"` (keep
ours, listed as kept). Two codebooks without a common base cannot tell who changed a definition,
so "both changed it" and "they changed it" look the same; that is why the default asks.

A path match means the names are the same to the team, so our spelling is kept (no rename).
The plan is a list of operations in an order that can be applied one by one (renames of codes
that stay put first, so a new code may take a freed name; then adds, moves and updates in tree
order, parents before children; each checked against the state the earlier ones leave), plus
conflicts and the codes that exist only here. `apply_plan` is the reference semantics; the
database service does the same, resolving every GUID in an operation to an existing code or to
one an earlier AddCode created. Sets are not merged.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Literal

from qda_app.domain.codebook import Codebook, CodebookCode, CodeEntry, name_key

Prefer = Literal["ask", "incoming", "current"]
FieldValue = str | bool | tuple[str, ...]


class MatchKind(StrEnum):
    GUID = "guid"
    PATH = "path"


class ConflictKind(StrEnum):
    DEFINITION = "definition changed"
    COLLISION = "name collision"
    CYCLE = "move into own subtree"
    DUPLICATE = "two incoming codes match one code"


@dataclass(frozen=True)
class FieldChange:
    field: str
    current: FieldValue
    incoming: FieldValue


@dataclass(frozen=True)
class AddCode:
    """Create `code` (no children; they follow as their own AddCode) under `parent_guid`."""

    code: CodebookCode
    parent_guid: str | None
    position: int  # index among the incoming siblings, a hint for ordering
    path: str


@dataclass(frozen=True)
class RenameCode:
    guid: str
    old_name: str
    new_name: str
    path: str  # before the rename


@dataclass(frozen=True)
class MoveCode:
    guid: str
    old_parent_guid: str | None
    new_parent_guid: str | None
    old_path: str
    new_path: str


@dataclass(frozen=True)
class UpdateCode:
    """Replace the listed definition fields with their `incoming` values."""

    guid: str
    path: str
    changes: tuple[FieldChange, ...]


MergeOperation = AddCode | RenameCode | MoveCode | UpdateCode


@dataclass(frozen=True)
class CodeMatch:
    incoming_guid: str
    current_guid: str
    by: MatchKind


@dataclass(frozen=True)
class MergeConflict:
    """Something the plan did not do; the user decides by hand or with another `prefer`."""

    kind: ConflictKind
    path: str
    message: str
    incoming_guid: str
    current_guid: str | None = None
    changes: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class MergePlan:
    operations: tuple[MergeOperation, ...]
    conflicts: tuple[MergeConflict, ...]
    matches: tuple[CodeMatch, ...]
    only_here: tuple[str, ...]  # paths of current codes the incoming codebook lacks; kept
    kept: tuple[UpdateCode, ...] = ()  # definition changes declined by prefer="current"
    unchanged: int = 0

    def _of(self, kind: type) -> list:
        return [op for op in self.operations if isinstance(op, kind)]

    @property
    def added(self) -> list[AddCode]:
        return self._of(AddCode)

    @property
    def renamed(self) -> list[RenameCode]:
        return self._of(RenameCode)

    @property
    def moved(self) -> list[MoveCode]:
        return self._of(MoveCode)

    @property
    def updated(self) -> list[UpdateCode]:
        return self._of(UpdateCode)


@dataclass
class _Tree:
    """The code tree as it will be after the operations planned so far."""

    parent: dict[str, str | None] = field(default_factory=dict)
    name: dict[str, str] = field(default_factory=dict)

    def add(self, guid: str, parent: str | None, name: str) -> None:
        self.parent[guid] = parent
        self.name[guid] = name

    def path(self, guid: str | None) -> str:
        names: list[str] = []
        while guid is not None:
            names.append(self.name[guid])
            guid = self.parent[guid]
        return "/".join(reversed(names))

    def path_under(self, parent: str | None, name: str) -> str:
        return f"{self.path(parent)}/{name}" if parent else name

    def clash(self, parent: str | None, name: str, itself: str | None) -> str | None:
        key = name_key(name)
        for guid, guid_parent in self.parent.items():
            if guid_parent == parent and guid != itself and name_key(self.name[guid]) == key:
                return guid
        return None

    def is_inside(self, guid: str, ancestor: str) -> bool:
        node: str | None = guid
        while node is not None:
            if node == ancestor:
                return True
            node = self.parent[node]
        return False


def _changes(current: CodebookCode, incoming: CodebookCode) -> tuple[FieldChange, ...]:
    ours, theirs = current.definition_fields(), incoming.definition_fields()
    return tuple(FieldChange(k, ours[k], theirs[k]) for k in ours if ours[k] != theirs[k])


class _Planner:
    def __init__(self, current: Codebook, incoming: Codebook, prefer: Prefer) -> None:
        self.current = current.entries_by_guid()
        self.incoming = list(incoming.walk())
        self.prefer = prefer
        self.tree = _Tree()
        for entry in current.walk():
            self.tree.add(entry.code.guid, entry.parent_guid, entry.code.name)
        self.target: dict[str, str] = {}  # incoming GUID -> GUID of that code in the result
        self.matches: dict[str, CodeMatch] = {}
        self.duplicates: dict[str, str] = {}  # incoming GUID -> current GUID matched before
        self.operations: list[MergeOperation] = []
        self.conflicts: list[MergeConflict] = []
        self.kept: list[UpdateCode] = []
        self.unchanged = 0
        self.renamed: set[str] = set()  # current GUIDs renamed before the main pass

    def match(self) -> None:
        claimed: dict[str, MatchKind] = {}
        for entry in self.incoming:
            if entry.code.guid in self.current:
                claimed[entry.code.guid] = MatchKind.GUID
                self.matches[entry.code.guid] = CodeMatch(
                    entry.code.guid, entry.code.guid, MatchKind.GUID
                )
        by_place: dict[tuple[str | None, str], list[str]] = {}
        for guid, entry in self.current.items():
            by_place.setdefault((entry.parent_guid, name_key(entry.code.name)), []).append(guid)
        for entry in self.incoming:  # pre-order: parents are resolved before their children
            guid = entry.code.guid
            parent = self.target[entry.parent_guid] if entry.parent_guid else None
            if guid in self.matches:
                self.target[guid] = guid
                continue
            candidates = by_place.get((parent, name_key(entry.code.name)), [])
            free = [c for c in candidates if c not in claimed]
            taken_by_path = [c for c in candidates if claimed.get(c) == MatchKind.PATH]
            if free:
                claimed[free[0]] = MatchKind.PATH
                self.matches[guid] = CodeMatch(guid, free[0], MatchKind.PATH)
                self.target[guid] = free[0]
            elif taken_by_path:
                self.duplicates[guid] = taken_by_path[0]
                self.target[guid] = taken_by_path[0]  # its children join the matched code
            else:
                self.target[guid] = guid

    def conflict(
        self,
        kind: ConflictKind,
        entry: CodeEntry,
        message: str,
        current_guid: str | None = None,
        changes: tuple[FieldChange, ...] = (),
    ) -> None:
        self.conflicts.append(
            MergeConflict(kind, entry.path, message, entry.code.guid, current_guid, changes)
        )

    def plan(self) -> None:
        self.plan_renames_in_place()
        for entry in self.incoming:
            parent = self.target[entry.parent_guid] if entry.parent_guid else None
            if entry.code.guid in self.duplicates:
                other = self.duplicates[entry.code.guid]
                self.conflict(
                    ConflictKind.DUPLICATE,
                    entry,
                    f"another incoming code already matched {self.tree.path(other)!r}; "
                    "this one was not merged (its subcodes were)",
                    current_guid=other,
                    changes=_changes(self.current[other].code, entry.code),
                )
            elif entry.code.guid in self.matches:
                self.plan_matched(entry, self.matches[entry.code.guid].current_guid, parent)
            else:
                self.plan_added(entry, parent)

    def plan_renames_in_place(self) -> None:
        """Rename codes that stay where they are first, so a new code may take a freed name.

        A rename that would clash now is left to `plan_matched`, which reports it.
        """
        for entry in self.incoming:
            match = self.matches.get(entry.code.guid)
            if match is None:
                continue
            guid, name = match.current_guid, entry.code.name
            parent = self.target[entry.parent_guid] if entry.parent_guid else None
            old_name = self.tree.name[guid]
            if parent != self.tree.parent[guid] or name == old_name or match.by == MatchKind.PATH:
                continue
            if not self.tree.clash(parent, name, guid):
                self.operations.append(RenameCode(guid, old_name, name, self.tree.path(guid)))
                self.tree.name[guid] = name
                self.renamed.add(guid)

    def plan_added(self, entry: CodeEntry, parent: str | None) -> None:
        name = entry.code.name
        wanted = self.tree.path_under(parent, name)
        if self.tree.clash(parent, name, None):
            number = 1
            while self.tree.clash(parent, f"{entry.code.name} (incoming {number})", None):
                number += 1
            name = f"{entry.code.name} (incoming {number})"
            self.conflict(
                ConflictKind.COLLISION,
                entry,
                f"a different code is already called {wanted!r}; added as {name!r}",
            )
        code = replace(entry.code.without_children(), name=name)
        self.tree.add(code.guid, parent, name)
        self.operations.append(AddCode(code, parent, entry.index, self.tree.path(code.guid)))

    def plan_matched(self, entry: CodeEntry, guid: str, parent: str | None) -> None:
        ours = self.current[guid].code
        old_parent, old_name = self.tree.parent[guid], self.tree.name[guid]
        old_path = self.tree.path(guid)
        move = parent != old_parent
        if move and parent is not None and self.tree.is_inside(parent, guid):
            self.conflict(
                ConflictKind.CYCLE,
                entry,
                f"cannot move {old_path!r} into its own subcode {self.tree.path(parent)!r}",
                current_guid=guid,
            )
            move = False
        # A path match already says the names are the same to the team; keep our spelling.
        by_path = self.matches[entry.code.guid].by == MatchKind.PATH
        rename = entry.code.name != old_name and not by_path
        target_parent = parent if move else old_parent
        target_name = entry.code.name if rename else old_name
        if (move or rename) and self.tree.clash(target_parent, target_name, guid):
            wanted = self.tree.path_under(target_parent, target_name)
            if move and not self.tree.clash(parent, old_name, guid):
                rename = False
            elif rename and not self.tree.clash(old_parent, entry.code.name, guid):
                move = False
            else:
                move = rename = False
            self.conflict(
                ConflictKind.COLLISION,
                entry,
                f"{old_path!r} would become {wanted!r}, which a different code already is",
                current_guid=guid,
            )
        if move:
            self.tree.parent[guid] = parent
            new_path = self.tree.path(guid)
            self.operations.append(MoveCode(guid, old_parent, parent, old_path, new_path))
        if rename:
            self.operations.append(
                RenameCode(guid, old_name, entry.code.name, self.tree.path(guid))
            )
            self.tree.name[guid] = entry.code.name
        changes = _changes(ours, entry.code)
        if changes:
            update = UpdateCode(guid, self.tree.path(guid), changes)
            if self.prefer == "incoming":
                self.operations.append(update)
            elif self.prefer == "current":
                self.kept.append(update)
            else:
                self.conflict(
                    ConflictKind.DEFINITION,
                    entry,
                    "the definition differs: " + ", ".join(c.field for c in changes),
                    current_guid=guid,
                    changes=changes,
                )
        if not (move or rename or changes or guid in self.renamed):
            self.unchanged += 1


def plan_merge(current: Codebook, incoming: Codebook, prefer: Prefer = "ask") -> MergePlan:
    """What merging `incoming` into `current` would do; neither codebook is changed."""
    planner = _Planner(current, incoming, prefer)
    planner.match()
    planner.plan()
    matched = {match.current_guid for match in planner.matches.values()}
    only_here = tuple(entry.path for entry in current.walk() if entry.code.guid not in matched)
    return MergePlan(
        operations=tuple(planner.operations),
        conflicts=tuple(planner.conflicts),
        matches=tuple(planner.matches.values()),
        only_here=only_here,
        kept=tuple(planner.kept),
        unchanged=planner.unchanged,
    )


def apply_plan(current: Codebook, plan: MergePlan) -> Codebook:
    """The codebook the plan leads to, for a preview and as the reference for the database apply.

    Added and moved codes go after their new siblings; sets are kept as they are.
    """
    fields: dict[str, CodebookCode] = {}
    parent: dict[str, str | None] = {}
    children: dict[str | None, list[str]] = {None: []}
    for entry in current.walk():
        fields[entry.code.guid] = entry.code.without_children()
        parent[entry.code.guid] = entry.parent_guid
        children.setdefault(entry.parent_guid, []).append(entry.code.guid)
    for op in plan.operations:
        if isinstance(op, AddCode):
            fields[op.code.guid] = op.code
            parent[op.code.guid] = op.parent_guid
            children.setdefault(op.parent_guid, []).append(op.code.guid)
        elif isinstance(op, MoveCode):
            children[parent[op.guid]].remove(op.guid)
            children.setdefault(op.new_parent_guid, []).append(op.guid)
            parent[op.guid] = op.new_parent_guid
        elif isinstance(op, RenameCode):
            fields[op.guid] = replace(fields[op.guid], name=op.new_name)
        else:
            values = {change.field: change.incoming for change in op.changes}
            fields[op.guid] = replace(fields[op.guid], **values)  # type: ignore[arg-type]

    def build(guid: str) -> CodebookCode:
        kids = tuple(build(child) for child in children.get(guid, []))
        return replace(fields[guid], children=kids)

    return replace(current, codes=tuple(build(guid) for guid in children[None]))


def _show(value: FieldValue) -> str:
    if isinstance(value, tuple):
        return "; ".join(value) or "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = " ".join(value.split())
    return (text[:60] + "…" if len(text) > 60 else text) or "(empty)"


def describe_plan(plan: MergePlan) -> list[str]:
    """The report the CLI prints and the merge dialog shows, one line per fact."""
    lines = [
        f"{len(plan.added)} new, {len(plan.renamed)} renamed, {len(plan.moved)} moved, "
        f"{len(plan.updated)} definitions updated, {len(plan.conflicts)} conflicts, "
        f"{len(plan.only_here)} only here (kept), {plan.unchanged} unchanged"
    ]
    for op in plan.operations:
        if isinstance(op, AddCode):
            lines.append(f"+ new: {op.path}")
        elif isinstance(op, RenameCode):
            lines.append(f"~ renamed: {op.path} -> {op.new_name}")
        elif isinstance(op, MoveCode):
            lines.append(f"> moved: {op.old_path} -> {op.new_path}")
        else:
            fields = ", ".join(change.field for change in op.changes)
            lines.append(f"* definition updated: {op.path} ({fields})")
    for update in plan.kept:
        fields = ", ".join(change.field for change in update.changes)
        lines.append(f"= kept ours: {update.path} ({fields})")
    for conflict in plan.conflicts:
        lines.append(f"! conflict ({conflict.kind}): {conflict.path}: {conflict.message}")
        for change in conflict.changes:
            ours, theirs = _show(change.current), _show(change.incoming)
            lines.append(f"    {change.field}: ours {ours} | theirs {theirs}")
    lines.extend(f"- only here (kept): {path}" for path in plan.only_here)
    return lines
