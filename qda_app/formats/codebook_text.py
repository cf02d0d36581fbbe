"""Definition, criteria, anchor examples and keywords folded into one REFI-QDA `Description`.

REFI-QDA gives a code only a free-text description, so the parts of a Mayring/Kuckartz category
definition that have no slot travel as headed sections other programs show as plain text:

    Definition paragraph(s)

    Inclusion criteria:
    ...

    Exclusion criteria:
    ...

    Anchor examples:
    - first quote
    - second quote

    Keywords: money, rent

German headings (Einschlusskriterien:, Ausschlusskriterien:, Ankerbeispiele:, Schlüsselwörter:)
are written for German codebooks and both languages are read back. A heading counts only at the
start of the text or after a blank line, so a colon inside a definition rarely splits it.
The keyword list ends at its first blank line and the text after it goes back to the definition,
because a rule typed below the keywords ("Hinweis: Nur kodieren, wenn ...") is no keyword;
`compose` then writes it with the definition, and from there the round trip is byte-stable.
`parse(compose(x)) == x` holds when every part is stripped, keywords hold no `,`/`;`/newline,
no anchor line starts with "- ", and no part has a heading line after a blank line
(`survives_description` checks exactly this).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADINGS: dict[str, dict[str, str]] = {
    "en": {
        "inclusion": "Inclusion criteria:",
        "exclusion": "Exclusion criteria:",
        "anchors": "Anchor examples:",
        "keywords": "Keywords:",
    },
    "de": {
        "inclusion": "Einschlusskriterien:",
        "exclusion": "Ausschlusskriterien:",
        "anchors": "Ankerbeispiele:",
        "keywords": "Schlüsselwörter:",
    },
}

# Headings people type by hand; "definition" is the same word in both languages.
_ALIASES: dict[str, tuple[tuple[str, str], ...]] = {
    "description": (("", "definition"), ("de", "beschreibung")),
    "inclusion": (
        ("en", "inclusion criteria"),
        ("en", "inclusion"),
        ("de", "einschlusskriterien"),
        ("de", "einschlusskriterium"),
    ),
    "exclusion": (
        ("en", "exclusion criteria"),
        ("en", "exclusion"),
        ("de", "ausschlusskriterien"),
        ("de", "ausschlusskriterium"),
        ("de", "abgrenzung"),
    ),
    "anchors": (
        ("en", "anchor examples"),
        ("en", "anchor example"),
        ("en", "anchors"),
        ("de", "ankerbeispiele"),
        ("de", "ankerbeispiel"),
    ),
    "keywords": (
        ("en", "keywords"),
        ("de", "schlüsselwörter"),
        ("de", "schlagwörter"),
        ("de", "stichwörter"),
    ),
}
_HEADING_LOOKUP: dict[str, tuple[str, str]] = {
    alias: (part, language) for part, aliases in _ALIASES.items() for language, alias in aliases
}
_HEADING_LINE = re.compile(r"^\s*([^:\n]{3,40}?)\s*:\s*(.*)$")
_BULLET = re.compile(r"^\s*[-•*–]\s+")
_KEYWORD_SPLIT = re.compile(r"[,;\n]")


@dataclass(frozen=True)
class DefinitionParts:
    """The parts of a category definition that share one Description."""

    description: str = ""
    inclusion: str = ""
    exclusion: str = ""
    anchors: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    language: str = ""  # the language of the headings found; "" when there were none


def compose(parts: DefinitionParts, language: str) -> str:
    """The Description text; German headings for German codebooks, English otherwise."""
    headings = HEADINGS["de" if language.lower().startswith("de") else "en"]
    blocks: list[str] = []
    if parts.description.strip():
        blocks.append(parts.description.strip())
    for key in ("inclusion", "exclusion"):
        value: str = getattr(parts, key).strip()
        if value:
            blocks.append(f"{headings[key]}\n{value}")
    anchors = [anchor.strip() for anchor in parts.anchors if anchor.strip()]
    if anchors:
        blocks.append("\n".join([headings["anchors"], *(f"- {anchor}" for anchor in anchors)]))
    keywords = [keyword.strip() for keyword in parts.keywords if keyword.strip()]
    if keywords:
        blocks.append(f"{headings['keywords']} {', '.join(keywords)}")
    return "\n\n".join(blocks)


def _heading(line: str) -> tuple[str, str, str] | None:
    match = _HEADING_LINE.match(line)
    if match is None:
        return None
    found = _HEADING_LOOKUP.get(" ".join(match.group(1).split()).casefold())
    if found is None:
        return None
    return found[0], found[1], match.group(2)


def _split_anchors(lines: list[str]) -> tuple[str, ...]:
    if not any(_BULLET.match(line) for line in lines):
        # No bullets: someone wrote one example per paragraph.
        paragraphs = "\n".join(lines).split("\n\n")
        return tuple(p.strip() for p in paragraphs if p.strip())
    anchors: list[list[str]] = []
    for line in lines:
        if _BULLET.match(line):
            anchors.append([_BULLET.sub("", line, count=1)])
        elif anchors:
            anchors[-1].append(line)
        elif line.strip():
            anchors.append([line])
    return tuple(text for text in ("\n".join(a).strip() for a in anchors) if text)


def parse(text: str) -> DefinitionParts:
    """Split a Description into its parts; text without headings is all definition."""
    sections: dict[str, list[str]] = {key: [] for key in _ALIASES}
    current = "description"
    languages: list[str] = []
    previous_blank = True
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        blank = not line.strip()
        if blank and current == "keywords" and sections["keywords"]:
            # A keyword list is one paragraph: what follows ("Hinweis: Nur kodieren, wenn ...")
            # is prose, which belongs to the definition, not to the keywords.
            current = "description"
            description = sections["description"]
            while description and not description[-1].strip():
                description.pop()  # one blank line (this one) parts the definition's paragraphs
        heading = _heading(line) if previous_blank else None
        if heading is not None:
            current, language, rest = heading
            if language:
                languages.append(language)
            if rest.strip():
                sections[current].append(rest)
        else:
            sections[current].append(line)
        previous_blank = blank
    keywords = _KEYWORD_SPLIT.split("\n".join(sections["keywords"]))
    return DefinitionParts(
        description="\n".join(sections["description"]).strip(),
        inclusion="\n".join(sections["inclusion"]).strip(),
        exclusion="\n".join(sections["exclusion"]).strip(),
        anchors=_split_anchors(sections["anchors"]),
        keywords=tuple(k.strip() for k in keywords if k.strip()),
        language=_language_of(languages),
    )


def _language_of(languages: list[str]) -> str:
    # A description may mix headings someone typed by hand; the majority decides.
    if not languages:
        return ""
    german = languages.count("de")
    return "de" if german * 2 > len(languages) else "en"


def survives_description(parts: DefinitionParts, language: str = "en") -> bool:
    """Whether these parts come back unchanged from their Description text."""
    back = parse(compose(parts, language))
    return (back.description, back.inclusion, back.exclusion, back.anchors, back.keywords) == (
        parts.description,
        parts.inclusion,
        parts.exclusion,
        parts.anchors,
        parts.keywords,
    )
