"""Printing for the CLI: readable tables for people, stable JSON for scripts."""

import json
import sys
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any


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
