"""REFI-QDA codebooks (.qdc): a strict writer and a lenient reader.

We write what the schema allows and nothing else (checked against the bundled Codebook.xsd before
the bytes leave this module); we read what NVivo, MAXQDA, ATLAS.ti, QualCoder and Taguette really
write (see shared/refi-qda/NOTES.md) and report every repair as a warning instead of failing.
The codebook's name and language have no slot in a .qdc: the caller passes the name (usually the
file stem) and the language is recognised from the section headings of the descriptions.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, TypeVar

from qda_app.domain.codebook import Codebook, CodebookCode, CodeSet, name_key, palette_color
from qda_app.domain.errors import InvalidInputError
from qda_app.domain.ids import new_guid, normalise_guid
from qda_app.formats.codebook_text import DefinitionParts, compose, parse

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from xml.etree.ElementTree import Element

    from lxml.etree import XMLSchema

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
DEFAULT_ORIGIN = "QDA App"
_MAX_QDE_BYTES = 256 * 1024 * 1024
#: Real codebooks stay within a handful of levels; deeper ones are broken or hostile. The cap keeps
#: every walk over a code tree (here, in the domain, in writers and merges) far from Python's
#: recursion limit, which a file with thousands of nested codes would otherwise hit.
MAX_CODE_DEPTH = 100
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
_RGB = re.compile(r"^rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,\s*[\d.]+%?\s*)?\)$")
_T = TypeVar("_T")


class CodebookFormatError(InvalidInputError):
    """A codebook file that cannot be read at all; the message is one line for the user."""


@dataclass(frozen=True)
class CodebookReadResult:
    """The codebook and, in the order met, what was repaired or dropped on the way in."""

    codebook: Codebook
    warnings: tuple[str, ...] = ()


def schema_path(name: str = "Codebook.xsd") -> str:
    """Where the bundled REFI-QDA schema lives, for validators outside this module."""
    return str(resources.files("qda_app") / "resources" / "refi-qda" / name)


# --------------------------------------------------------------------------- writing


def _clean(text: str) -> str:
    # lxml refuses control characters outright; they never carry meaning in a codebook.
    return _XML_ILLEGAL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def description_text(code: CodebookCode, language: str) -> str:
    """The Description a .qdc carries for a code: definition plus headed sections."""
    parts = DefinitionParts(
        description=code.description,
        inclusion=code.inclusion,
        exclusion=code.exclusion,
        anchors=code.anchors,
        keywords=code.keywords,
    )
    return _clean(compose(parts, language))


def write_qdc(codebook: Codebook) -> bytes:
    """A .qdc valid against Codebook.xsd; same codebook, same bytes (for diffs and tests)."""
    from lxml import etree

    def element(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{CODEBOOK_NS}}}{tag}", attributes)

    def add_code(parent: etree._Element, code: CodebookCode) -> None:
        node = element(
            parent,
            "Code",
            guid=code.guid,
            name=_clean(code.name),
            isCodable="true" if code.codable else "false",
            color=code.color,
        )
        text = description_text(code, codebook.language)
        if text:
            element(node, "Description").text = text
        for child in code.children:
            add_code(node, child)

    if not codebook.codes:
        raise CodebookFormatError("a REFI-QDA codebook needs at least one code")
    root = etree.Element(
        f"{{{CODEBOOK_NS}}}CodeBook",
        {"origin": _clean(codebook.origin) or DEFAULT_ORIGIN},
        nsmap={None: CODEBOOK_NS},
    )
    codes = element(root, "Codes")
    for code in codebook.codes:
        add_code(codes, code)
    if codebook.sets:
        sets = element(root, "Sets")
        for code_set in codebook.sets:
            node = element(sets, "Set", guid=code_set.guid, name=_clean(code_set.name))
            if code_set.description.strip():
                element(node, "Description").text = _clean(code_set.description.strip())
            for member in code_set.member_guids:
                element(node, "MemberCode", guid=member)
    schema = _schema()
    if not schema.validate(root):
        error = schema.error_log.last_error
        raise CodebookFormatError(f"refusing to write an invalid .qdc: {error.message}")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@cache
def _schema() -> XMLSchema:
    from lxml import etree

    return etree.XMLSchema(etree.parse(schema_path("Codebook.xsd")))


# --------------------------------------------------------------------------- reading


@dataclass
class _Node:
    """A code as found in the file, before GUIDs, colours and `::` names are repaired."""

    raw_guid: str | None
    name: str
    raw_color: str | None
    codable: bool
    parts: DefinitionParts
    children: list[_Node] = field(default_factory=list)
    synthetic: bool = False  # a folder we made up for `Parent::Child` names
    path: str = ""  # a made-up folder's `Parent::Child` path, which gives it its colour


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _child(element: Element, name: str) -> Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _text(element: Element | None) -> str:
    return "".join(element.itertext()) if element is not None else ""


def _check_code_depth(roots: Iterable[_T], children: Callable[[_T], Iterable[_T]]) -> None:
    """Refuse trees deeper than MAX_CODE_DEPTH before anything walks them recursively.

    Iterative on purpose: the check must not overflow the stack it protects.
    """
    stack = [(root, 1) for root in roots]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_CODE_DEPTH:
            raise CodebookFormatError(f"codes nested deeper than {MAX_CODE_DEPTH} levels")
        stack.extend((child, depth + 1) for child in children(item))


def _unzip_project(data: bytes) -> bytes:
    """A .qdpx is a zip with one project.qde at its root (any case, any name)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise CodebookFormatError("the file is a damaged zip archive") from None
    with archive:
        members = [
            info
            for info in archive.infolist()
            if "/" not in info.filename.strip("/") and info.filename.lower().endswith(".qde")
        ]
        if len(members) != 1:
            raise CodebookFormatError("the zip holds no single .qde project file at its root")
        if members[0].file_size > _MAX_QDE_BYTES:
            raise CodebookFormatError("the .qde project file in the zip is too large")
        try:
            return archive.read(members[0])
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as error:
            raise CodebookFormatError(
                f"the .qde project file in the zip is damaged ({error})"
            ) from None
        except (NotImplementedError, RuntimeError):  # an unknown compression, or encrypted
            raise CodebookFormatError(
                "the .qde project file in the zip is encrypted or uses an unsupported compression"
            ) from None


def _parse_xml(data: bytes) -> Element:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    if data.startswith(b"PK\x03\x04"):
        data = _unzip_project(data)
    data = data.removeprefix(b"\xef\xbb\xbf")
    if not data.strip():
        raise CodebookFormatError("the file is empty")
    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise CodebookFormatError(
            "refused: the file declares a DTD or entities, which a codebook never needs"
        ) from None
    except ParseError as error:
        line, column = error.position
        raise CodebookFormatError(f"not well-formed XML (line {line}, column {column})") from None


@dataclass
class _NameIndex:
    """Where each name sits in one sibling list, so placing a code needs no scan of the list."""

    first: dict[str, int] = field(default_factory=dict)  # first sibling of the name
    folders: dict[str, list[int]] = field(default_factory=dict)  # made-up folders, in order
    seen: int = 0  # siblings indexed so far


def _folder_color(path: str) -> str:
    """A made-up folder's colour, from its path alone.

    Not from its position: a colleague's re-export with one code more would shift every folder
    after it, and a merge would show each shifted folder as "definition changed: color".
    """
    return palette_color(zlib.crc32(name_key(path).encode("utf-8")))


class _Reader:
    """One read: collects warnings and the GUID map that sets need."""

    def __init__(self, split_names: bool | None) -> None:
        self.split_names = split_names
        self.warnings: list[str] = []
        self.guid_map: dict[str, str] = {}  # normalised GUID in the file -> GUID we kept
        self.counts: dict[str, int] = {}
        # Keyed by id() of a sibling list, which the entry keeps alive so the id stays unique.
        self.name_indexes: dict[int, tuple[list[_Node], _NameIndex]] = {}

    def count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    def read(self, data: bytes, name: str, language: str | None) -> Codebook:
        root = _parse_xml(data)
        kind = _local(root.tag)
        namespace = _namespace(root.tag)
        if kind == "CodeBook":
            codebook_element: Element | None = root
        elif kind == "Project":
            codebook_element = _child(root, "CodeBook")
        else:
            raise CodebookFormatError(
                f"not a REFI-QDA codebook or project: the root element is <{kind}>"
            )
        if namespace not in ("", CODEBOOK_NS, PROJECT_NS):
            self.warnings.append(f"unknown XML namespace {namespace!r}; read it anyway")
        codes = _child(codebook_element, "Codes") if codebook_element is not None else None
        found = _children(codes, "Code") if codes is not None else []
        _check_code_depth(found, lambda element: _children(element, "Code"))
        nodes = [self.node(element) for element in found]
        if not nodes:
            raise CodebookFormatError("the file holds no codes")
        origin = (root.get("origin") or "").strip()
        if self.should_split(nodes, origin):
            nodes = self.split(nodes)
            _check_code_depth(nodes, lambda node: node.children)  # `a::b::...` adds levels
        built = self.build(nodes, [0])
        self.report_counts()
        sets = self.sets(root, member_attribute="guid" if kind == "CodeBook" else "targetGUID")
        languages = [p.language for p in self.all_parts(nodes) if p.language]
        detected = max(set(languages), key=languages.count) if languages else ""
        return Codebook(
            name=name,
            origin=origin,
            language=detected if language is None else language,
            codes=tuple(built),
            sets=tuple(sets),
        )

    def node(self, element: Element) -> _Node:
        name = " ".join((element.get("name") or "").split())
        if not name:
            self.count("codes without a name, now called 'Unnamed code'")
            name = "Unnamed code"
        codable_text = (element.get("isCodable") or "").strip().lower()
        if codable_text not in ("true", "false", "1", "0"):
            self.count("codes without a valid isCodable, now codable")
        if _children(element, "NoteRef"):
            self.count("codes with notes (NoteRef) a codebook cannot carry, notes dropped")
        return _Node(
            raw_guid=element.get("guid"),
            name=name,
            raw_color=element.get("color"),
            codable=codable_text != "false" and codable_text != "0",
            parts=parse(_text(_child(element, "Description"))),
            children=[self.node(child) for child in _children(element, "Code")],
        )

    def all_parts(self, nodes: list[_Node]) -> list[DefinitionParts]:
        return [p for node in nodes for p in (node.parts, *self.all_parts(node.children))]

    def should_split(self, nodes: list[_Node], origin: str) -> bool:
        # Only flattening exporters (ATLAS.ti 8, Taguette) write `Parent::Child`: a nested tree,
        # or one of our own files, means `::` is part of a real name.
        if self.split_names is not None:
            return self.split_names
        flat = not any(node.children for node in nodes)
        return flat and not origin.startswith(DEFAULT_ORIGIN)

    def split(self, nodes: list[_Node]) -> list[_Node]:
        result: list[_Node] = []
        for node in nodes:
            node.children = self.split(node.children)
            parts = [part.strip() for part in node.name.split("::")]
            if len(parts) == 1 or not all(parts):
                self.place(result, node)
                continue
            siblings = result
            for depth, folder_name in enumerate(parts[:-1], start=1):
                made_up = _Node(None, folder_name, None, False, DefinitionParts(), synthetic=True)
                made_up.path = "::".join(parts[:depth])
                folder = self.place(siblings, made_up)
                siblings = folder.children
            node.name = parts[-1]
            self.place(siblings, node)
        return result

    def place(self, siblings: list[_Node], node: _Node) -> _Node:
        """Add `node`, merging it with a sibling of the same name that `::` splitting made.

        A made-up folder merges into the first sibling of its name; a real code takes the place
        of the first made-up folder of its name; two real codes of one name stay apart.
        """
        index = self.name_index(siblings)
        if node.synthetic:
            position = index.first.get(node.name)
        else:
            folders = index.folders.get(node.name)
            position = folders.pop(0) if folders else None
        if position is None:
            siblings.append(node)
            return node
        existing = siblings[position]
        if not node.synthetic:  # `existing` is a made-up folder: the real code replaces it
            node.children = existing.children + node.children
            siblings[position] = node
            return node
        existing.children.extend(node.children)
        return existing

    def name_index(self, siblings: list[_Node]) -> _NameIndex:
        """The index of `siblings`, brought up to date with what was appended since.

        Sibling lists only grow or have a folder replaced by a code of the same name, so
        positions once indexed stay right, and a flat file of 100,000 codes stays linear.
        """
        entry = self.name_indexes.setdefault(id(siblings), (siblings, _NameIndex()))
        index = entry[1]
        for position in range(index.seen, len(siblings)):
            node = siblings[position]
            index.first.setdefault(node.name, position)
            if node.synthetic:
                index.folders.setdefault(node.name, []).append(position)
        index.seen = len(siblings)
        return index

    def guid(self, node: _Node) -> str:
        raw = (node.raw_guid or "").strip()
        if node.synthetic:
            self.count("folders made from 'Parent::Child' names")
            return new_guid()
        if not raw:
            self.count("codes without a GUID, given a new one")
            return new_guid()
        try:
            guid = normalise_guid(raw)
        except ValueError:
            self.warnings.append(f"code {node.name!r}: {raw!r} is not a GUID; gave it a new one")
            return new_guid()
        if guid in self.guid_map:
            fresh = new_guid()
            self.warnings.append(
                f"code {node.name!r}: GUID {guid} is used twice; gave it the new GUID {fresh}"
            )
            return fresh
        self.guid_map[guid] = guid
        return guid

    def color(self, node: _Node, position: int) -> str:
        raw = (node.raw_color or "").strip()
        fallback = palette_color(position)
        if not raw:
            self.count("codes without a colour, given one from the palette")
            return fallback
        hex_match = _HEX.match(raw)
        if hex_match:
            digits = hex_match.group(1).lower()
            if len(digits) == 3:
                return "#" + "".join(c * 2 for c in digits)
            if len(digits) == 8:
                self.count("colours with transparency, transparency dropped")
            return "#" + digits[:6]
        rgb_match = _RGB.match(raw.lower())
        if rgb_match and all(int(v) <= 255 for v in rgb_match.groups()):
            return "#" + "".join(f"{int(v):02x}" for v in rgb_match.groups())
        self.warnings.append(f"code {node.name!r}: colour {raw!r} not understood; used {fallback}")
        return fallback

    def build(self, nodes: list[_Node], position: list[int]) -> list[CodebookCode]:
        built: list[CodebookCode] = []
        for node in nodes:
            guid = self.guid(node)
            color = _folder_color(node.path) if node.synthetic else self.color(node, position[0])
            position[0] += 1
            built.append(
                CodebookCode(
                    guid=guid,
                    name=node.name,
                    color=color,
                    description=node.parts.description,
                    inclusion=node.parts.inclusion,
                    exclusion=node.parts.exclusion,
                    anchors=node.parts.anchors,
                    keywords=node.parts.keywords,
                    codable=node.codable,
                    children=tuple(self.build(node.children, position)),
                )
            )
        return built

    def sets(self, root: Element, member_attribute: str) -> list[CodeSet]:
        sets_element = _child(root, "Sets")
        if sets_element is None:
            return []
        result: list[CodeSet] = []
        seen: set[str] = set()
        for element in _children(sets_element, "Set"):
            name = " ".join((element.get("name") or "").split()) or "Unnamed set"
            members: dict[str, None] = {}  # ordered and without a scan per member
            for member in _children(element, "MemberCode"):
                raw = member.get(member_attribute) or member.get("guid") or ""
                try:
                    guid = self.guid_map[normalise_guid(raw)]
                except (ValueError, KeyError):
                    self.warnings.append(f"set {name!r}: dropped unknown member {raw!r}")
                    continue
                members.setdefault(guid)
            others = len(element) - len(_children(element, "MemberCode"))
            others -= len(_children(element, "Description"))
            if others:
                self.warnings.append(f"set {name!r}: dropped {others} document or note members")
                if not members:
                    continue
            try:
                guid = normalise_guid(element.get("guid") or "")
            except ValueError:
                guid = new_guid()
            if guid in seen:
                guid = new_guid()
            seen.add(guid)
            description = _text(_child(element, "Description")).strip()
            result.append(CodeSet(guid, name, description, tuple(members)))
        return result

    def report_counts(self) -> None:
        self.warnings.extend(f"{what}: {number}" for what, number in self.counts.items())


def read_qdc(
    data: bytes,
    *,
    name: str = "Codebook",
    language: str | None = None,
    split_names: bool | None = None,
) -> CodebookReadResult:
    """Read a .qdc, a project .qde or a .qdpx archive's codebook from raw bytes.

    `split_names=None` splits `Parent::Child` names only in flat codebooks not written by us;
    `True`/`False` force it. `language=None` recognises it from the description headings.
    Raises CodebookFormatError when nothing usable is in the file.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    reader = _Reader(split_names)
    codebook = reader.read(data, name, language)
    return CodebookReadResult(codebook=codebook, warnings=tuple(reader.warnings))
