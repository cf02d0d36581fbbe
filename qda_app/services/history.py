"""The Qt-free undo/redo history of a project (the model is Anki's undo in the core).

Each entry holds the row changes of one service call. Undo applies their inverse in reverse
order inside one transaction; if any row was changed by someone else since, nothing is applied.
"""

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from qda_app.domain.changes import ChangeSummary
from qda_app.store.row_changes import Change, summarise

DEFAULT_LIMIT = 10_000


@dataclass(frozen=True)
class HistoryEntry:
    description: str
    ops: tuple[Change, ...]


Applier = Callable[[list[Change]], None]


class History:
    """Two stacks; a new change clears the redo stack, as users expect from every editor."""

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self._undo: deque[HistoryEntry] = deque(maxlen=limit)
        self._redo: list[HistoryEntry] = []

    def push(self, entry: HistoryEntry) -> None:
        self._undo.append(entry)
        self._redo.clear()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def undo_description(self) -> str | None:
        return self._undo[-1].description if self._undo else None

    @property
    def redo_description(self) -> str | None:
        return self._redo[-1].description if self._redo else None

    def __len__(self) -> int:
        return len(self._undo)

    def undo(self, apply: Applier) -> ChangeSummary | None:
        """Apply the inverse of the newest entry; the entry moves only if `apply` succeeded."""
        if not self._undo:
            return None
        entry = self._undo[-1]
        inverse = [op.inverse() for op in reversed(entry.ops)]
        apply(inverse)
        self._undo.pop()
        self._redo.append(entry)
        return summarise(f"Undo {entry.description}", inverse)

    def redo(self, apply: Applier) -> ChangeSummary | None:
        if not self._redo:
            return None
        entry = self._redo[-1]
        apply(list(entry.ops))
        self._redo.pop()
        self._undo.append(entry)
        return summarise(f"Redo {entry.description}", entry.ops)

    def merge_last(self, count: int, description: str) -> None:
        """Fold the newest `count` entries into one, so a batch job (each file committed on its
        own, so a cancel keeps what was finished) is still one step for Undo."""
        count = min(count, len(self._undo))
        if count < 2:
            if count == 1:
                self._undo[-1] = HistoryEntry(description, self._undo[-1].ops)
            return
        entries = [self._undo.pop() for _ in range(count)][::-1]
        self._undo.append(HistoryEntry(description, tuple(op for e in entries for op in e.ops)))

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()
