"""Finding speaker turns and timestamps in transcript text (pure functions over `str`)."""

from qda_app.formats.transcript.detect import Detection, detect_turns, paragraph_turns

__all__ = ["Detection", "detect_turns", "paragraph_turns"]
