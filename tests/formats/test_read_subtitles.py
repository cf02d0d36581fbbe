import pytest
from formats_checks import turn_view

from qda_app.formats.errors import UnreadableFileError
from qda_app.formats.readers import read_document

TEAMS = """WEBVTT

0a1b-1
00:00:01.000 --> 00:00:03.000
<v Anna Müller>Hallo zusammen,</v>

0a1b-2
00:00:03.500 --> 00:00:05.000
<v Anna Müller>schön, dass Sie da sind.

00:00:06.000 --> 00:00:07.000
und weiter ohne Tag

NOTE this is a comment

00:00:08.000 --> 00:00:09.500 align:start
<v.loud Ben>Gut &amp; <i>Ihnen</i>?</v> <v Anna Müller>Danke.</v>
"""


def test_teams_voice_tags_merge_consecutive_cues_and_unlabelled_cues_continue():
    document = read_document(TEAMS.encode(), "teams.vtt")
    assert turn_view(document) == [
        ("annamüller", "Hallo zusammen, schön, dass Sie da sind. und weiter ohne Tag", 1_000),
        ("ben", "Gut & Ihnen?", 8_000),
        ("annamüller", "Danke.", 8_000),
    ]
    assert document.text.startswith("Anna Müller: Hallo zusammen,")
    assert [s.label for s in document.speakers] == ["Anna Müller", "Ben"]


def test_zoom_name_colon_cues():
    zoom = (
        "WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.000\nInterviewer: Guten Tag.\n\n"
        "2\n00:00:02.000 --> 00:00:04.000\nFrau K: Hallo.\n\n"
        "3\n00:00:04.000 --> 00:01:04.000\nFrau K: Wir wohnen seit 2019 hier.\n\n"
        "4\n01:00:04.000 --> 01:00:06.000\nInterviewer: Danke.\n"
    )
    assert turn_view(read_document(zoom.encode(), "zoom.vtt")) == [
        ("interviewer", "Guten Tag.", 0),
        ("frauk", "Hallo. Wir wohnen seit 2019 hier.", 2_000),
        ("interviewer", "Danke.", 3_604_000),
    ]


def test_srt_without_speakers_keeps_one_turn_per_cue():
    srt = (
        "1\r\n00:00:01,500 --> 00:00:03,000\r\nDas Problem: Geld.\r\n\r\n"
        "2\r\n00:00:04,250 --> 00:00:06,000\r\n<i>Zweite</i>\r\nZeile\r\n\r\n"
    ).encode("cp1252")
    document = read_document(srt, "w.srt")
    assert turn_view(document) == [
        (None, "Das Problem: Geld.", 1_500),
        (None, "Zweite Zeile", 4_250),
    ]
    assert any("no speakers found" in note for note in document.notes)


def test_user_pattern_applies_to_cue_text():
    vtt = "WEBVTT\n\n00:01.000 --> 00:02.000\n>> A: eins\n\n00:03.000 --> 00:04.000\n>> B: zwei\n"
    document = read_document(vtt.encode(), "x.vtt", speaker_pattern=r">> (?P<speaker>\w): ")
    assert turn_view(document) == [("a", "eins", 1_000), ("b", "zwei", 3_000)]


def test_subtitle_with_timings_but_no_text_is_refused():
    with pytest.raises(UnreadableFileError, match="cues but no text"):
        read_document(b"WEBVTT\n\n00:01.000 --> 00:02.000\n\n", "leer.vtt")
