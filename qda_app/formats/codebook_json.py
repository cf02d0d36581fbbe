"""Codebook JSON: the whole codebook in a form made for version control and code review.

Keys are sorted, the indent is two spaces, and codes form one flat list in tree order (each with
its `parent` GUID and a derived `path`), so a change to one code is a change to one block of
lines and a move shows as a changed `parent`. Unlike a .qdc it keeps every field in its own key,
plus the codebook's name and language, so it is also the lossless backup of a codebook.
`path` is only for reading diffs; the reader rebuilds the tree from `parent` and ignores it.
"""

from __future__ import annotations

import json
from typing import Any

from qda_app.domain.codebook import Codebook, CodebookCode, CodeSet
from qda_app.domain.errors import InvalidInputError
from qda_app.domain.ids import normalise_guid
from qda_app.formats.refi_codebook import MAX_CODE_DEPTH

FORMAT = "qda-app-codebook"
VERSION = 1

_CODE_KEYS = {
    "guid": str,
    "parent": (str, type(None)),
    "path": str,
    "name": str,
    "color": str,
    "description": str,
    "inclusion": str,
    "exclusion": str,
    "anchors": list,
    "keywords": list,
    "codable": bool,
}
_SET_KEYS = {"guid": str, "name": str, "description": str, "members": list}
_TOP_KEYS = {
    "format": str,
    "version": int,
    "name": str,
    "origin": str,
    "language": str,
    "codes": list,
    "sets": list,
}


class CodebookJsonError(InvalidInputError):
    """A codebook JSON file we cannot use; one line naming the place of the problem."""


def codebook_to_dict(codebook: Codebook) -> dict[str, Any]:
    """The JSON document as plain data, for callers that embed it elsewhere."""
    codes = [
        {
            "guid": entry.code.guid,
            "parent": entry.parent_guid,
            "path": entry.path,
            "name": entry.code.name,
            "color": entry.code.color,
            "description": entry.code.description,
            "inclusion": entry.code.inclusion,
            "exclusion": entry.code.exclusion,
            "anchors": list(entry.code.anchors),
            "keywords": list(entry.code.keywords),
            "codable": entry.code.codable,
        }
        for entry in codebook.walk()
    ]
    sets = [
        {
            "guid": code_set.guid,
            "name": code_set.name,
            "description": code_set.description,
            "members": list(code_set.member_guids),
        }
        for code_set in codebook.sets
    ]
    return {
        "format": FORMAT,
        "version": VERSION,
        "name": codebook.name,
        "origin": codebook.origin,
        "language": codebook.language,
        "codes": codes,
        "sets": sets,
    }


def write_codebook_json(codebook: Codebook) -> bytes:
    """UTF-8 bytes, no ASCII escapes (umlauts stay readable in diffs), final newline."""
    text = json.dumps(codebook_to_dict(codebook), ensure_ascii=False, indent=2, sort_keys=True)
    return (text + "\n").encode("utf-8")


def _check_keys(
    data: object, allowed: dict[str, Any], required: tuple[str, ...], where: str
) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise CodebookJsonError(f"{where}: expected an object")
    for key, value in data.items():
        if key not in allowed:
            raise CodebookJsonError(f"{where}: unknown key {key!r}")
        if not isinstance(value, allowed[key]) or (allowed[key] is int and isinstance(value, bool)):
            raise CodebookJsonError(f"{where}: {key!r} has the wrong type")
    for key in required:
        if key not in data:
            raise CodebookJsonError(f"{where}: {key!r} is missing")
    return data


def _guid(value: str, where: str) -> str:
    try:
        return normalise_guid(value)
    except ValueError:
        raise CodebookJsonError(f"{where}: {value!r} is not a GUID") from None


def _texts(values: list[Any], where: str) -> tuple[str, ...]:
    if not all(isinstance(value, str) for value in values):
        raise CodebookJsonError(f"{where}: every entry must be text")
    return tuple(values)


def _build_tree(records: list[dict[str, Any]]) -> tuple[CodebookCode, ...]:
    """The tree from `parent` links; depth is checked here so that `build` cannot recurse deeply."""
    children: dict[str | None, list[str]] = {None: []}
    fields: dict[str, dict[str, Any]] = {}
    depths: dict[str, int] = {}
    for number, record in enumerate(records, start=1):
        where = f"code {number} ({record.get('name', '?')!r})"
        guid = _guid(record["guid"], where)
        parent = record.get("parent")
        parent = None if parent is None else _guid(parent, f"{where} parent")
        if guid in fields:
            raise CodebookJsonError(f"{where}: GUID {guid} is used twice")
        if parent is not None and parent not in fields:
            raise CodebookJsonError(f"{where}: parent {parent} is not listed before it")
        depths[guid] = 1 if parent is None else depths[parent] + 1
        if depths[guid] > MAX_CODE_DEPTH:
            raise CodebookJsonError(f"{where}: codes nested deeper than {MAX_CODE_DEPTH} levels")
        fields[guid] = {
            "guid": guid,
            "name": record["name"],
            "color": record.get("color", "#808080").lower(),
            "description": record.get("description", ""),
            "inclusion": record.get("inclusion", ""),
            "exclusion": record.get("exclusion", ""),
            "anchors": _texts(record.get("anchors", []), f"{where} anchors"),
            "keywords": _texts(record.get("keywords", []), f"{where} keywords"),
            "codable": record.get("codable", True),
        }
        children.setdefault(parent, []).append(guid)

    def build(guid: str) -> CodebookCode:
        kids = tuple(build(child) for child in children.get(guid, []))
        try:
            return CodebookCode(**fields[guid], children=kids)
        except InvalidInputError as error:
            raise CodebookJsonError(str(error)) from None

    return tuple(build(guid) for guid in children[None])


def read_codebook_json(data: bytes | str) -> Codebook:
    """Parse and check a codebook JSON document; every problem is one line with its place."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CodebookJsonError("the codebook JSON is not UTF-8") from None
    try:
        document = json.loads(data)
    except json.JSONDecodeError as error:
        raise CodebookJsonError(
            f"not JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except RecursionError:  # thousands of nested brackets; the format itself is flat
        raise CodebookJsonError(
            "not a codebook JSON file: arrays or objects nested too deeply"
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise CodebookJsonError(f'not a codebook JSON file ("format" must be {FORMAT!r})')
    _check_keys(document, _TOP_KEYS, ("format", "version", "name", "codes"), "codebook")
    if document["version"] > VERSION:
        raise CodebookJsonError(
            f"codebook JSON version {document['version']} is newer than this program reads"
        )
    records = [
        _check_keys(record, _CODE_KEYS, ("guid", "name"), f"code {number}")
        for number, record in enumerate(document["codes"], start=1)
    ]
    if not records:
        raise CodebookJsonError("the codebook JSON holds no codes")
    codes = _build_tree(records)
    sets = []
    for number, record in enumerate(document.get("sets", []), start=1):
        where = f"set {number}"
        _check_keys(record, _SET_KEYS, ("guid", "name"), where)
        members = _texts(record.get("members", []), f"{where} members")
        sets.append(
            CodeSet(
                guid=_guid(record["guid"], where),
                name=record["name"],
                description=record.get("description", ""),
                member_guids=tuple(_guid(member, f"{where} member") for member in members),
            )
        )
    try:
        return Codebook(
            name=document["name"],
            origin=document.get("origin", ""),
            language=document.get("language", ""),
            codes=codes,
            sets=tuple(sets),
        )
    except InvalidInputError as error:
        raise CodebookJsonError(str(error)) from None
