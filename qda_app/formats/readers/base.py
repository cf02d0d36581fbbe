"""What a format reader extracts before the shared normalisation and turn detection."""

from dataclasses import dataclass, field

from qda_app.formats.transcript.cues import Cue


@dataclass
class Extracted:
    """Raw text from one reader; subtitle readers hand over cues instead of running text.

    Keeping readers this small means every format shares one normalisation and one turn
    detector, so a transcript reads the same whether it arrived as .txt, .docx or .odt.
    """

    text: str
    format: str
    notes: list[str] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    cues: list[Cue] | None = None
