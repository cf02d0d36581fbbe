"""Speaker labels at line starts: the patterns, their normalised keys, legends and role names.

A label is proposed per line here; whether it really is a speaker is decided by the
document-level vote in `detect`, because a single line cannot tell "B:" from "Das Problem:".
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from qda_app.formats.transcript.timecodes import BRACKETED_TIME, LEAD_TIME, TIME_CORE
from qda_app.formats.transcript.wordlists import NOT_A_LABEL, SENTENCE_START

# One to four words, starting with a letter: "B1", "SPEAKER_00", "Frau Dr. Müller", "Interviewer 1".
_NAME = r"[^\W\d_][\w.'’\-]*(?:[ ][\w.'’\-]+){0,3}"

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
        [ \t]*(?P<colon>:)(?P<b4>\*\*|__)?(?=\s|$)[ \t]*(?:(?P<at>{BRACKETED_TIME})[ \t]*)?
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


@dataclass(frozen=True)
class LabelHit:
    """A label candidate at a line start, before the vote."""

    key: str
    label: str
    line_start: int
    start: int
    text_start: int
    alone: bool
    time: str | None


@lru_cache(maxsize=4096)
def speaker_key(label: str) -> str:
    """Identity of a label: case-folded letters and digits ("Interviewer 1" = "interviewer1")."""
    return _NOT_KEY.sub("", label.casefold())


def clean_label(label: str) -> str:
    """The label as written, without markdown emphasis or stray separators around it."""
    return label.strip(" \t*_:.")


def is_role_label(label: str) -> bool:
    """True for role labels (I, B2, Interviewerin, Mutter, SPEAKER_00), not personal names."""
    return _ROLE.fullmatch(label.strip()) is not None


@lru_cache(maxsize=4096)  # a transcript repeats the same few labels thousands of times
def looks_like_label(label: str, bracketed: bool = False) -> bool:
    """Whether a short text can be a speaker label at all (before any vote)."""
    words = label.split()
    if not words or len(label) > 40 or label.endswith((".", "-", "'")):
        return False
    if label.casefold() in NOT_A_LABEL or speaker_key(label) in NOT_A_LABEL:
        return False
    if bracketed and not label[0].isupper():
        return False  # "[lacht]", "[unv.]" are annotations
    # Upper-case labels ("SO:", "A:") are abbreviations, never the start of a sentence.
    return label.isupper() or words[0].casefold() not in SENTENCE_START


def hit_from_match(match: re.Match[str]) -> LabelHit | None:
    """Turn a LINE_HEAD match into a candidate, or None if its form is too weak to be a label."""
    group = match.group
    bracketed = group("blabel") is not None
    raw = group("blabel") if bracketed else group("label")
    bold = group("b1") is not None or group("b2") is not None or group("b3") is not None
    times = group("lt") or group("tt") or group("ot") or group("at")
    alone = group("alone") is not None
    if group("colon") is None:
        # Without a colon, a label needs a second sign: brackets, bold or a time mark; text on
        # the same line is only allowed after brackets, bold or a bracketed time.
        strong = bracketed or bold or group("lt") or group("tt") or group("ot")
        if not strong or (not alone and not (bracketed or bold or group("tt"))):
            return None
    label = clean_label(raw)
    if not looks_like_label(label, bracketed):
        return None
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
