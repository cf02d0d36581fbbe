"""The Qt-free undo/redo history of a project (the model is Anki's undo in the core).

Each entry holds the row changes of one service call. Undo applies their inverse in reverse
order inside one transaction; if any row was changed by someone else since, nothing is applied.
"""

import threading
from collections import deque
from collections.abc import Callable, Sequence
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
        # A worker thread (an import) may push while the UI thread undoes.
        self._lock = threading.RLock()

    def push(self, entry: HistoryEntry) -> None:
        with self._lock:
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
        with self._lock:
            if not self._undo:
                return None
            entry = self._undo[-1]
            inverse = [op.inverse() for op in reversed(entry.ops)]
            apply(inverse)
            self._undo.pop()
            self._redo.append(entry)
        return summarise(f"Undo {entry.description}", inverse)

    def redo(self, apply: Applier) -> ChangeSummary | None:
        with self._lock:
            if not self._redo:
                return None
            entry = self._redo[-1]
            apply(list(entry.ops))
            self._redo.pop()
            self._undo.append(entry)
        return summarise(f"Redo {entry.description}", entry.ops)

    def push_group(self, description: str, entries: Sequence[HistoryEntry]) -> None:
        """Push the entries a batch job collected (each file committed on its own, so a cancel
        keeps what was finished) as ONE step for Undo; edits made meanwhile stay separate."""
        ops = tuple(op for entry in entries for op in entry.ops)
        if ops:
            self.push(HistoryEntry(description, ops))

    def clear(self) -> None:
        with self._lock:
            self._undo.clear()
            self._redo.clear()
