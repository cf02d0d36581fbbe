"""A codebook as a plain tree, independent of the database.

Codebook exchange (REFI-QDA .qdc, codebook JSON) and team merges work on this tree so that they
can be tested without a project; services translate it to and from stored codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from qda_app.domain.errors import InvalidInputError
from qda_app.domain.ids import normalise_guid

#: Colours given to codes that arrive without one; distinct, readable behind black text.
PALETTE: tuple[str, ...] = (
    "#e6194b",
    "#3cb44b",
    "#ffe119",
    "#4363d8",
    "#f58231",
    "#911eb4",
    "#46f0f0",
    "#f032e6",
    "#bcf60c",
    "#fabebe",
    "#008080",
    "#e6beff",
    "#9a6324",
    "#fffac8",
    "#aaffc3",
    "#808000",
)

PATH_SEPARATOR = "/"

_HEX_COLOR = re.compile(r"^#[0-9a-f]{6}$")


def palette_color(index: int) -> str:
    """A stable colour per position, so a re-import colours the same codes the same way."""
    return PALETTE[index % len(PALETTE)]


def name_key(name: str) -> str:
    """Names that differ only in case or surrounding blanks are the same code to a team."""
    return " ".join(name.split()).casefold()


def _check_guid(guid: str, what: str) -> None:
    try:
        canonical = normalise_guid(guid)
    except ValueError:
        raise InvalidInputError(f"{what}: {guid!r} is not a GUID") from None
    if canonical != guid:
        raise InvalidInputError(f"{what}: GUID {guid!r} must be lowercase without braces")


@dataclass(frozen=True)
class CodebookCode:
    """One code with everything a team agrees on; `children` makes the tree."""

    guid: str
    name: str
    color: str = PALETTE[0]
    description: str = ""
    inclusion: str = ""
    exclusion: str = ""
    anchors: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    codable: bool = True
    children: tuple[CodebookCode, ...] = ()

    def __post_init__(self) -> None:
        # Fail at construction, not deep inside a writer or a merge, when a caller forgets to
        # normalise what another program wrote.
        _check_guid(self.guid, f"code {self.name!r}")
        if not self.name.strip():
            raise InvalidInputError(f"code {self.guid}: the name is empty")
        if not _HEX_COLOR.match(self.color):
            raise InvalidInputError(f"code {self.name!r}: colour {self.color!r} is not #rrggbb")
        for item in (*self.anchors, *self.keywords):
            if not isinstance(item, str):
                raise InvalidInputError(f"code {self.name!r}: anchors and keywords must be text")

    def without_children(self) -> CodebookCode:
        """The code's own fields, for operations that must not carry a subtree along."""
        return CodebookCode(
            guid=self.guid,
            name=self.name,
            color=self.color,
            description=self.description,
            inclusion=self.inclusion,
            exclusion=self.exclusion,
            anchors=self.anchors,
            keywords=self.keywords,
            codable=self.codable,
        )

    def definition_fields(self) -> dict[str, str | bool | tuple[str, ...]]:
        """What a team means by the code, as opposed to where it sits and what it is called."""
        return {
            "color": self.color,
            "description": self.description,
            "inclusion": self.inclusion,
            "exclusion": self.exclusion,
            "anchors": self.anchors,
            "keywords": self.keywords,
            "codable": self.codable,
        }


@dataclass(frozen=True)
class CodeSet:
    """A named group of codes across the tree (ATLAS.ti code groups, REFI-QDA Sets)."""

    guid: str
    name: str
    description: str = ""
    member_guids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_guid(self.guid, f"set {self.name!r}")
        for member in self.member_guids:
            _check_guid(member, f"set {self.name!r} member")


@dataclass(frozen=True)
class CodeEntry:
    """A code seen during a walk, with where it sits, so callers need not track parents."""

    code: CodebookCode
    parent_guid: str | None
    names: tuple[str, ...]
    index: int

    @property
    def path(self) -> str:
        return PATH_SEPARATOR.join(self.names)

    @property
    def depth(self) -> int:
        return len(self.names) - 1

    @property
    def path_key(self) -> tuple[str, ...]:
        return tuple(name_key(name) for name in self.names)


def walk(
    codes: Iterable[CodebookCode],
    parent_guid: str | None = None,
    prefix: tuple[str, ...] = (),
) -> Iterator[CodeEntry]:
    """Pre-order, siblings in their order: the order of the tree view and of every file we write."""
    for index, code in enumerate(codes):
        names = (*prefix, code.name)
        yield CodeEntry(code=code, parent_guid=parent_guid, names=names, index=index)
        yield from walk(code.children, code.guid, names)


@dataclass(frozen=True)
class Codebook:
    """A named code tree plus sets; `origin` is the program that wrote it (REFI-QDA `origin`)."""

    name: str
    origin: str = ""
    language: str = ""
    codes: tuple[CodebookCode, ...] = ()
    sets: tuple[CodeSet, ...] = ()

    def __post_init__(self) -> None:
        seen: dict[str, str] = {}
        for entry in walk(self.codes):
            if entry.code.guid in seen:
                raise InvalidInputError(
                    f"GUID {entry.code.guid} is used by {seen[entry.code.guid]!r} "
                    f"and {entry.path!r}"
                )
            seen[entry.code.guid] = entry.path
        set_guids = [code_set.guid for code_set in self.sets]
        if len(set(set_guids)) != len(set_guids):
            raise InvalidInputError("two sets share one GUID")
        for code_set in self.sets:
            unknown = [guid for guid in code_set.member_guids if guid not in seen]
            if unknown:
                raise InvalidInputError(f"set {code_set.name!r} names unknown code {unknown[0]}")

    def walk(self) -> Iterator[CodeEntry]:
        return walk(self.codes)

    def entries_by_guid(self) -> dict[str, CodeEntry]:
        return {entry.code.guid: entry for entry in self.walk()}

    def find(self, guid: str) -> CodebookCode | None:
        entry = self.entries_by_guid().get(normalise_guid(guid))
        return entry.code if entry else None

    def find_path(self, path: str) -> CodebookCode | None:
        """Look a code up the way a user types it: `Bedarfe/Wohnen`, case and blanks ignored."""
        wanted = tuple(name_key(part) for part in path.split(PATH_SEPARATOR))
        for entry in self.walk():
            if entry.path_key == wanted:
                return entry.code
        return None

    @property
    def code_count(self) -> int:
        return sum(1 for _ in self.walk())
