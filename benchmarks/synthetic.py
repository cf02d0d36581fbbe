"""A synthetic large project: 1,000 transcripts of ~5,000 words, a 150-code tree, 3 coders and
100,000 codings, built through the services (bulk path for codings)."""

import random
import time
from dataclasses import dataclass

from qda_app.domain.values import CodingOrigin
from qda_app.services import codes, codings, documents
from qda_app.services.coders import add_coder
from qda_app.services.codings import NewCoding
from qda_app.services.project import Project

WORDS = (  # noqa: SIM905 (one readable block of words)
    "die der und wir haben kein Geld Miete Wohnung Kita Platz Schule Kinder Jugendamt Jobcenter "
    "Antrag Formular warten Termin Nachbarin hilft Oma Familie müde Arbeit Schicht Bus weit "
    "Ärztin Deutschkurs Übersetzung schämen fragen Beratung Familienzentrum Spielplatz Sport "
    "teuer Essen Schulden Strom Heizung Ferien Ausflug Verein Moschee Kirche Freunde allein "
    "schwierig gut besser schlecht immer nie manchmal vielleicht deshalb weil aber auch noch"
).split()


@dataclass(frozen=True)
class SyntheticSpec:
    documents: int = 1_000
    words_per_document: int = 5_000
    top_codes: int = 10
    children_per_code: int = 14
    coders: int = 3
    codings: int = 100_000
    seed: int = 7


def transcript(rng: random.Random, words: int) -> str:
    """Alternating interviewer and family turns of 10 to 120 words, with time marks."""
    lines: list[str] = []
    written, second = 0, 0
    while written < words:
        count = min(words - written, rng.randint(10, 120))
        speaker = "I" if len(lines) % 2 == 0 else "B"
        stamp = f"{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"
        lines.append(f"{speaker}: {' '.join(rng.choices(WORDS, k=count))} #{stamp}-0#")
        written += count
        second += count // 2
    return "\n".join(lines) + "\n"


def build(project: Project, spec: SyntheticSpec = SyntheticSpec()) -> dict[str, float]:
    """Fill an empty project; returns timings of the three steps in seconds."""
    rng = random.Random(spec.seed)
    timings: dict[str, float] = {}

    start = time.perf_counter()
    coder_ids = [add_coder(project, f"Coder {i + 1}").value.id for i in range(spec.coders)]
    leaf_ids: list[int] = []
    for top in range(spec.top_codes):
        parent = codes.add_code(project, f"Thema {top + 1}", codable=False).value
        for child in range(spec.children_per_code):
            leaf_ids.append(codes.add_code(project, f"Unterthema {child + 1}", parent.id).value.id)
    timings["codes"] = time.perf_counter() - start

    start = time.perf_counter()
    docs: list[tuple[int, str]] = []
    for index in range(spec.documents):
        text = transcript(rng, spec.words_per_document)
        info = documents.add_document(project, f"Interview {index + 1:04d}", text).value
        docs.append((info.id, text))
    timings["documents"] = time.perf_counter() - start

    rows = list(_random_codings(rng, docs, leaf_ids, coder_ids, spec.codings))
    start = time.perf_counter()
    codings.add_codings_bulk(project, rows, "Synthetic codings")
    timings["codings"] = time.perf_counter() - start
    return timings


def _random_codings(
    rng: random.Random,
    docs: list[tuple[int, str]],
    code_ids: list[int],
    coder_ids: list[int],
    count: int,
) -> list[NewCoding]:
    """Spans of 3 to 60 words starting at word boundaries, no exact duplicates."""
    seen: set[tuple[int, int, int, int, int]] = set()
    rows: list[NewCoding] = []
    bounds = {doc_id: [i + 1 for i, ch in enumerate(text) if ch == " "] for doc_id, text in docs}
    while len(rows) < count:
        doc_id, _text = docs[len(rows) % len(docs)]
        spaces = bounds[doc_id]
        first = rng.randrange(len(spaces) - 61)
        start, end = spaces[first], spaces[first + rng.randint(3, 60)] - 1
        key = (doc_id, rng.choice(code_ids), rng.choice(coder_ids), start, end)
        if key in seen:
            continue
        seen.add(key)
        rows.append(NewCoding(*key, origin=CodingOrigin.IMPORT))
    return rows
