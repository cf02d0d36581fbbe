"""Parsing speed: 1,000 synthetic German transcripts (~5,000 words) and 200 .docx files.

Run: .venv/bin/python benchmarks/bench_parse.py
Target: the 1,000 texts parse well under 5 s (the full import with the database under 10 s).
"""

import io
import random
import time

from qda_app.formats.readers import read_document

WORDS = [
    "wir",
    "haben",
    "seit",
    "drei",
    "Jahren",
    "keine",
    "Wohnung",
    "gefunden",
    "die",
    "Kita",
    "ist",
    "weit",
    "weg",
    "und",
    "der",
    "Bus",
    "fährt",
    "nur",
    "zweimal",
    "am",
    "Tag",
    "meine",
    "Tochter",
    "geht",
    "in",
    "die",
    "Grundschule",
    "das",
    "Jugendamt",
    "hat",
    "uns",
    "geholfen",
    "aber",
    "die",
    "Miete",
    "ist",
    "zu",
    "hoch",
    "Größe",
    "Straße",
    "Übergang",
    "Ärger",
    "schön",
    "für",
    "über",
]


def transcript(rng: random.Random, words: int = 5_000) -> str:
    lines = []
    written = 0
    seconds = 0
    speaker = "I"
    while written < words:
        length = rng.randint(8, 80)
        seconds += rng.randint(2, 40)
        hours, minutes = seconds // 3600, seconds // 60 % 60
        stamp = f"#{hours:02d}:{minutes:02d}:{seconds % 60:02d}-{rng.randint(0, 9)}#"
        lines.append(f"{speaker}: {' '.join(rng.choices(WORDS, k=length))}. {stamp}")
        written += length
        speaker = "B" if speaker == "I" else "I"
    return "\n\n".join(lines) + "\n"


def docx_file(text: str) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in text.split("\n\n"):
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def main() -> None:
    rng = random.Random(4)
    texts = [transcript(rng).encode("utf-8") for _ in range(1_000)]
    megabytes = sum(len(data) for data in texts) / 1e6
    started = time.perf_counter()
    turns = sum(len(read_document(data, f"t{n}.txt").turns) for n, data in enumerate(texts))
    elapsed = time.perf_counter() - started
    print(
        f"txt : 1000 files, {megabytes:.1f} MB, {turns} turns in {elapsed:.2f} s "
        f"= {megabytes / elapsed:.1f} MB/s"
    )

    files = [docx_file(transcript(rng).replace("#", "")) for _ in range(200)]
    started = time.perf_counter()
    for n, data in enumerate(files):
        read_document(data, f"d{n}.docx")
    elapsed = time.perf_counter() - started
    print(f"docx: 200 files in {elapsed:.2f} s = {200 / elapsed:.0f} files/s")


if __name__ == "__main__":
    main()
