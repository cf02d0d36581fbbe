"""Import speed end to end: files on disk -> documents, speakers and turns in a new project.

Targets (issue 4): 1,000 plain-text transcripts of ~5,000 words under 10 s and over 3 MB/s;
.docx over 20 files/s. Beside it: reading and decoding the same bytes alone (the floor),
and our parsing alone (no database). Run: `.venv/bin/python -m benchmarks.run_import`.
"""

import argparse
import io
import random
import tempfile
import time
from pathlib import Path

from benchmarks.run_foundation import machine
from benchmarks.synthetic import transcript
from qda_app.formats.readers import read_document
from qda_app.services.importing import import_files
from qda_app.services.project import create_project


def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_corpus(folder: Path, count: int, words: int, docx_count: int) -> tuple[Path, Path]:
    rng = random.Random(11)
    texts, docxs = folder / "txt", folder / "docx"
    texts.mkdir()
    docxs.mkdir()
    for index in range(count):
        (texts / f"Interview {index + 1:04d}.txt").write_text(
            transcript(rng, words), encoding="utf-8"
        )
    for index in range(docx_count):
        (docxs / f"Gespräch {index + 1:03d}.docx").write_bytes(docx_bytes(transcript(rng, words)))
    return texts, docxs


def time_import(folder: Path, project_path: Path) -> tuple[float, int, int]:
    """Seconds, files imported, failures (failures must be 0 or the figure means nothing)."""
    with create_project(str(project_path)) as project:
        started = time.perf_counter()
        summary = import_files(project, [folder])
        elapsed = time.perf_counter() - started
    return elapsed, len(summary.imported), len(summary.failed)


def time_reading(folder: Path) -> float:
    """Our readers alone: decoding, normalising and finding turns, no database."""
    started = time.perf_counter()
    for path in sorted(folder.iterdir()):
        read_document(path.read_bytes(), path.name)
    return time.perf_counter() - started


def time_raw_decoding(folder: Path) -> float:
    """The floor: reading the bytes and decoding them as UTF-8, nothing else."""
    started = time.perf_counter()
    for path in sorted(folder.iterdir()):
        path.read_bytes().decode("utf-8")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=1_000)
    parser.add_argument("--words", type=int, default=5_000)
    parser.add_argument("--docx", type=int, default=200)
    args = parser.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory(prefix="qda-import-bench-") as temp:
        base = Path(temp)
        texts, docxs = write_corpus(base, args.files, args.words, args.docx)
        megabytes = sum(p.stat().st_size for p in texts.iterdir()) / 1e6

        raw = time_raw_decoding(texts)
        print(f"txt  bytes read + UTF-8 decode only: {megabytes:.1f} MB in {raw:.2f} s")
        reading = time_reading(texts)
        print(
            f"txt  parse only (read_document) : {args.files} files in {reading:.2f} s"
            f" = {megabytes / reading:.1f} MB/s"
        )
        elapsed, imported, failed = time_import(texts, base / "txt.qda")
        print(
            f"txt  import_files end to end     : {imported} imported, {failed} failed"
            f" in {elapsed:.2f} s"
            f" = {megabytes / elapsed:.1f} MB/s, {imported / elapsed:.0f} files/s"
            f"  (target < 10 s, > 3 MB/s)"
        )
        reading = time_reading(docxs)
        print(f"docx parse only (read_document) : {args.docx / reading:.0f} files/s")
        elapsed, imported, failed = time_import(docxs, base / "docx.qda")
        print(
            f"docx import_files end to end     : {imported} imported, {failed} failed"
            f" in {elapsed:.2f} s"
            f" = {imported / elapsed:.0f} files/s  (target > 20 files/s)"
        )


if __name__ == "__main__":
    main()
