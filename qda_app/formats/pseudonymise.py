"""Replacing names by pseudonyms while keeping every span over the text meaningful.

The service pseudonymises a document that may already carry codings and turns; the
`OffsetMap` moves those spans so they cover the same words afterwards. A span that starts
or ends inside a replaced name snaps outwards to the whole pseudonym, because half a
pseudonym would reveal nothing useful and break the "covers the same words" promise.
"""

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import count

from qda_app.domain.errors import InvalidInputError
from qda_app.domain.parsed import ParsedSpeaker
from qda_app.formats.csv_rows import read_csv_rows
from qda_app.formats.errors import UnreadableFileError
from qda_app.formats.transcript.labels import is_role_label

# German genitive / family plural: "Müllers", "Müller's", and "Hans'" after s, x, z.
_SUFFIX = r"(s|'s|’s|'|’)?"
# A name stands alone when no letter or digit touches it. "_" is no letter: file names such as
# "Interview_Müller" and labels such as "Müller_2" carry names too (`\w` would include "_").
_NOT_AFTER_ALNUM = r"(?<![^\W_])"
_NOT_BEFORE_ALNUM = r"(?![^\W_])"
_SIBILANT_END = ("s", "ß", "x", "z")
_CSV_HEADER_NAMES = frozenset({"name", "namen", "original", "klarname", "real", "person"})


@dataclass(frozen=True)
class Replacement:
    """Where one name stood in the old text and where its pseudonym stands in the new one."""

    old_start: int
    old_end: int
    new_start: int
    new_end: int


@dataclass(frozen=True)
class OffsetMap:
    """Maps offsets of the old text to the new text; replacements are sorted and disjoint."""

    replacements: tuple[Replacement, ...]

    @cached_property
    def _old_starts(self) -> list[int]:
        return [r.old_start for r in self.replacements]

    @cached_property
    def _old_ends(self) -> list[int]:
        return [r.old_end for r in self.replacements]

    def _shift_before(self, index: int) -> int:
        return (
            0 if index < 0 else self.replacements[index].new_end - self.replacements[index].old_end
        )

    def map_start(self, position: int) -> int:
        """A start inside a name moves to the pseudonym's start."""
        index = bisect_right(self._old_starts, position) - 1
        if index >= 0 and position < self.replacements[index].old_end:
            return self.replacements[index].new_start
        return position + self._shift_before(index)

    def map_end(self, position: int) -> int:
        """An end inside a name (or at its end) moves to the pseudonym's end."""
        index = bisect_left(self._old_ends, position)
        if index < len(self.replacements) and self.replacements[index].old_start < position:
            return self.replacements[index].new_end
        return position + self._shift_before(index - 1)

    def map_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span; it still covers the same words, snapped to whole names."""
        return self.map_start(start), max(self.map_start(start), self.map_end(end))


@dataclass(frozen=True)
class PseudonymisedText:
    text: str
    offsets: OffsetMap


def _cased(pseudonym: str, found: str, name: str) -> str | None:
    """The pseudonym in the case the name was written in, or None if it is no name here.

    An all-lower-case occurrence of a capitalised name ("klein" for the name "Klein") is an
    ordinary word and stays.
    """
    if found.isupper() and not name.isupper() and len(found) > 1:
        return pseudonym.upper()
    if found.islower() and not name.islower():
        return None
    return pseudonym


def _normalised(mapping: Mapping[str, str]) -> dict[str, str]:
    """Names and pseudonyms in NFC, as the stored text is: a decomposed "Müller" (typed on a
    Mac, or read from an NFD file name) must still find the name."""
    names: dict[str, str] = {}
    for raw_name, raw_pseudonym in mapping.items():
        name = unicodedata.normalize("NFC", raw_name.strip())
        pseudonym = unicodedata.normalize("NFC", raw_pseudonym.strip())
        if not name:
            continue
        if not pseudonym:
            raise InvalidInputError("every name needs a non-empty pseudonym")
        if names.setdefault(name, pseudonym) != pseudonym:
            raise InvalidInputError(f"the name {name!r} has two different pseudonyms")
    return names


def _name_pattern(names: Iterable[str]) -> re.Pattern[str]:
    """One alternative per name, each with its own two groups (name, suffix).

    Which name matched is read from the group numbers, never by looking the matched text up
    again: case-insensitive matching and `casefold()` disagree for letters such as "İ", and
    a lookup miss would crash on a real transcript.
    """
    alternatives = "|".join(
        "(" + re.escape(name).replace(r"\ ", r"\s+") + ")" + _SUFFIX for name in names
    )
    return re.compile(rf"{_NOT_AFTER_ALNUM}(?:{alternatives}){_NOT_BEFORE_ALNUM}", re.IGNORECASE)


def _with_suffix(new: str, suffix: str) -> str:
    """ "Müllers" -> "Hans'": after a sibilant the genitive is an apostrophe."""
    if suffix in ("s", "S") and new.endswith(
        _SIBILANT_END + tuple(s.upper() for s in _SIBILANT_END)
    ):
        suffix = "'"
    return new + suffix


def pseudonymise(text: str, mapping: Mapping[str, str]) -> PseudonymisedText:
    """Replace every name of `mapping` (whole words, case-aware, with genitive s) in one pass."""
    names = _normalised(mapping)
    if not names:
        return PseudonymisedText(text, OffsetMap(()))
    ordered = sorted(names, key=len, reverse=True)  # the longest name wins
    pattern = _name_pattern(ordered)
    pieces: list[str] = []
    replacements: list[Replacement] = []
    previous = 0
    position = 0
    for match in pattern.finditer(text):
        # Groups come in pairs (name, suffix); the last one that matched tells the pair.
        index = (match.lastindex or 1) - 1
        name = ordered[index // 2]
        found = match.group(index // 2 * 2 + 1)
        new = _cased(names[name], found, name)
        if new is None:
            continue
        new = _with_suffix(new, match.group(index // 2 * 2 + 2) or "")
        pieces.append(text[previous : match.start()])
        position += match.start() - previous
        replacements.append(Replacement(match.start(), match.end(), position, position + len(new)))
        pieces.append(new)
        position += len(new)
        previous = match.end()
    pieces.append(text[previous:])
    return PseudonymisedText("".join(pieces), OffsetMap(tuple(replacements)))


def _letters(index: int) -> str:
    """A, B, ..., Z, AA, AB, ... (spreadsheet column style)."""
    result = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        result = chr(ord("A") + remainder) + result
    return result


def _free_pseudonyms(prefix: str, taken: Collection[str]) -> Iterator[str]:
    """ "Person A", "Person B", ... leaving out those already given to someone else."""
    for index in count():
        candidate = f"{prefix} {_letters(index)}"
        if candidate not in taken:
            yield candidate


def propose_pseudonyms(
    speakers: Iterable[ParsedSpeaker | str],
    prefix: str = "Person",
    *,
    taken: Collection[str] = (),
) -> dict[str, str]:
    """Deterministic pseudonyms ("Person A", ...) for speakers that are named, not role labels.

    Role labels such as "I", "B1" or "Mutter" reveal nobody and stay as they are. Pseudonyms in
    `taken` (already given by the user or earlier in a batch) are skipped: two people sharing
    one pseudonym would merge them in every analysis.
    """
    free = _free_pseudonyms(prefix, frozenset(taken))
    proposals: dict[str, str] = {}
    for speaker in speakers:
        label = speaker.label if isinstance(speaker, ParsedSpeaker) else speaker
        if label in proposals or is_role_label(label):
            continue
        proposals[label] = next(free)
    return proposals


def read_pseudonym_csv(data: bytes, source_name: str = "") -> dict[str, str]:
    """Read `name,pseudonym` rows (header optional; `;`, `,` or tab; UTF-8, BOM or cp1252)."""
    rows = read_csv_rows(data, source_name)
    if rows and rows[0] and rows[0][0].strip().casefold() in _CSV_HEADER_NAMES:
        rows = rows[1:]
    mapping: dict[str, str] = {}
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        while cells and not cells[-1]:
            cells.pop()
        if len(cells) != 2 or not all(cells):
            raise UnreadableFileError(
                source_name, f"row {number} needs exactly two cells: name and pseudonym"
            )
        name, pseudonym = cells
        if mapping.get(name, pseudonym) != pseudonym:
            raise UnreadableFileError(
                source_name, f"the name {name!r} has two different pseudonyms"
            )
        mapping[name] = pseudonym
    if not mapping:
        raise UnreadableFileError(source_name, "the pseudonym list is empty")
    return mapping
