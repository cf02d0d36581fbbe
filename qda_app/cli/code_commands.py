"""`qda codes`: find, merge and delete codes by their path (`Bedarfe/Wohnen`) from scripts."""

import argparse

from qda_app.cli.output import print_json, print_table
from qda_app.domain.codebook import PATH_SEPARATOR, name_key
from qda_app.domain.errors import InvalidInputError, NotFoundError
from qda_app.services.code_tree_edits import (
    CodeHit,
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
    action.add_argument(
        "--delete", metavar="CODE", help="delete a code with its subcodes (a path or a GUID)"
    )
    parser.add_argument("--into", metavar="TARGET", help="... into this code (with --merge)")
    parser.add_argument(
        "--in-definitions", action="store_true", help="--search also in definitions"
    )
    parser.add_argument(
        "--yes", action="store_true", help="--delete even when codings or subcodes go with it"
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="--search prints a JSON list of objects (path, name, guid, found_in)",
    )
    parser.set_defaults(handler=run_codes, parser=parser)


def _path_key(path: str) -> tuple[str, ...]:
    """How paths compare: per name, ignoring case and blanks, as the code tree does."""
    return tuple(name_key(part) for part in path.split(PATH_SEPARATOR))


def _resolve(project: Project, paths: list[str]) -> list[int]:
    """Code ids for paths typed by a user (case and blanks ignored, `/` between names) or
    GUIDs. MAXQDA allows "/" in a name, so `Arbeit` > `Beruf` and a top-level `Arbeit/Beruf`
    share a path: guessing one would merge or delete the wrong code, so that is refused."""
    codes = list_codes(project)
    by_key: dict[tuple[str, ...], list[int]] = {}
    for code_id, path in code_paths(codes).items():
        by_key.setdefault(_path_key(path), []).append(code_id)
    by_guid = {code.guid.casefold(): code.id for code in codes}
    ids = []
    for path in paths:
        found = by_key.get(_path_key(path), [])
        guid = path.strip().casefold()
        if not found and guid in by_guid:
            found = [by_guid[guid]]
        if not found:
            raise NotFoundError(f"no code {path!r}; see `qda codebook list`")
        if len(found) > 1:
            raise InvalidInputError(
                f"ambiguous path {path!r}: {len(found)} codes; give the GUID of the one you "
                "mean (see `qda codebook list`) or rename one of them"
            )
        ids.append(found[0])
    return ids


def _print_hits(hits: list[CodeHit], as_json: bool) -> None:
    if as_json:
        print_json(
            [
                {"path": h.path, "name": h.code.name, "guid": h.code.guid, "found_in": h.field}
                for h in hits
            ]
        )
        return
    print_table(["path", "found in"], [(hit.path, hit.field) for hit in hits])
    print(f"{len(hits)} codes")


def run_codes(args: argparse.Namespace) -> int:
    if args.merge and not args.into:
        args.parser.error("--merge needs --into TARGET")
    if args.json and args.search is None:
        args.parser.error("--json goes with --search")
    with open_project(args.project) as project:
        if args.search is not None:
            hits = search_codes(project, args.search, in_definitions=args.in_definitions)
            _print_hits(hits, args.json)
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
