"""Running `qda` in-process as a user would, for the CLI tests."""

import pytest

from qda_app.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    """Exit code, standard output and standard error of `qda ARGS...` (paths allowed)."""
    try:
        code = main([str(arg) for arg in args])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err
