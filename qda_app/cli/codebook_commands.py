"""`qda codebook list|sets|export|import|merge`: the code tree as a shareable codebook file."""

import argparse
from dataclasses import asdict

from qda_app.cli.output import print_json, print_table
from qda_app.domain.errors import InvalidInputError
from qda_app.services.code_sets import list_code_sets
from qda_app.services.codebooks import (
    MergeReport,
    export_codebook,
    import_codebook,
    merge_codebook,
)
from qda_app.services.codes import code_paths, list_codes
from qda_app.services.project import open_project

_PROJECT_HELP = "a .qda file or a postgresql:// URL"


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    codebook = commands.add_parser(
        "codebook", help="list, export, import or merge the code tree as a codebook"
    )
    actions = codebook.add_subparsers(title="actions", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="the code tree, one code per line")
    listing.add_argument("project", help=_PROJECT_HELP)
    listing.add_argument("--json", action="store_true", help="print a JSON list of objects")
    listing.set_defaults(handler=run_list)

    sets = actions.add_parser("sets", help="the code sets (code groups) with their member codes")
    sets.add_argument("project", help=_PROJECT_HELP)
    sets.add_argument("--json", action="store_true", help="print a JSON list of objects")
    sets.set_defaults(handler=run_sets)

    export = actions.add_parser("export", help="write the codebook as .qdc (REFI-QDA) or .json")
    export.add_argument("project", help=_PROJECT_HELP)
    export.add_argument("file", help="target file; the suffix .qdc or .json picks the format")
    export.set_defaults(handler=run_export)

    importing = actions.add_parser(
        "import",
        help="import a .qdc/.qdpx/.json codebook (merged when the project already has codes)",
    )
    importing.add_argument("project", help=_PROJECT_HELP)
    importing.add_argument("file", help="a .qdc, .qde, .qdpx or codebook .json file")
    importing.add_argument(
        "--split-names",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="split flat 'Parent::Child' names into a tree (default: guess)",
    )
    _add_prefer(importing)
    importing.set_defaults(handler=run_import)

    merge = actions.add_parser(
        "merge", help="merge a teammate's codebook: adds, renames, moves; conflicts are listed"
    )
    merge.add_argument("project", help=_PROJECT_HELP)
    merge.add_argument("file", help="a .qdc, .qde, .qdpx or codebook .json file")
    merge.add_argument("--dry-run", action="store_true", help="show the plan, change nothing")
    merge.add_argument(
        "--json", action="store_true", help="print the report as one JSON object (see README)"
    )
    _add_prefer(merge)
    merge.set_defaults(handler=run_merge)


def _add_prefer(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--prefer",
        choices=["incoming", "current"],
        default="ask",
        help="when a definition differs: take the file's (incoming) or keep ours (current); "
        "by default such codes are listed as conflicts and left alone",
    )


def run_list(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        codes = list_codes(project)
    paths = code_paths(codes)
    guids = {code.id: code.guid for code in codes}
    if args.json:
        print_json(
            [
                {
                    "guid": code.guid,
                    "name": code.name,
                    "path": paths[code.id],
                    "parent": guids[code.parent_id] if code.parent_id is not None else None,
                    "color": code.color,
                    "codable": code.codable,
                    "description": code.description,
                    "inclusion": code.inclusion,
                    "exclusion": code.exclusion,
                    "anchors": list(code.anchors),
                    "keywords": list(code.keywords),
                }
                for code in codes
            ]
        )
        return 0
    print_table(
        ["path", "color", "codable", "guid"],
        [(paths[c.id], c.color, "yes" if c.codable else "folder", c.guid) for c in codes],
        max_width={"path": 70},
    )
    print(f"{len(codes)} codes")
    return 0


def run_sets(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        sets = list_code_sets(project)
    if args.json:
        print_json(
            [
                {
                    "guid": code_set.guid,
                    "name": code_set.name,
                    "description": code_set.description,
                    "members": [
                        {"guid": guid, "path": path}
                        for guid, path in zip(
                            code_set.member_guids, code_set.member_paths, strict=True
                        )
                    ],
                }
                for code_set in sets
            ]
        )
        return 0
    for code_set in sets:
        print(f"{code_set.name} ({len(code_set.member_paths)} codes)")
        for path in code_set.member_paths:
            print(f"  {path}")
    print(f"{len(sets)} sets")
    return 0


def run_export(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        try:
            codebook = export_codebook(project, args.file)
        except OSError as error:  # it names the temporary file the export writes first
            raise InvalidInputError(f"{args.file}: cannot be written ({error.strerror})") from error
    print(f"Wrote {codebook.code_count} codes to {args.file}")
    return 0


def _print_report(report: MergeReport) -> None:
    for warning in report.warnings:
        print(f"warning: {warning}")
    for line in report.lines:
        print(line)


def run_import(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        result = import_codebook(
            project, args.file, split_names=args.split_names, prefer=args.prefer
        )
    _print_report(result.merge)
    print(f"Imported {args.file}: {result.created} of {result.codes_in_file} codes added")
    return 0


def merge_report_json(report: MergeReport) -> dict[str, object]:
    """The merge report for scripts: the printed lines plus counts and conflicts as objects,
    so a script can tell "nothing to do" from "conflicts left" without parsing lines."""
    plan = report.plan
    return {
        "applied": report.applied,
        "lines": list(report.lines),
        "warnings": list(report.warnings),
        "counts": {
            "added": len(plan.added),
            "renamed": len(plan.renamed),
            "moved": len(plan.moved),
            "updated": len(plan.updated),
            "kept": len(plan.kept),
            "unchanged": plan.unchanged,
            "only_here": len(plan.only_here),
            "conflicts": len(plan.conflicts),
        },
        "conflicts": [
            {
                "kind": conflict.kind.value,
                "path": conflict.path,
                "message": conflict.message,
                "incoming_guid": conflict.incoming_guid,
                "current_guid": conflict.current_guid,
                "changes": [asdict(change) for change in conflict.changes],
            }
            for conflict in plan.conflicts
        ],
    }


def run_merge(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        report = merge_codebook(project, args.file, prefer=args.prefer, dry_run=args.dry_run)
    if args.json:
        print_json(merge_report_json(report))
        return 0
    _print_report(report)
    if args.dry_run:
        print("Dry run: nothing was changed")
    elif report.conflicts:
        print(f"Merged; {report.conflicts} conflicts were left for you to resolve")
    else:
        print("Merged")
    return 0
