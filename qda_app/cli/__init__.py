"""The `qda` command: the command-line twin of the desktop program, for every batch job.

Exit codes: 0 success; 1 the job failed (bad input, not a project, a file that could not be
read: the message says what to do); 2 the command line itself was wrong.
"""

import argparse
import sys
from collections.abc import Sequence

from qda_app import __version__
from qda_app.cli.output import failure_message

EPILOG = """\
PROJECT is a .qda file or a PostgreSQL URL (postgresql://user@host/db).
Commands that list or report take --json for scripts.
Exit codes: 0 success, 1 the job failed (the message says why), 2 wrong command line."""


def build_parser() -> argparse.ArgumentParser:
    from qda_app.cli import (
        code_commands,
        codebook_commands,
        import_commands,
        project_commands,
    )

    parser = argparse.ArgumentParser(
        prog="qda",
        description="QDA App on the command line: qualitative coding of conversations.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"qda {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for module in (project_commands, codebook_commands, code_commands, import_commands):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every expected failure (see `failure_message`) ends as one
    `qda: error:` line and exit 1, a bug keeps its traceback."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        print("qda: interrupted; every finished step is saved", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:
        message = failure_message(error, getattr(args, "project", None))
        if message is None:
            raise
        print(f"qda: error: {message}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
