"""`qda codes`: find, merge and delete codes by their path (`Bedarfe/Wohnen`) from scripts."""

import argparse

from qda_app.cli.output import print_table
from qda_app.domain.codebook import PATH_SEPARATOR, name_key
from qda_app.domain.errors import InvalidInputError, NotFoundError
from qda_app.services.code_tree_edits import (
    ConfirmationRequiredError,
    delete_code_confirmed,
    merge_codes,
    search_codes,
)
from qda_app.services.codes import code_paths, list_codes
from qda_app.services.project import Project, open_project


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "codes", help="search codes, merge codes into one, or delete a code (paths like A/B)"
    )
    parser.add_argument("project", help="a .qda file or a postgresql:// URL")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--search", metavar="TEXT", help="codes whose name contains TEXT")
    action.add_argument("--merge", nargs="+", metavar="SRC", help="merge these codes ...")
    action.add_argument("--delete", metavar="CODE", help="delete a code with its subcodes")
    parser.add_argument("--into", metavar="TARGET", help="... into this code (with --merge)")
    parser.add_argument(
        "--in-definitions", action="store_true", help="--search also in definitions"
    )
    parser.add_argument(
        "--yes", action="store_true", help="--delete even when codings or subcodes go with it"
    )
    parser.set_defaults(handler=run_codes, parser=parser)


def _resolve(project: Project, paths: list[str]) -> list[int]:
    """Code ids for paths typed by a user (case and blanks ignored, `/` between names)."""
    codes = list_codes(project)
    by_key = {
        tuple(name_key(part) for part in path.split(PATH_SEPARATOR)): code_id
        for code_id, path in code_paths(codes).items()
    }
    ids = []
    for path in paths:
        key = tuple(name_key(part) for part in path.split(PATH_SEPARATOR))
        if key not in by_key:
            raise NotFoundError(f"no code {path!r}; see `qda codebook list`")
        ids.append(by_key[key])
    return ids


def run_codes(args: argparse.Namespace) -> int:
    if args.merge and not args.into:
        args.parser.error("--merge needs --into TARGET")
    with open_project(args.project) as project:
        if args.search is not None:
            hits = search_codes(project, args.search, in_definitions=args.in_definitions)
            print_table(["path", "found in"], [(hit.path, hit.field) for hit in hits])
            print(f"{len(hits)} codes")
            return 0
        if args.merge:
            [target, *sources] = _resolve(project, [args.into, *args.merge])
            result = merge_codes(project, sources, target).value
            print(
                f"Merged {', '.join(result.merged)} into {result.target.name}: "
                f"{result.moved_codings} codings moved, {result.collapsed_codings} duplicates "
                f"folded, {result.moved_subcodes} subcodes moved"
            )
            for old, new in result.renamed_subcodes:
                print(f"renamed subcode {old!r} to {new!r}")
            return 0
        [code_id] = _resolve(project, [args.delete])
        try:
            deleted = delete_code_confirmed(project, code_id, confirmed=args.yes).value
        except ConfirmationRequiredError as error:
            raise InvalidInputError(f"{error.impact.describe()}; add --yes to delete") from None
        print(f"Deleted {deleted.name}")
        return 0
