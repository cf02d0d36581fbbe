"""Foundation figures: one coding through the services, the synthetic project in bulk, opening it.

Each figure is printed beside the same work done with raw `sqlite3` on the same machine in the
same run. Run: `.venv/bin/python -m benchmarks.run_foundation [--documents N] [--codings N]`.
"""

import argparse
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import SyntheticSpec, build, transcript
from qda_app.services import codes, codings, documents
from qda_app.services.coders import use_coder
from qda_app.services.project import create_project, open_project, project_summary


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        models = [line.split(":", 1)[1].strip() for line in info if line.startswith("model name")]
    name = models[0] if models else cpu
    return f"{name}, {os.cpu_count()} cores, Python {platform.python_version()}"


def services_one_coding(location: str, repeats: int) -> float:
    """Median ms to add one committed coding through the services, on a new project there."""
    import random

    project = create_project(location)
    use_coder(project, "Bench")
    text = transcript(random.Random(1), 5_000)
    document = documents.add_document(project, "Interview", text).value
    code = codes.add_code(project, "Thema").value
    times = []
    for index in range(repeats):
        start = time.perf_counter()
        codings.add_coding(project, document.id, code.id, index, index + 20)
        times.append(time.perf_counter() - start)
    project.close()
    return statistics.median(times) * 1000


def one_coding(folder: Path, repeats: int) -> tuple[float, float]:
    """Median ms to add one committed coding via services, and via raw sqlite3 (same pragmas)."""
    service_ms = services_one_coding(str(folder / "single.qda"), repeats)
    document_id, code_id = 1, 1  # the only document and code of that new project
    raw = sqlite3.connect(folder / "single.qda", isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
        raw.execute(f"PRAGMA {pragma}")
    raw_times = []
    for index in range(repeats):
        start = time.perf_counter()
        raw.execute("BEGIN IMMEDIATE")
        raw.execute(
            'INSERT INTO coding (guid, document_id, code_id, coder_id, start, "end", origin,'
            " created_at) VALUES (?, ?, ?, 1, ?, ?, 'manual', '2026-01-01 00:00:00.000000')",
            (f"raw-{index}", document_id, code_id, index, index + 21),
        )
        raw.execute("COMMIT")
        raw_times.append(time.perf_counter() - start)
    raw.close()
    return service_ms, statistics.median(raw_times) * 1000


def raw_bulk_rates(path: Path, rows: int) -> dict[str, float]:
    """Rows/s for raw sqlite3 inserting as many codings into a copy of the project (the same
    schema, indexes, trigger and pragmas), row by row and as multi-row VALUES, and into a bare
    table without any index or constraint (the figure raw SQLite is usually quoted with)."""
    copy = path.with_name("raw-copy.qda")
    source = sqlite3.connect(path)
    target = sqlite3.connect(copy, isolation_level=None)
    source.backup(target)
    source.close()
    for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
        target.execute(f"PRAGMA {pragma}")
    target.execute("PRAGMA cache_size = -65536")
    columns = 'id, guid, document_id, code_id, coder_id, start, "end", origin, memo, created_at'
    # The very rows the services inserted, in the same order: the fairest comparison.
    data = target.execute(f"SELECT {columns} FROM coding ORDER BY id").fetchall()[:rows]
    rows = len(data)
    target.execute("CREATE TABLE bare (a, b, c, d, e, f, g, h, i, j)")
    marks = "(" + ", ".join("?" * 10) + ")"

    def timed(table: str, multi: bool) -> float:
        target.execute(f"DELETE FROM {table}")
        names = columns if table == "coding" else "a, b, c, d, e, f, g, h, i, j"
        start = time.perf_counter()
        target.execute("BEGIN IMMEDIATE")
        if multi:
            for at in range(0, rows, 500):
                chunk = data[at : at + 500]
                flat = [value for row in chunk for value in row]
                target.execute(
                    f"INSERT INTO {table} ({names}) VALUES " + ", ".join([marks] * len(chunk)), flat
                )
        else:
            target.executemany(f"INSERT INTO {table} ({names}) VALUES {marks}", data)
        target.execute("COMMIT")
        return rows / (time.perf_counter() - start)

    rates = {
        "same schema, row by row": timed("coding", multi=False),
        "same schema, multi-row VALUES": timed("coding", multi=True),
        "bare table, row by row": timed("bare", multi=False),
    }
    target.close()
    return rates


def open_and_count(path: Path, repeats: int) -> tuple[float, float, float]:
    """Median s: open (checks and all) + counts via services; raw sqlite3 counts; `qda info`."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        with open_project(str(path)) as project:
            project_summary(project)
        times.append(time.perf_counter() - start)
    raw_times = []
    for _ in range(repeats):
        start = time.perf_counter()
        raw = sqlite3.connect(path)
        for table in ("document", "code", "coding", "coder", '"case"'):
            raw.execute(f"SELECT count(*) FROM {table}").fetchone()
        raw.close()
        raw_times.append(time.perf_counter() - start)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "qda_app.cli", "info", str(path)], check=True, capture_output=True
    )
    command = time.perf_counter() - start
    return statistics.median(times), statistics.median(raw_times), command


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=SyntheticSpec.documents)
    parser.add_argument("--codings", type=int, default=SyntheticSpec.codings)
    parser.add_argument("--keep", type=Path, help="keep the synthetic project at this path")
    parser.add_argument(
        "--postgresql",
        metavar="URL",
        help="an EMPTY PostgreSQL database: also time one coding there (the team set-up)",
    )
    args = parser.parse_args()
    spec = SyntheticSpec(documents=args.documents, codings=args.codings)
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="qda-bench-") as tmp:
        folder = Path(tmp)
        service_ms, raw_ms = one_coding(folder, 500)
        print(
            "add one coding, committed (median of 500): "
            f"services {service_ms:.3f} ms, raw sqlite3 {raw_ms:.3f} ms"
        )
        if args.postgresql:
            pg_ms = services_one_coding(args.postgresql, 500)
            print(f"add one coding, committed, PostgreSQL on this machine: {pg_ms:.3f} ms")

        path = args.keep or folder / "synthetic.qda"
        project = create_project(str(path))
        timings = build(project, spec)
        project.close()
        size = path.stat().st_size / 1e6
        print(
            f"synthetic project: {spec.documents} documents x {spec.words_per_document} words, "
            f"{spec.codings} codings, {spec.top_codes * (1 + spec.children_per_code)} codes, "
            f"{spec.coders} coders; {size:.0f} MB"
        )
        print(f"  codes {timings['codes']:.2f} s, documents {timings['documents']:.2f} s")
        print(
            f"  bulk codings through services: {spec.codings / timings['codings']:,.0f} codings/s "
            f"({timings['codings']:.2f} s)"
        )
        for label, rate in raw_bulk_rates(path, spec.codings).items():
            print(f"  raw sqlite3, {label}: {rate:,.0f} rows/s")
        opened, raw_open, command = open_and_count(path, 5)
        print(
            f"open + counts (median of 5): services {opened:.3f} s, raw sqlite3 {raw_open:.3f} s; "
            f"`qda info` whole command {command:.2f} s"
        )


if __name__ == "__main__":
    main()
