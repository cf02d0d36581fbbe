"""`qda init`, `qda info`, `qda codings`: creating a project and looking into it."""

import argparse
from dataclasses import asdict

from qda_app.cli.output import print_fields, print_json, print_table
from qda_app.domain.errors import NotFoundError
from qda_app.services.codings import coding_rows
from qda_app.services.documents import find_document
from qda_app.services.project import (
    check_project,
    create_project,
    display_location,
    open_project,
    project_summary,
)


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    init = commands.add_parser(
        "init", help="create a new project (a .qda file or an empty database)"
    )
    init.add_argument("project", help="path of the new .qda file, or a postgresql:// URL")
    init.add_argument("--name", help="project name (default: the file name)")
    init.add_argument(
        "--language", choices=["de", "en"], default="de", help="language of the texts"
    )
    init.set_defaults(handler=run_init)

    info = commands.add_parser("info", help="counts of documents, codes, codings, coders, cases")
    info.add_argument("project", help="a .qda file or a postgresql:// URL")
    info.add_argument("--json", action="store_true", help="print one JSON object")
    info.set_defaults(handler=run_info)

    check = commands.add_parser(
        "check", help="full integrity check of a project (slower than open)"
    )
    check.add_argument("project", help="a .qda file or a postgresql:// URL")
    check.set_defaults(handler=run_check)

    codings = commands.add_parser("codings", help="one row per coding with the coded text")
    codings.add_argument("project", help="a .qda file or a postgresql:// URL")
    codings.add_argument("--document", help="only codings of the document with this name")
    codings.add_argument("--json", action="store_true", help="print a JSON list of objects")
    codings.set_defaults(handler=run_codings)


def run_init(args: argparse.Namespace) -> int:
    with create_project(args.project, name=args.name, language=args.language) as project:
        summary = project_summary(project)
    where = summary.location
    print(f"Created project {summary.name!r} at {where} (schema {summary.schema_version}).")
    return 0


def run_info(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        summary = project_summary(project)
        backup = project.backup
    if args.json:
        print_json(asdict(summary) | {"backup": str(backup) if backup else None})
        return 0
    if backup:
        print(f"Migrated to schema {summary.schema_version}; the old file was kept as {backup}")
    print_fields(
        [
            ("project", summary.name),
            ("location", summary.location),
            ("language", summary.language),
            ("schema version", summary.schema_version),
            ("created", summary.created_at.strftime("%Y-%m-%d %H:%M UTC")),
            ("documents", summary.documents),
            ("codes", summary.codes),
            ("codings", summary.codings),
            ("coders", summary.coders),
            ("cases", summary.cases),
            ("memos", summary.memos),
        ]
    )
    return 0


def run_check(args: argparse.Namespace) -> int:
    problems = check_project(args.project)
    for problem in problems:
        print(problem)
    verdict = "sound" if not problems else f"{len(problems)} problems"
    print(f"{display_location(args.project)}: {verdict}")
    return 1 if problems else 0


def run_codings(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        document_id = None
        if args.document is not None:
            document = find_document(project, args.document)
            if document is None:
                raise NotFoundError(f"no document named {args.document!r}; see `qda docs`")
            document_id = document.id
        rows = coding_rows(project, document_id)
    if args.json:
        print_json([asdict(row) for row in rows])
        return 0
    print_table(
        ["document", "code", "coder", "start", "end", "text"],
        [(r.document, r.code, r.coder, r.start, r.end, r.text) for r in rows],
        max_width={"text": 60, "code": 40},
    )
    print(f"{len(rows)} codings")
    return 0
