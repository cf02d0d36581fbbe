"""Time marks as transcription tools write them, and their conversion to milliseconds."""

import re

# 01:23, 1:02:03, 00:01:23.450, 00:01:23,45 (SRT uses a comma).
TIME_CORE = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
# f4 / easytranscript: #00:01:23-4# (the digit after the dash is tenths of a second).
F4_TIME = r"\#\d{1,2}:\d{2}:\d{2}(?:[-.,]\d{1,3})?\#"
BRACKETED_TIME = rf"\[{TIME_CORE}\]|\({TIME_CORE}\)|{F4_TIME}"
LEAD_TIME = rf"{BRACKETED_TIME}|{TIME_CORE}"

_PARTS = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[-.,](\d{1,3}))?")
# A time mark closing the last line of a turn (f4 writes one at the end of every paragraph).
TRAILING_TIME = re.compile(rf"(?:{BRACKETED_TIME})[ \t]*$", re.M)
LEADING_TIME = re.compile(rf"[ \t]*(?:{LEAD_TIME})(?=\s)")


def parse_time_ms(mark: str) -> int | None:
    """Return milliseconds for a written time mark, or None if it is not a valid time.

    Two parts are minutes:seconds (Otter, short recordings), three are hours:minutes:seconds;
    a fraction is read as decimal digits, so f4's tenths `-4` and `.400` are both 400 ms.
    """
    match = _PARTS.search(mark)
    if match is None:
        return None
    first, second, third, fraction = match.groups()
    if third is None:
        hours, minutes, seconds = 0, int(first), int(second)
    else:
        hours, minutes, seconds = int(first), int(second), int(third)
        if minutes >= 60:
            return None
    if seconds >= 60:
        return None
    millis = int(fraction.ljust(3, "0")) if fraction else 0
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def trailing_time_ms(text: str, line_start: int, end: int) -> int | None:
    """Return the time mark that ends the line `text[line_start:end]`, if there is one."""
    match = TRAILING_TIME.search(text, line_start, end)
    return parse_time_ms(match.group()) if match else None


def leading_time_ms(text: str, start: int) -> int | None:
    """Return the time mark that opens the paragraph at `start`, if there is one."""
    match = LEADING_TIME.match(text, start)
    return parse_time_ms(match.group()) if match else None
