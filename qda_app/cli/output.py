"""Printing for the CLI: readable tables for people, stable JSON for scripts."""

import json
import sqlite3
import sys
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import DBAPIError

from qda_app.domain.errors import QdaError
from qda_app.store.database import database_error_line


def _default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=_default)
    sys.stdout.write("\n")


def _cell(value: object, width: int | None) -> str:
    text = "" if value is None else str(value).replace("\n", " ⏎ ")
    if width is not None and len(text) > width:
        text = text[: width - 1] + "…"
    return text


def print_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    max_width: Mapping[str, int] | None = None,
) -> None:
    """Columns padded to their widest cell; long cells (coded text) are cut with an ellipsis."""
    limits = max_width or {}
    cells = [
        [_cell(value, limits.get(h)) for h, value in zip(headers, row, strict=True)] for row in rows
    ]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for row in cells:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def print_fields(fields: Sequence[tuple[str, object]]) -> None:
    width = max(len(name) for name, _ in fields)
    for name, value in fields:
        print(f"{name.ljust(width)}  {_cell(value, None)}")


def failure_message(error: BaseException, project: str | None = None) -> str | None:
    """The one line `qda: error:` prints for an expected failure; None for a bug.

    Permission problems, full disks and locked or read-only databases are the user's to fix,
    so they read like QdaError (`FILE: reason`, the driver's first line) and never as a
    traceback; anything else is a bug and keeps its traceback.
    """
    if isinstance(error, QdaError):
        return str(error)
    if isinstance(error, OSError):
        reason = error.strerror or str(error)
        return reason if error.filename is None else f"{error.filename}: {reason}"
    if isinstance(error, DBAPIError | sqlite3.Error):
        return database_error_line(error, project)
    return None
