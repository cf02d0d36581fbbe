"""Transcript tables (Word, Writer) as lines: [speaker, text] or [time, speaker, text] rows.

Many transcription templates keep speaker and text in table columns; writing each row as
"Speaker: text" lets the one turn detector read them like any typed transcript.
"""

import re

from qda_app.formats.transcript.labels import (
    clean_label,
    is_role_label,
    looks_like_label,
    speaker_key,
)
from qda_app.formats.transcript.timecodes import LEAD_TIME

_TIME_CELL = re.compile(rf"(?:{LEAD_TIME})", re.X)


def _is_time(cell: str) -> bool:
    return _TIME_CELL.fullmatch(cell.strip()) is not None


def _speaker_column(rows: list[list[str]], skip: int | None) -> int | None:
    """The first column whose cells are all label-like and recur (or are role labels like "B")."""
    width = max(len(row) for row in rows)
    for column in range(width - 1):
        if column == skip:
            continue
        cells = [clean_label(row[column]) for row in rows if column < len(row)]
        cells = [cell for cell in cells if cell]
        if len(cells) < 2 or not all(looks_like_label(cell) for cell in cells[1:]):
            continue  # the first row may be a header ("Sprecher")
        keys = [speaker_key(cell) for cell in cells]
        if len(set(keys)) < len(keys) or all(is_role_label(cell) for cell in cells[1:]):
            return column
    return None


def table_lines(rows: list[list[str]]) -> list[str]:
    """Render a table as transcript lines, or as tab-separated rows if it is no transcript."""
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        return []
    width = max(len(row) for row in rows)
    time_column = next(
        (
            column
            for column in range(width)
            if sum(_is_time(row[column]) for row in rows if column < len(row)) >= 0.6 * len(rows)
        ),
        None,
    )
    speaker_column = _speaker_column(rows, time_column) if width >= 2 else None
    if speaker_column is None:
        return ["\t".join(cell.strip() for cell in row) for row in rows]
    lines = []
    for row in rows:
        cells = [cell.strip() for cell in row] + [""] * (width - len(row))
        time = cells[time_column] if time_column is not None else ""
        speaker = cells[speaker_column].rstrip(":").strip()
        said = " ".join(
            cell
            for index, cell in enumerate(cells)
            if index not in (time_column, speaker_column) and cell
        )
        if time_column is not None and not _is_time(time):
            lines.append("\t".join(cells))  # a header row such as "Zeit | Sprecher | Text"
            continue
        prefix = f"[{time.strip('[]()#')}] " if time else ""
        lines.append(f"{prefix}{speaker}: {said}" if speaker else f"{prefix}{said}")
    return lines
