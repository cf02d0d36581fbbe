"""Code sets in a project: read as codebook sets, merged from codebook files, listed.

ATLAS.ti exports its code groups as REFI-QDA `CodeBook/Sets`, and a team's codebook keeps
them; a codebook that passes through QDA App must come out with them ("nothing lost"). Sets are
merged like codes are: nothing is ever removed. An incoming set is matched to a stored one by
GUID, then by name (case and blanks ignored); an unmatched set is created with its GUID, and a
matched one gains the members it lacks. Members are code GUIDs of the incoming codebook, so they
are first translated through the code merge plan (a code matched by path has our GUID).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qda_app.domain.codebook import CodeSet, name_key
from qda_app.services.codebook_merge_plan import ConflictKind, MergePlan
from qda_app.services.codes import code_paths
from qda_app.services.project import Project, reading
from qda_app.services.snapshots import code_info
from qda_app.store import models as m


@dataclass(frozen=True)
class SetChange:
    """One set a merge creates (`new`) or adds members to; members are project code GUIDs."""

    guid: str
    name: str
    description: str
    new: bool
    added_members: tuple[str, ...]

    def describe(self) -> str:
        count = len(self.added_members)
        if self.new:
            return f"+ new set: {self.name} ({count} members)"
        return f"set {self.name}: {count} members added"


@dataclass(frozen=True)
class SetListing:
    """A stored set with its members as paths (for people) and GUIDs (for scripts)."""

    guid: str
    name: str
    description: str
    member_guids: tuple[str, ...]
    member_paths: tuple[str, ...]


def stored_sets(session: Session) -> tuple[CodeSet, ...]:
    """The project's sets in their order, members in the order they were added."""
    members: dict[int, list[str]] = {}
    query = (
        select(m.CodeSetMember.set_id, m.Code.guid)
        .join(m.Code, m.Code.id == m.CodeSetMember.code_id)
        .order_by(m.CodeSetMember.set_id, m.CodeSetMember.position, m.CodeSetMember.code_id)
    )
    for set_id, guid in session.execute(query):
        members.setdefault(set_id, []).append(guid)
    rows = session.scalars(select(m.CodeSet).order_by(m.CodeSet.position, m.CodeSet.id))
    return tuple(
        CodeSet(row.guid, row.name, row.description, tuple(members.get(row.id, []))) for row in rows
    )


def resolved_code_guids(plan: MergePlan) -> dict[str, str]:
    """Incoming code GUID -> the GUID that code has in the project once the plan is applied."""
    resolved = {op.code.guid: op.code.guid for op in plan.added}
    resolved |= {match.incoming_guid: match.current_guid for match in plan.matches}
    for conflict in plan.conflicts:  # a second code with a matched path joins the first
        if conflict.kind == ConflictKind.DUPLICATE and conflict.current_guid:
            resolved.setdefault(conflict.incoming_guid, conflict.current_guid)
    return resolved


def plan_sets(
    current: Sequence[CodeSet], incoming: Sequence[CodeSet], resolved: Mapping[str, str]
) -> tuple[SetChange, ...]:
    """The sets to create and the members to add, in the incoming order; never a removal.

    Two incoming sets that match one stored set (by GUID and by name) both add to it.
    """
    by_guid = {code_set.guid: code_set for code_set in current}
    by_name: dict[str, CodeSet] = {}
    for code_set in current:
        by_name.setdefault(name_key(code_set.name), code_set)
    have = {code_set.guid: set(code_set.member_guids) for code_set in current}
    changes: list[SetChange] = []
    for code_set in incoming:
        members = tuple(
            dict.fromkeys(resolved[guid] for guid in code_set.member_guids if guid in resolved)
        )
        match = by_guid.get(code_set.guid) or by_name.get(name_key(code_set.name))
        if match is None:
            changes.append(
                SetChange(code_set.guid, code_set.name, code_set.description, True, members)
            )
            by_guid[code_set.guid] = by_name[name_key(code_set.name)] = code_set
            have[code_set.guid] = set(members)
            continue
        added = tuple(guid for guid in members if guid not in have[match.guid])
        if added:
            changes.append(SetChange(match.guid, match.name, match.description, False, added))
            have[match.guid].update(added)
    return tuple(changes)


def apply_set_changes(session: Session, changes: Sequence[SetChange]) -> None:
    """Create sets and add members inside the caller's transaction (so one undo step)."""
    if not changes:
        return
    rows = {row.guid: row for row in session.scalars(select(m.CodeSet))}
    code_ids = {guid: code_id for guid, code_id in session.execute(select(m.Code.guid, m.Code.id))}
    next_position = max((row.position for row in rows.values()), default=-1) + 1
    for set_change in changes:
        row = rows.get(set_change.guid)
        if row is None:
            row = m.CodeSet(
                guid=set_change.guid,
                name=set_change.name,
                description=set_change.description,
                position=next_position,
            )
            next_position += 1
            session.add(row)
            session.flush()
            rows[row.guid] = row
        last = session.scalar(
            select(func.max(m.CodeSetMember.position)).where(m.CodeSetMember.set_id == row.id)
        )
        start = 0 if last is None else last + 1
        for offset, guid in enumerate(set_change.added_members):
            session.add(
                m.CodeSetMember(set_id=row.id, code_id=code_ids[guid], position=start + offset)
            )
        session.flush()


def list_code_sets(project: Project) -> list[SetListing]:
    """The project's sets for a listing: members as code paths, in the set's order."""
    with reading(project) as session:
        codes = [code_info(row) for row in session.scalars(select(m.Code))]
        sets = stored_sets(session)
    paths_by_id = code_paths(codes)
    paths = {code.guid: paths_by_id[code.id] for code in codes}
    return [
        SetListing(
            code_set.guid,
            code_set.name,
            code_set.description,
            code_set.member_guids,
            tuple(paths[guid] for guid in code_set.member_guids),
        )
        for code_set in sets
    ]
