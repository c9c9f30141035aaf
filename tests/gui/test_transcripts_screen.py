"""The Transcripts screen: import, read, search, quote; the register checked after each step."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextCursor
from support.held import Held

from pcc_desk.gui.screens.transcripts import ID_ROLE
from pcc_desk.paths import resources_dir
from pcc_desk.services import letter_import, register
from pcc_desk.services import transcripts as transcript_service

SAMPLE = "pcc-letter-2023-03-17-turnaround-plan.md"
PROMISE = "we'll publish a turnaround plan by the end of the year"

TRANSCRIPT = """London Assembly
Police and Crime Committee – 12 October 2022
Transcript of Agenda Item 5 – Question and Answer Session with the Commissioner

Susan Hall AM (Chairman): Good morning and welcome. Can I welcome Sir Mark Rowley to his first meeting?

Sir Mark Rowley QPM (Commissioner of Police of the Metropolis): Thank you, Chairman. We will rebuild trust in neighbourhood policing, and we'll publish a turnaround plan by the end of the year.

Caroline Russell AM: Commissioner, on stop and search: what will change for young people?

Sir Mark Rowley QPM (Commissioner of Police of the Metropolis): We will publish the data on stop and search every month.

Susan Hall AM (Chairman): Thank you, Commissioner. That concludes this item.
"""


@pytest.fixture
def letter_imported(desk, tmp_path):
    path = tmp_path / SAMPLE
    shutil.copy(resources_dir() / "samples" / SAMPLE, path)
    result = letter_import.commit(desk, letter_import.preview(desk, path))
    return result.refs


@pytest.fixture
def transcript_file(tmp_path):
    path = tmp_path / "pcc-2022-10-12.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    return path


@pytest.fixture
def screen(qtbot, window, desk, letter_imported, transcript_file):
    """The transcript dropped on the window (routed to this screen by its content), imported and open."""
    assert window.import_files([transcript_file])
    screen = window.screens["transcripts"]
    qtbot.waitUntil(
        lambda: screen.detail is not None and screen.meetings.topLevelItemCount() == 1,
        timeout=20_000,
    )
    return screen


def segment_with(screen, words):
    return next(seg for seg in screen.detail.segments if words in seg.text)


def test_a_dropped_transcript_is_imported_and_read_turn_by_turn(qtbot, desk, screen):
    records = transcript_service.list_transcripts(desk)
    assert len(records) == 1 and records[0].segment_count == 5
    assert screen.window().current_key() == "transcripts"
    assert "12 October 2022" in screen.meetings.topLevelItem(0).text(0)
    text = screen.reader.view.toPlainText()
    assert (
        "Sir Mark Rowley QPM (Commissioner of Police of the Metropolis): Thank you, Chairman."
        in text
    )
    # the speaker's name in bold, the words they said not
    start = text.index("Caroline Russell AM")
    cursor = QTextCursor(screen.reader.view.document())
    cursor.setPosition(start + 2)
    assert cursor.charFormat().fontWeight() == QFont.Weight.Bold
    cursor.setPosition(text.index("what will change") + 2)
    assert cursor.charFormat().fontWeight() != QFont.Weight.Bold


def test_search_as_you_type_shows_highlighted_hits_and_filters_by_speaker(qtbot, screen):
    qtbot.keyClicks(screen.search.edit, "publish")
    qtbot.waitUntil(lambda: len(screen.search.hits) == 2, timeout=10_000)
    assert all(hit.kind == "transcript" for hit in screen.search.hits)
    assert (
        "<b" in screen.search.hits_list.item(0).text()
        and "publish" in screen.search.hits_list.item(0).text().lower()
    )
    assert screen.search.hits_label.text() == "2 hits"
    assert screen.reader.view.extraSelections()  # the words are marked in the reader too

    index = next(
        i
        for i in range(screen.search.speaker_combo.count())
        if screen.search.speaker_combo.itemData(i) == "Caroline Russell"
    )
    screen.search.speaker_combo.setCurrentIndex(index)
    screen.search.edit.setText("change")
    qtbot.waitUntil(
        lambda: (
            len(screen.search.hits) == 1 and screen.search.hits[0].speaker.startswith("Caroline")
        ),
        timeout=10_000,
    )
    screen.search.edit.setText("publish")
    qtbot.waitUntil(lambda: screen.search.hits_label.text() == "No hits.", timeout=10_000)


@pytest.mark.parametrize(
    ("first", "then", "hits"), [("publish", "concludes", 1), ("concludes", "publish", 2)]
)
def test_a_stale_answer_is_dropped(qtbot, screen, monkeypatch, first, then, hits):
    from pcc_desk.services import search as search_service

    held = Held(search_service.find)  # the search for the first words answers last
    monkeypatch.setattr(search_service, "find", held)
    screen.search.edit.setText(first)
    screen.search.run_search()
    qtbot.waitUntil(held.holding.is_set, timeout=10_000)
    screen.search.edit.setText(then)
    screen.search.run_search()
    qtbot.waitUntil(lambda: len(screen.search.hits) == hits, timeout=10_000)
    held.released.set()
    qtbot.waitUntil(lambda: not screen.bench.tasks.busy, timeout=10_000)
    qtbot.wait(50)
    assert len(screen.search.hits) == hits and screen.search.hits_list.count() == hits
    assert all(then in hit.snippet.lower() for hit in screen.search.hits)


def test_clicking_a_hit_opens_the_turn(qtbot, screen):
    screen.search.edit.setText("concludes")
    qtbot.waitUntil(lambda: len(screen.search.hits) == 1, timeout=10_000)
    screen.reader.view.moveCursor(QTextCursor.MoveOperation.Start)
    screen.open_hit(screen.search.hits[0])
    segment = segment_with(screen, "concludes")
    found, _offset = screen.reader.segment_at(screen.reader.view.textCursor().position())
    assert found is not None and found.id == segment.id


def test_selected_words_are_attached_as_a_quote_to_two_recommendations(
    qtbot, desk, screen, letter_imported
):
    segment = segment_with(screen, PROMISE)
    start = segment.text.index(PROMISE)
    assert not screen.reader.attach_button.isEnabled()
    assert screen.reader.select_span(segment.id, start, start + len(PROMISE))
    assert screen.reader.view.textCursor().selectedText() == PROMISE
    assert screen.reader.attach_button.isEnabled()
    qtbot.mouseClick(screen.reader.attach_button, Qt.MouseButton.LeftButton)
    dialog = screen.attach_dialog
    assert dialog is not None and not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.filter_edit, "/01")
    visible = [
        dialog.list.item(r)
        for r in range(dialog.list.count())
        if not dialog.list.item(r).isHidden()
    ]
    assert [item.data(Qt.ItemDataRole.UserRole) for item in visible] == ["PCC-2023-03-17/01"]
    dialog.item_for("PCC-2023-03-17/01").setCheckState(Qt.CheckState.Checked)
    dialog.filter_edit.clear()
    dialog.item_for("PCC-2023-03-17/05").setCheckState(Qt.CheckState.Checked)
    assert dialog.checked_refs() == ["PCC-2023-03-17/01", "PCC-2023-03-17/05"]
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    for ref in ("PCC-2023-03-17/01", "PCC-2023-03-17/05"):
        quotes = register.get_recommendation(desk, ref).quotes
        assert [q.text for q in quotes] == [PROMISE]
        assert quotes[0].speaker.startswith("Sir Mark Rowley")
    assert register.get_recommendation(desk, "PCC-2023-03-17/02").quotes == ()
    # the reader marks the quote once it is read again
    qtbot.waitUntil(lambda: len(screen.quotes) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: screen.meetings.topLevelItem(0).text(3) == "1", timeout=10_000)


def test_a_selection_across_two_turns_cannot_be_quoted(qtbot, screen):
    first = screen.detail.segments[0]
    second = screen.detail.segments[1]
    cursor = QTextCursor(screen.reader.view.document())
    cursor.setPosition(screen.reader.turn_start(first.id) + 3)
    cursor.setPosition(screen.reader.turn_start(second.id) + 5, QTextCursor.MoveMode.KeepAnchor)
    screen.reader.view.setTextCursor(cursor)
    assert screen.reader.selected_span() is None
    assert not screen.reader.attach_button.isEnabled()
    assert "one speaker's turn" in screen.reader.selection_label.text()


def test_show_in_transcript_from_the_detail_selects_the_quoted_words(qtbot, window, desk, screen):
    from pcc_desk.services import quotes

    segment = segment_with(screen, "data on stop and search")
    words = "publish the data on stop and search every month"
    start = segment.text.index(words)
    quote = quotes.quote_span(desk, segment.id, start, start + len(words), ["PCC-2023-03-17/03"])
    screen.reader.view.moveCursor(QTextCursor.MoveOperation.Start)
    register_screen = window.show_screen("register")
    qtbot.waitUntil(
        lambda: register_screen.is_loaded() and register_screen.model.rowCount() == 22,
        timeout=10_000,
    )
    register_screen.reveal("PCC-2023-03-17/03")
    detail = register_screen.detail
    qtbot.waitUntil(
        lambda: (
            detail.detail is not None
            and detail.detail.ref == "PCC-2023-03-17/03"
            and detail.quotes_tree.topLevelItemCount() == 1
        ),
        timeout=10_000,
    )
    qtbot.mouseClick(detail.jump_button, Qt.MouseButton.LeftButton)  # "Show in transcript"
    assert window.current_key() == "transcripts"
    qtbot.waitUntil(lambda: screen.reader.view.textCursor().selectedText() == words, timeout=10_000)
    assert quote.text == words


def test_a_bad_transcript_file_is_listed_and_nothing_is_written(qtbot, window, desk, tmp_path):
    bad = tmp_path / "transcript-broken.docx"
    bad.write_bytes(b"not a word file")
    window.import_files([bad], "transcript")
    screen = window.screens["transcripts"]
    with qtbot.waitSignal(screen.transcripts_imported, timeout=20_000) as signal:
        pass
    batch = signal.args[0]
    assert batch.added == [] and [r.outcome for r in batch.results] == ["refused"]
    assert batch.refused[0].reason.startswith("transcript-broken.docx: ")
    assert "could not be imported" in screen.report_box.text()
    screen.report_box.close()
    assert transcript_service.list_transcripts(desk) == []


def test_page_numbers_are_shown_and_quotes_still_land_on_the_right_words(
    qtbot, window, desk, tmp_path
):
    paged = tmp_path / "pcc-transcript-paged.txt"
    first, rest = TRANSCRIPT.split("Caroline Russell AM:", 1)
    paged.write_text(f"{first}\f Caroline Russell AM:{rest}", encoding="utf-8")
    window.import_files([paged], "transcript")
    screen = window.screens["transcripts"]
    qtbot.waitUntil(lambda: screen.detail is not None, timeout=20_000)
    text = screen.reader.view.toPlainText()
    assert "[page 1]" in text and "[page 2]" in text
    assert text.index("[page 2]") < text.index("Caroline Russell AM:")
    segment = segment_with(screen, "every month")
    start = segment.text.index("every month")
    assert screen.reader.select_span(segment.id, start, start + len("every month"))
    assert screen.reader.view.textCursor().selectedText() == "every month"
    assert screen.reader.selected_span() == (segment, start, start + len("every month"))


@pytest.mark.parametrize("meetings", [2, 3])
def test_the_meeting_chosen_last_is_the_one_shown(qtbot, screen, tmp_path, monkeypatch, meetings):
    for n in range(1, meetings):  # other meetings, each a month later
        path = tmp_path / f"pcc-2022-{10 + n:02d}-12.txt"
        text = TRANSCRIPT.replace("12 October 2022", f"12 {('November', 'December')[n - 1]} 2022")
        path.write_text(text.replace("welcome", f"welcome (meeting {n})"), encoding="utf-8")
        transcript_service.import_transcript(screen.bench.desk, path)
    qtbot.waitUntil(lambda: screen.meetings.topLevelItemCount() == meetings, timeout=10_000)
    held = Held(transcript_service.get_transcript)  # the first meeting chosen is read, then waits
    monkeypatch.setattr(transcript_service, "get_transcript", held)
    items = [screen.meetings.topLevelItem(n) for n in range(meetings)]
    first, last = items[0], items[-1]
    screen.meetings.setCurrentItem(first)
    qtbot.waitUntil(held.holding.is_set, timeout=10_000)
    screen.meetings.setCurrentItem(last)
    wanted = last.data(0, ID_ROLE)
    qtbot.waitUntil(
        lambda: screen.detail is not None and screen.detail.transcript.id == wanted, timeout=10_000
    )
    held.released.set()  # the first meeting's reading arrives last
    qtbot.waitUntil(lambda: not screen.bench.tasks.busy, timeout=10_000)
    qtbot.wait(50)
    assert screen.detail.transcript.id == wanted
    assert screen.meetings.currentItem() is last
