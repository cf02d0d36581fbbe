"""Turns from subtitle cues (VTT, SRT): one turn per run of cues by the same speaker.

Subtitles cut speech every few seconds; merging consecutive cues of one speaker (and cues
without a label, which continue the previous speaker) gives turns that match what was said.
"""

import re
from collections import Counter
from dataclasses import dataclass

from qda_app.domain.errors import InvalidInputError
from qda_app.domain.parsed import ParsedSpeaker, ParsedTurn
from qda_app.formats.text_normalise import normalise_text
from qda_app.formats.transcript.detect import NO_SPEAKERS_NOTE, Detection
from qda_app.formats.transcript.labels import LINE_HEAD, clean_label, hit_from_match, speaker_key

_MIN_LABELLED = 2  # cues with the same label, or labelled cues in all


@dataclass(frozen=True)
class Cue:
    """One subtitle cue: when it starts, who speaks (from a voice tag, if any) and what is said."""

    start_ms: int
    speaker: str | None
    text: str


def _split_label(text: str, pattern: re.Pattern[str] | None) -> tuple[str | None, str, bool]:
    """The label of a cue text, the text after it, and whether the label is only `tight`."""
    if pattern is not None:
        match = pattern.match(text)
        if match and match.group("speaker"):
            return clean_label(match.group("speaker")), text[match.end() :].lstrip(), False
        return None, text, False
    match = LINE_HEAD.match(text)
    hit = hit_from_match(match) if match else None
    if hit is None or hit.alone:
        return None, text, False
    return hit.label, text[hit.text_start :], hit.tight


def _labelled(cues: list[Cue], speaker_pattern: str | None) -> list[Cue]:
    """Take "Name: text" labels out of cue texts (Zoom's convention).

    Where most untagged cues open with a label, the file follows that convention and every
    label counts, also a person's single remark; otherwise a label must recur. "B:text"
    without a blank never counts on its own.
    """
    pattern = None
    if speaker_pattern is not None:
        try:
            pattern = re.compile(speaker_pattern)
        except re.error as exc:
            raise InvalidInputError(f"the speaker pattern is not valid: {exc}") from exc
        if "speaker" not in pattern.groupindex:
            raise InvalidInputError("the speaker pattern needs a named group (?P<speaker>...)")
    untagged = [cue for cue in cues if cue.speaker is None]
    split = {id(cue): _split_label(cue.text, pattern) for cue in untagged}
    votes = Counter(speaker_key(label) for label, _, tight in split.values() if label and not tight)
    labelled = sum(votes.values())
    if labelled >= _MIN_LABELLED and labelled * 2 > len(untagged):
        accepted = set(votes)
    else:
        accepted = {key for key, count in votes.items() if count >= _MIN_LABELLED}
    result = []
    for cue in cues:
        if cue.speaker is not None:
            result.append(cue)
            continue
        label, said, _ = split[id(cue)]
        if label and (pattern is not None or speaker_key(label) in accepted):
            result.append(Cue(cue.start_ms, label, said))
        else:
            result.append(Cue(cue.start_ms, None, cue.text))
    return result


def cue_document(cues: list[Cue], speaker_pattern: str | None = None) -> tuple[str, Detection]:
    """Build the document text ("Name: text" per turn) and its turns from parsed cues."""
    cues = [Cue(c.start_ms, c.speaker, normalise_text(c.text).replace("\n", " ")) for c in cues]
    cues = _labelled([cue for cue in cues if cue.text], speaker_pattern)
    if not any(cue.speaker for cue in cues):
        return _unlabelled(cues)
    groups: list[tuple[str | None, int, list[str]]] = []
    for cue in cues:
        current = groups[-1][0] if groups else None
        if groups and (
            cue.speaker is None or speaker_key(cue.speaker) == speaker_key(current or "")
        ):
            groups[-1][2].append(cue.text)
        else:
            groups.append((cue.speaker, cue.start_ms, [cue.text]))
    pieces: list[str] = []
    turns: list[ParsedTurn] = []
    speakers: dict[str, ParsedSpeaker] = {}
    position = 0
    for label, start_ms, texts in groups:
        head = f"{label}: " if label else ""
        body = " ".join(texts)
        key = speaker_key(label) if label else None
        if key is not None:
            speakers.setdefault(key, ParsedSpeaker(key, label or key))
        turns.append(
            ParsedTurn(
                key, position, position + len(head) + len(body), position + len(head), start_ms
            )
        )
        pieces.append(head + body)
        position += len(head) + len(body) + 2
    return "\n\n".join(pieces), Detection(tuple(turns), tuple(speakers.values()), ())


def _unlabelled(cues: list[Cue]) -> tuple[str, Detection]:
    turns = []
    position = 0
    for cue in cues:
        turns.append(ParsedTurn(None, position, position + len(cue.text), position, cue.start_ms))
        position += len(cue.text) + 1
    return "\n".join(cue.text for cue in cues), Detection(tuple(turns), (), (NO_SPEAKERS_NOTE,))
