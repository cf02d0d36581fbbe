"""Regenerate the shipped .qdc codebooks from their JSON sources.

The `*.json` files here are the source of truth: edit them (by hand or by exporting from the
program), then run `python codebooks/build.py` to rewrite each JSON in canonical form and write
its `.qdc` twin. `--check` changes nothing and exits 1 when a file is out of date (tests use it).
GUIDs live in the JSON, so they stay stable across builds.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qda_app.formats.codebook_json import read_codebook_json, write_codebook_json
from qda_app.formats.refi_codebook import write_qdc

HERE = Path(__file__).resolve().parent


def outputs(source: Path) -> dict[Path, bytes]:
    """Every file one JSON source determines, with its expected bytes."""
    codebook = read_codebook_json(source.read_bytes())
    return {
        source: write_codebook_json(codebook),
        source.with_suffix(".qdc"): write_qdc(codebook),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files")
    arguments = parser.parse_args(argv)
    stale: list[Path] = []
    for source in sorted(HERE.glob("*.json")):
        for path, data in outputs(source).items():
            if path.exists() and path.read_bytes() == data:
                continue
            stale.append(path)
            if not arguments.check:
                path.write_bytes(data)
    for path in stale:
        print(f"{'out of date' if arguments.check else 'wrote'}: {path.name}")
    return 1 if arguments.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
