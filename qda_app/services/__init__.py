"""Use cases: one function per user action, each its own committed transaction, all undoable."""
