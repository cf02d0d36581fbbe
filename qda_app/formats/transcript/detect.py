"""Turns from plain transcript text: a document-level vote over label candidates at line starts.

Why a vote: a colon after a capitalised word at a line start is a speaker label in one file
and a sentence ("Das Problem: wir haben kein Geld") in the next. A label counts only when
it recurs at line starts, and a document needs two such labels (or one role label like
"B:" or timestamps) before it is read as a conversation at all. Once it is one, weaker
evidence joins in: a person's name said once ("Herr Yilmaz:"), "B:text" without a blank
after an accepted label, and role words alone on their line ("Mutter") when that recurs.
"""

import re
from collections import Counter
from dataclasses import dataclass

from qda_app.domain.errors import InvalidInputError
from qda_app.domain.parsed import ParsedSpeaker, ParsedTurn
from qda_app.formats.transcript.labels import (
    LINE_HEAD,
    LabelHit,
    clean_label,
    hit_from_match,
    is_role_based,
    legend_names,
    personal_form,
    speaker_key,
)
from qda_app.formats.transcript.timecodes import leading_time_ms, parse_time_ms, trailing_time_ms

NO_SPEAKERS_NOTE = "no speakers found: the text was split into paragraphs"
_MIN_REPEATS = 2
_BLOCK = re.compile(r"[^\n]+(?:\n[ \t]*[^\s][^\n]*)*")
_LINE = re.compile(r"[^\n]+")
_NON_BLANK = re.compile(r"\S")


@dataclass(frozen=True)
class Detection:
    """Turns and speakers found in a text, plus notes for the user about how it was read."""

    turns: tuple[ParsedTurn, ...]
    speakers: tuple[ParsedSpeaker, ...]
    notes: tuple[str, ...]


def detect_turns(text: str, speaker_pattern: str | None = None) -> Detection:
    """Find speaker turns in normalised `text`; without a convention, fall back to paragraphs.

    `speaker_pattern` is a user's regular expression with a named group `speaker` (and
    optionally `time`), matched at line starts; it replaces the automatic detection.
    """
    names, legend_spans = legend_names(text)
    if speaker_pattern is not None:
        hits = _user_hits(text, speaker_pattern)
    else:
        hits = _voted_hits(text, legend_spans)
    if not hits:
        return Detection(paragraph_turns(text), (), (NO_SPEAKERS_NOTE,))
    return Detection(_turns_from_hits(text, hits), _speakers(hits, names), ())


def _voted_hits(text: str, legend_spans: list[tuple[int, int]]) -> list[LabelHit]:
    legend_starts = {start for start, _ in legend_spans}
    hits = [
        hit
        for match in LINE_HEAD.finditer(text)
        if match.start() not in legend_starts and (hit := hit_from_match(match)) is not None
    ]
    hits = _bare_hits_kept(hits)
    # "B:Das" (no blank after the colon) never votes: it only joins a label accepted elsewhere,
    # so "12:30" or a URL at a line start can never start a conversation.
    voting = [hit for hit in hits if not hit.tight]
    accepted = _accepted_keys(voting)
    if accepted:
        accepted |= _one_off_keys(voting, accepted)
    return [hit for hit in hits if hit.key in accepted]


def _bare_hits_kept(hits: list[LabelHit]) -> list[LabelHit]:
    """Drop role words alone on their line unless they are a convention of the document.

    "Mutter" above a paragraph is a label only when such lines recur and each has its own text
    below (a list "Mutter / Vater / Kind" has none).
    """
    kept = [
        hit
        for index, hit in enumerate(hits)
        if not hit.bare
        or index + 1 == len(hits)
        or hits[index + 1].line_start != hit.text_start + 1
    ]
    if sum(hit.bare for hit in kept) >= _MIN_REPEATS:
        return kept
    return [hit for hit in kept if not hit.bare]


def _accepted_keys(hits: list[LabelHit]) -> set[str]:
    votes = Counter(hit.key for hit in hits)
    accepted = {key for key, count in votes.items() if count >= _MIN_REPEATS}
    # Role labels ("I:", "B (Mutter):") and labels with a time mark are strong enough to count
    # once, as long as the document has at least one other label.
    trusted = {hit.key for hit in hits if hit.time or is_role_based(hit.label)}
    if len(accepted | trusted) >= 2:
        accepted |= trusted
    if len(accepted) == 1:
        (key,) = accepted
        if not any(
            hit.time or (is_role_based(hit.label) and not hit.bare)
            for hit in hits
            if hit.key == key
        ):
            return set()
    return accepted


def _one_off_keys(hits: list[LabelHit], accepted: set[str]) -> set[str]:
    """Labels said once that name a person, in a document already read as a conversation.

    "Herr Yilmaz:" (a title and a name) always counts; "Ömer Kaya:" (capitalised words) only
    when the accepted speakers are named that way too, because in an "I:/B:" transcript
    "Letzte Woche:" is far likelier than a new person.
    """
    named = any(personal_form(hit.label) for hit in hits if hit.key in accepted)
    return {
        hit.key
        for hit in hits
        if hit.key not in accepted
        and (form := personal_form(hit.label)) is not None
        and (form == "title" or named)
    }


def _user_hits(text: str, pattern: str) -> list[LabelHit]:
    try:
        regex = re.compile(rf"^[ \t]*(?:{pattern})", re.M)
    except re.error as exc:
        raise InvalidInputError(
            f"the speaker pattern is not a valid regular expression: {exc}"
        ) from exc
    if "speaker" not in regex.groupindex:
        raise InvalidInputError("the speaker pattern needs a named group (?P<speaker>...)")
    hits = []
    for match in regex.finditer(text):
        label = clean_label(match.group("speaker") or "")
        if not label or match.end() == match.start():
            continue
        time = match.group("time") if "time" in regex.groupindex else None
        line_end = text.find("\n", match.end())
        after = text[match.end() : line_end if line_end >= 0 else len(text)]
        hits.append(
            LabelHit(
                key=speaker_key(label),
                label=label,
                line_start=match.start(),
                start=match.start() + len(match.group()) - len(match.group().lstrip(" \t")),
                text_start=match.end(),
                alone=not after.strip(),
                time=time,
            )
        )
    return hits


def _trimmed_end(text: str, start: int, end: int) -> int:
    """End of the last non-blank character in `text[start:end]` (turns carry no trailing blanks)."""
    while end > start and text[end - 1] in " \t\n":
        end -= 1
    return end


def _last_line_time(text: str, start: int, end: int) -> int | None:
    return trailing_time_ms(text, text.rfind("\n", start, end) + 1 or start, end)


def _turns_from_hits(text: str, hits: list[LabelHit]) -> tuple[ParsedTurn, ...]:
    turns: list[ParsedTurn] = []
    preamble = _NON_BLANK.search(text, 0, hits[0].line_start)
    if preamble is not None:
        turns.extend(paragraph_turns(text, preamble.start(), hits[0].line_start))
    for index, hit in enumerate(hits):
        limit = hits[index + 1].line_start if index + 1 < len(hits) else len(text)
        end = _trimmed_end(text, hit.start, limit)
        text_start = min(hit.text_start, end)
        if hit.alone:
            spoken = _NON_BLANK.search(text, hit.text_start, end)
            text_start = spoken.start() if spoken else end
        timestamp = parse_time_ms(hit.time) if hit.time else None
        if timestamp is None:
            timestamp = _last_line_time(text, hit.start, end)
        turns.append(ParsedTurn(hit.key, hit.start, end, text_start, timestamp))
    return tuple(turns)


def _speakers(hits: list[LabelHit], names: dict[str, str]) -> tuple[ParsedSpeaker, ...]:
    first: dict[str, str] = {}
    for hit in hits:
        first.setdefault(hit.key, hit.label)
    return tuple(ParsedSpeaker(key, label, names.get(key)) for key, label in first.items())


def paragraph_turns(text: str, start: int = 0, end: int | None = None) -> tuple[ParsedTurn, ...]:
    """Split `text[start:end]` into speaker-less turns: blocks between blank lines.

    A text without any blank line is split into lines instead, because one giant paragraph
    would be useless as a unit for coding and suggestions.
    """
    end = len(text) if end is None else end
    pattern = _BLOCK if "\n\n" in text[start:end] else _LINE
    turns = []
    for block in pattern.finditer(text, start, end):
        block_end = _trimmed_end(text, block.start(), block.end())
        if block_end == block.start():
            continue
        timestamp = leading_time_ms(text, block.start())
        if timestamp is None:
            timestamp = _last_line_time(text, block.start(), block_end)
        turns.append(ParsedTurn(None, block.start(), block_end, block.start(), timestamp))
    return tuple(turns)
