"""Speaker labels at line starts: the patterns, their normalised keys, legends and role names.

A label is proposed per line here; whether it really is a speaker is decided by the
document-level vote in `detect`, because a single line cannot tell "B:" from "Das Problem:".
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from qda_app.formats.transcript.timecodes import BRACKETED_TIME, LEAD_TIME, TIME_CORE
from qda_app.formats.transcript.wordlists import NOT_A_LABEL, SENTENCE_START

# A note in brackets after a label ("B (Mutter)", "Anna Müller (Jugendamt)"). It starts with a
# letter so that "Anna (00:01:23):" stays a name with a time mark.
_NOTE = r"[ ]?\([^\W\d_][^()\n]{0,39}\)"
# One to four words, starting with a letter ("B1", "SPEAKER_00", "Frau Dr. Müller", "Interviewer
# 1"), optionally followed by a bracketed note.
_NAME = rf"[^\W\d_][\w.'’\-]*(?:[ ][\w.'’\-]+){{0,3}}(?:{_NOTE})?"
_TRAILING_NOTE = re.compile(rf"{_NOTE}$")

LINE_HEAD = re.compile(
    rf"""
    ^[ \t]*
    (?P<b1>\*\*|__)?
    (?:(?P<lt>{LEAD_TIME})[ \t]+)?
    (?P<b2>\*\*|__)?
    (?:\[(?P<blabel>{_NAME})\]|(?P<label>{_NAME}))
    (?:[ \t]*(?P<tt>{BRACKETED_TIME})|[ \t]+(?P<ot>{TIME_CORE})(?=[ \t]*$))?
    (?P<b3>\*\*|__)?
    (?:
        [ \t]*(?P<colon>:)(?P<b4>\*\*|__)?
        # "B:Das" (no blank after the colon) is marked `tight`: only a second pass may accept it.
        # A letter must follow, so "12:30" and "https://" never match; "Lehrer:innen" is German
        # gender-neutral spelling, not a label (but "B:in der Schule" is one).
        (?:(?=\s|$)|(?P<tight>)(?=[^\W\d_])(?!(?<=[^\W\d_]{3}:)in(?:nen)?\b))
        [ \t]*(?:(?P<at>{BRACKETED_TIME})[ \t]*)?
      | [ \t]*(?=$)
      | (?<=[\]\)*_\#])[ \t]+
    )
    (?P<alone>[ \t]*$)?
    """,
    re.M | re.X,
)

# Legend lines such as "(S = Student; I = Interviewer)" explain labels and are no turn.
LEGEND_LINE = re.compile(
    r"^[ \t]*\(?[ \t]*[^\W\d_]\w{0,11}[ \t]*=[^=\n]*"
    r"(?:[;,][ \t]*[^\W\d_]\w{0,11}[ \t]*=[^=\n]*)+\)?[ \t]*$",
    re.M,
)
_LEGEND_ITEM = re.compile(r"([^\W\d_]\w{0,11})[ \t]*=[ \t]*([^;,()=\n]+)")

_ROLE = re.compile(
    r"(?:i|b|ip|bp|tn|int|iv|m|s|p|q|a|r|interviewer(?:in)?|interviewte[rn]?|befragte[rn]?"
    r"|moderator(?:in)?|sprecher(?:in)?|speaker|teilnehmer(?:in)?|teilnehmende[rn]?|person"
    r"|participant|respondent|mutter|vater|kind|sohn|tochter|oma|opa|gro(?:ss|ß)(?:mutter|vater)"
    r"|eltern(?:teil)?|frage|antwort|fachkraft|sozialarbeiter(?:in)?)[ _]?\d{0,3}",
    re.I,
)


_NOT_KEY = re.compile(r"[\W_]+")
_TEXT_BELOW = re.compile(r"\n[ \t]*\S")


@dataclass(frozen=True)
class LabelHit:
    """A label candidate at a line start, before the vote.

    `tight` marks "B:text" (no blank after the colon), which never votes and only joins a label
    accepted elsewhere; `bare` marks a role word alone on its line without a colon ("Mutter"
    above the text), which counts only where such lines recur.
    """

    key: str
    label: str
    line_start: int
    start: int
    text_start: int
    alone: bool
    time: str | None
    tight: bool = False
    bare: bool = False


@lru_cache(maxsize=4096)
def speaker_key(label: str) -> str:
    """Identity of a label: case-folded letters and digits ("Interviewer 1" = "interviewer1").

    A bracketed note is part of the identity: "B (Mutter)" and "B (Vater)" are two people
    sharing a role letter, and only spacing and case are normalised ("b(mutter)" is the same).
    """
    return _NOT_KEY.sub("", label.casefold())


def clean_label(label: str) -> str:
    """The label as written, without markdown emphasis or stray separators around it."""
    return label.strip(" \t*_:.")


@lru_cache(maxsize=4096)
def split_note(label: str) -> tuple[str, str]:
    """The label before its bracketed note, and the note ("" if none): "B (Mutter)" -> B, Mutter."""
    match = _TRAILING_NOTE.search(label)
    if match is None:
        return label, ""
    return label[: match.start()].rstrip(), match.group().strip(" ()")


def is_role_label(label: str) -> bool:
    """True for role labels (I, B2, Interviewerin, Mutter, SPEAKER_00), not personal names.

    A label with a note ("B (Frau Yilmaz)") is no role label here, because the note may name
    someone; `is_role_based` is the test for how strong a label is as speaker evidence.
    """
    return _ROLE.fullmatch(label.strip()) is not None


def is_role_based(label: str) -> bool:
    """True for a role label, also with a note ("B (Mutter)"): strong evidence of a speaker."""
    return is_role_label(split_note(label)[0])


_TITLES = frozenset({"herr", "frau", "hr.", "fr.", "dr.", "prof.", "mr.", "mrs.", "ms."})


def _is_name_word(word: str) -> bool:
    letters = word.strip(".").replace("-", "").replace("'", "").replace("’", "")
    return word[:1].isupper() and letters.isalpha() and not (len(letters) > 1 and word.isupper())


@lru_cache(maxsize=4096)
def personal_form(label: str) -> str | None:
    """The personal shape of a label: "title" ("Frau Dr. Kaya"), "name" ("Ömer Kaya") or None.

    Why: a person who speaks once gets no second vote, but such a label in a conversation is
    a speaker far more often than a sentence; "Das Problem" is kept out by `looks_like_label`.
    """
    words = split_note(label)[0].split()
    titles = 0
    while titles < len(words) and words[titles].casefold() in _TITLES:
        titles += 1
    names = words[titles:]
    if not 1 <= len(names) <= 3 or not all(_is_name_word(word) for word in names):
        return None
    if titles:
        return "title"
    return "name" if len(names) >= 2 else None


@lru_cache(maxsize=4096)  # a transcript repeats the same few labels thousands of times
def looks_like_label(label: str, bracketed: bool = False) -> bool:
    """Whether a short text can be a speaker label at all (before any vote)."""
    base = split_note(label)[0]
    words = base.split()
    if not words or len(base) > 40 or base.endswith((".", "-", "'")):
        return False
    if base.casefold() in NOT_A_LABEL or speaker_key(base) in NOT_A_LABEL:
        return False
    if bracketed and not label[0].isupper():
        return False  # "[lacht]", "[unv.]" are annotations
    # Upper-case labels ("SO:", "A:") are abbreviations, never the start of a sentence.
    return base.isupper() or words[0].casefold() not in SENTENCE_START


def _text_below(match: re.Match[str]) -> bool:
    return _TEXT_BELOW.match(match.string, match.end()) is not None


def hit_from_match(match: re.Match[str]) -> LabelHit | None:
    """Turn a LINE_HEAD match into a candidate, or None if its form is too weak to be a label."""
    group = match.group
    bracketed = group("blabel") is not None
    raw = group("blabel") if bracketed else group("label")
    bold = group("b1") is not None or group("b2") is not None or group("b3") is not None
    times = group("lt") or group("tt") or group("ot") or group("at")
    alone = group("alone") is not None
    bare = False
    if group("colon") is None:
        # Without a colon, a label needs a second sign: brackets, bold or a time mark; text on
        # the same line is only allowed after brackets, bold or a bracketed time. A role word
        # alone on its line with text below is a `bare` candidate the vote treats with care.
        strong = bracketed or bold or group("lt") or group("tt") or group("ot")
        if not strong:
            bare = alone and is_role_label(clean_label(raw)) and _text_below(match)
            if not bare:
                return None
        elif not alone and not (bracketed or bold or group("tt")):
            return None
    label = clean_label(raw)
    if not looks_like_label(label, bracketed):
        return None
    base, note = split_note(label)
    if note and speaker_key(note) in NOT_A_LABEL:
        label = base  # "B (lacht):" is B, with an annotation
    line_start = match.start()
    start = line_start + len(match.group()) - len(match.group().lstrip(" \t"))
    return LabelHit(
        key=speaker_key(label),
        label=label,
        line_start=line_start,
        start=start,
        text_start=match.end(),
        alone=alone,
        time=times,
        tight=group("tight") is not None,
        bare=bare,
    )


def legend_names(text: str) -> tuple[dict[str, str], list[tuple[int, int]]]:
    """Names explained by legend lines, by speaker key, and the spans of those lines."""
    names: dict[str, str] = {}
    spans: list[tuple[int, int]] = []
    for line in LEGEND_LINE.finditer(text):
        items = _LEGEND_ITEM.findall(line.group())
        if len(items) < 2:
            continue
        spans.append((line.start(), line.end()))
        for label, name in items:
            names.setdefault(speaker_key(label), name.strip())
    return names, spans
