"""`qda import`, `qda docs`, `qda show`, `qda speakers`, `qda pseudonymise`: getting transcripts
into a project and checking that they arrived as the user expects."""

import argparse
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

from qda_app.cli.output import failure_message, print_json, print_table
from qda_app.domain.errors import InvalidInputError, NotFoundError
from qda_app.domain.import_summary import CaseImportSummary, ImportSummary
from qda_app.formats.errors import UnreadableFileError
from qda_app.formats.pseudonymise import read_pseudonym_csv
from qda_app.services.case_import import (
    import_case_table,
    pseudonymised_table,
    read_case_file,
)
from qda_app.services.documents import find_document, list_documents
from qda_app.services.importing import ImportStoppedError, import_files
from qda_app.services.project import Project, open_project
from qda_app.services.pseudonymisation import (
    create_key_file,
    finish_key_file,
    pseudonymise_documents,
)
from qda_app.services.speakers import (
    find_speaker,
    list_speakers,
    merge_speakers,
    rename_speaker,
    set_interviewer,
)
from qda_app.services.transcripts import document_overviews, document_turns

PROJECT_HELP = "a .qda file or a postgresql:// URL"


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    imp = commands.add_parser(
        "import", help="import transcripts (txt, docx, odt, rtf, pdf, vtt, srt, md) and folders"
    )
    imp.add_argument("project", help=PROJECT_HELP)
    imp.add_argument("paths", nargs="+", type=Path, metavar="FILE_OR_FOLDER")
    imp.add_argument("--cases", type=Path, metavar="TABLE", help="case table (.csv/.xlsx)")
    imp.add_argument("--case-key", metavar="COLUMN", help="key column of the case table")
    imp.add_argument(
        "--pseudonymise", type=Path, metavar="MAP.csv", help="name,pseudonym list applied on import"
    )
    imp.add_argument(
        "--key-file",
        type=Path,
        metavar="OUT.csv",
        help="write the name,pseudonym key here (without --pseudonymise: named speakers get"
        " 'Person A', 'Person B', ...); the key is never stored in the project",
    )
    imp.add_argument("--speaker-pattern", metavar="REGEX", help="how speaker labels look")
    imp.add_argument("--json", action="store_true", help="print the summary as JSON")
    imp.set_defaults(handler=run_import)

    docs = commands.add_parser("docs", help="list documents with words, turns and speakers")
    docs.add_argument("project", help=PROJECT_HELP)
    docs.add_argument("--json", action="store_true", help="print a JSON list of objects")
    docs.set_defaults(handler=run_docs)

    show = commands.add_parser("show", help="print a document turn by turn")
    show.add_argument("project", help=PROJECT_HELP)
    show.add_argument("document", help="document name (see `qda docs`)")
    show.add_argument("--json", action="store_true", help="print a JSON list of turns")
    show.set_defaults(handler=run_show)

    speakers = commands.add_parser("speakers", help="list, rename, merge or mark speakers")
    speakers.add_argument("project", help=PROJECT_HELP)
    speakers.add_argument("document", help="document name (see `qda docs`)")
    speakers.add_argument("--rename", nargs=2, metavar=("OLD", "NEW"), help="new display name")
    speakers.add_argument(
        "--merge", nargs=2, metavar=("A", "B"), help="merge speaker A into B (A's turns move)"
    )
    speakers.add_argument("--interviewer", metavar="LABEL", help="mark a speaker as interviewer")
    speakers.add_argument("--json", action="store_true", help="print a JSON list of objects")
    speakers.set_defaults(handler=run_speakers)

    pseudo = commands.add_parser(
        "pseudonymise", help="replace names in coded documents; codings keep their words"
    )
    pseudo.add_argument("project", help=PROJECT_HELP)
    target = pseudo.add_mutually_exclusive_group(required=True)
    target.add_argument("document", nargs="?", help="document name (see `qda docs`)")
    target.add_argument("--all", action="store_true", help="every document of the project")
    pseudo.add_argument("--map", type=Path, required=True, metavar="MAP.csv", help="name,pseudonym")
    pseudo.set_defaults(handler=run_pseudonymise)


def _document_id(project: Project, name: str) -> int:
    document = find_document(project, name)
    if document is None:
        raise NotFoundError(f"no document named {name!r}; see `qda docs`")
    return document.id


def _read_map(path: Path) -> dict[str, str]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableFileError(path.name, f"cannot be read ({error.strerror})") from error
    return read_pseudonym_csv(data, path.name)


def _print_progress(done: int, total: int, status: str) -> None:
    print(f"[{done}/{total}] {status}", file=sys.stderr, flush=True)


def _finish_key(stream: TextIO, key: dict[str, str]) -> None:
    """Status on stderr: stdout may carry the JSON summary."""
    if finish_key_file(stream, key):
        print(
            f"Pseudonym key written to {stream.name}; keep it apart from the project.",
            file=sys.stderr,
        )
    else:
        print(
            "No named speakers found: nothing was pseudonymised, no key file written.",
            file=sys.stderr,
        )


def _print_import(summary: ImportSummary, cases: CaseImportSummary | None) -> None:
    print(
        f"Imported {len(summary.imported)}, skipped {len(summary.skipped)} duplicates, "
        f"failed {len(summary.failed)}" + (" (cancelled)" if summary.cancelled else "")
    )
    for imported in summary.imported:
        for note in imported.notes:
            print(f"  note    {imported.file}: {note}")
    for skipped in summary.skipped:
        print(f"  skipped {skipped.file}: same file as {skipped.existing!r}")
    for failed in summary.failed:
        print(f"  failed  {failed.file}: {failed.reason}")
    if cases is not None:
        print(
            f"Cases: {len(cases.cases_created)} created, {len(cases.cases_updated)} updated, "
            f"{len(cases.links)} document links"
        )
        if cases.unmatched_keys:
            print(f"  no document for: {', '.join(cases.unmatched_keys)}")
        if cases.unmatched_documents:
            print(f"  no case for: {', '.join(cases.unmatched_documents)}")


def _checked_case_table(args: argparse.Namespace, mapping: dict[str, str] | None) -> None:
    """Read the case table before any document is stored: a table that cannot be used (empty,
    header only, a .docx, an unknown --case-key, names that collide once pseudonymised)
    stops the command with nothing imported, instead of failing after the import."""
    if args.cases is None:
        if args.case_key:
            raise InvalidInputError("--case-key needs --cases TABLE")
        return
    pseudonymised_table(read_case_file(args.cases, args.case_key), mapping or {})


def _report_import(
    args: argparse.Namespace,
    summary: ImportSummary,
    cases: CaseImportSummary | None,
    error: str | None,
) -> None:
    """The summary, also when a later step failed: the documents imported before it are
    stored, and the user (or script) must learn which ones."""
    if not args.json:
        _print_import(summary, cases)
        return
    print_json(
        {
            "imported": [asdict(d) for d in summary.imported],
            "skipped": [asdict(d) for d in summary.skipped],
            "failed": [asdict(d) for d in summary.failed],
            "cancelled": summary.cancelled,
            "cases": None if cases is None else asdict(cases),
            "error": error,
        }
    )


def run_import(args: argparse.Namespace) -> int:
    """Check the case table, import, then link cases; the key file is claimed first and
    written whatever happens.

    Creating the key file before the first document is stored means a key that cannot be
    written stops the import before it starts, and writing it in `finally` means a failure
    or Ctrl-C in the middle still leaves the key of every file imported so far.
    """
    mapping = _read_map(args.pseudonymise) if args.pseudonymise else None
    _checked_case_table(args, mapping)
    key_stream = None if args.key_file is None else create_key_file(args.key_file)
    key = dict(mapping or {})
    summary: ImportSummary | None = None
    cases: CaseImportSummary | None = None
    try:
        with open_project(args.project) as project:
            summary = import_files(
                project,
                args.paths,
                speaker_pattern=args.speaker_pattern,
                pseudonyms=mapping,
                propose_pseudonyms=args.key_file is not None and mapping is None,
                progress=_print_progress,
                key_grown=key.update,
            )
            if args.cases is not None:
                cases = import_case_table(
                    project, args.cases, key_column=args.case_key, pseudonyms=summary.pseudonyms
                ).value
    except Exception as error:
        if isinstance(error, ImportStoppedError):
            summary = error.summary
        if summary is not None:
            reason = failure_message(error, args.project) or f"{type(error).__name__}: {error}"
            _report_import(args, summary, cases, reason)
        raise
    finally:
        if key_stream is not None:
            _finish_key(key_stream, key)
    assert summary is not None  # the try either set it or raised
    _report_import(args, summary, cases, None)
    return 1 if summary.failed else 0


def run_docs(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        rows = document_overviews(project)
    if args.json:
        print_json(
            [
                {
                    "name": r.name,
                    "source_name": r.source_name,
                    "characters": r.length,
                    "words": r.words,
                    "turns": r.turns,
                    "speakers": list(r.speakers),
                }
                for r in rows
            ]
        )
        return 0
    print_table(
        ["document", "words", "turns", "speakers", "file"],
        [(r.name, r.words, r.turns, ", ".join(r.speakers), r.source_name) for r in rows],
        max_width={"speakers": 40, "document": 50},
    )
    print(f"{len(rows)} documents")
    return 0


def _clock(milliseconds: int) -> str:
    seconds = milliseconds // 1000
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def run_show(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        turns = document_turns(project, _document_id(project, args.document))
    if args.json:
        print_json(
            [
                {
                    "speaker": turn.speaker,
                    "start": turn.start,
                    "text_start": turn.text_start,
                    "end": turn.end,
                    "timestamp_ms": turn.timestamp_ms,
                    "text": turn.text,
                }
                for turn in turns
            ]
        )
        return 0
    for number, turn in enumerate(turns):
        stamp = "" if turn.timestamp_ms is None else f"[{_clock(turn.timestamp_ms)}] "
        speaker = "" if turn.speaker is None else f"{turn.speaker}: "
        if number and turn.speaker is None:
            print()
        print(f"{stamp}{speaker}{turn.text}")
    return 0


def run_speakers(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        document_id = _document_id(project, args.document)
        if args.rename:
            old, new = args.rename
            rename_speaker(project, find_speaker(project, document_id, old).id, new)
        if args.merge:
            source, target = (find_speaker(project, document_id, s).id for s in args.merge)
            merge_speakers(project, source, target)
        if args.interviewer:
            set_interviewer(project, find_speaker(project, document_id, args.interviewer).id)
        speakers = list_speakers(project, document_id)
    if args.json:
        print_json([asdict(s) for s in speakers])
        return 0
    print_table(
        ["label", "name", "interviewer", "turns"],
        [(s.label, s.name, "yes" if s.is_interviewer else "", s.turns) for s in speakers],
    )
    return 0


def run_pseudonymise(args: argparse.Namespace) -> int:
    mapping = _read_map(args.map)
    with open_project(args.project) as project:
        if args.all:
            ids = [d.id for d in list_documents(project)]
        else:
            ids = [_document_id(project, args.document)]
        results = pseudonymise_documents(project, ids, mapping).value
    for result in results:
        print(
            f"{result.name}: {result.replacements} names replaced, "
            f"{result.codings_moved} codings moved"
            + (
                f", {result.duplicates_merged} duplicate codings merged"
                if result.duplicates_merged
                else ""
            )
        )
    return 0
