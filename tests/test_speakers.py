"""Speakers of an imported document: rename, merge (turns move), interviewer flag, undo."""

import pytest

from qda_app.domain.errors import InvalidInputError
from qda_app.services.importing import import_files
from qda_app.services.project import undo
from qda_app.services.speakers import (
    find_speaker,
    list_speakers,
    merge_speakers,
    rename_speaker,
    set_interviewer,
)
from qda_app.services.transcripts import document_turns
from tests.state import diff_tables, dump

TEXT = "I: Erste Frage?\nB1: Antwort eins.\nI: Zweite Frage?\nB2: Antwort zwei.\nB1: Noch was.\n"


@pytest.fixture
def document_id(project, tmp_path) -> int:
    path = tmp_path / "Familie.txt"
    path.write_text(TEXT, encoding="utf-8")
    [imported] = import_files(project, [path]).imported
    return imported.document_id


def _turns_by_speaker(project, document_id) -> dict[str | None, list[str]]:
    grouped: dict[str | None, list[str]] = {}
    for turn in document_turns(project, document_id):
        grouped.setdefault(turn.speaker, []).append(turn.text)
    return grouped


def test_list_counts_turns_per_speaker(project, document_id):
    speakers = list_speakers(project, document_id)
    grouped = _turns_by_speaker(project, document_id)
    assert {s.name: s.turns for s in speakers} == {k: len(v) for k, v in grouped.items()}
    assert sum(s.turns for s in speakers) == len(document_turns(project, document_id))


def test_rename_changes_the_name_not_the_label(project, document_id):
    speaker = find_speaker(project, document_id, "B1")
    renamed = rename_speaker(project, speaker.id, "Mutter").value
    assert (renamed.label, renamed.name) == ("B1", "Mutter")
    assert find_speaker(project, document_id, "Mutter").id == speaker.id
    assert "Mutter" in _turns_by_speaker(project, document_id)


def test_merge_moves_turns_and_is_one_undo_step(project, document_id):
    before = dump(project)
    grouped = _turns_by_speaker(project, document_id)
    source = find_speaker(project, document_id, "B2")
    target = find_speaker(project, document_id, "B1")
    merged = merge_speakers(project, source.id, target.id).value
    assert merged.turns == source.turns + target.turns
    assert [s.label for s in list_speakers(project, document_id)].count("B2") == 0
    after = _turns_by_speaker(project, document_id)
    assert sorted(after["B1"]) == sorted(grouped["B1"] + grouped["B2"])
    undo(project)
    assert diff_tables(before, dump(project)) == []


def test_merge_into_itself_is_refused(project, document_id):
    speaker = find_speaker(project, document_id, "I")
    with pytest.raises(InvalidInputError):
        merge_speakers(project, speaker.id, speaker.id)


def test_interviewer_flag_survives_a_merge_and_undoes(project, document_id):
    interviewer = find_speaker(project, document_id, "I")
    assert set_interviewer(project, interviewer.id).value.is_interviewer
    other = find_speaker(project, document_id, "B2")
    merged = merge_speakers(project, interviewer.id, other.id).value
    assert merged.is_interviewer
    undo(project)
    undo(project)
    assert not any(s.is_interviewer for s in list_speakers(project, document_id))
