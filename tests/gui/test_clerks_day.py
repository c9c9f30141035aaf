"""A clerk's day, in one run through the real widgets: import the sample letter through the review
dialog, log a response, import a transcript, search it, attach a quote, write a follow-up letter and
filter the register — checking the register file after each step."""

from __future__ import annotations

import datetime as dt
import shutil

import docx
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from pcc_desk.gui.dialogs.response_form import ResponseForm, to_qdate
from pcc_desk.model import Assessment, Position, Status
from pcc_desk.paths import resources_dir
from pcc_desk.services import register, transcripts

LETTER = "pcc-letter-2023-03-17-turnaround-plan.md"
TRANSCRIPT = "pcc-transcript-2022-10-12-sample.txt"
QUOTED = "That is how we succeed."


def _when_modal(qtbot, act) -> None:
    """Run ``act(dialog)`` on the next modal dialog, once it is on screen (exec() blocks the test)."""

    def attempt():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(50, attempt)
            return
        act(dialog)

    QTimer.singleShot(0, attempt)


def test_a_clerks_day_through_the_workbench(qtbot, window, desk, tmp_path):
    # 1. Import the sample letter through the review dialog (File → Import letter…)
    letter = tmp_path / LETTER
    shutil.copy(resources_dir() / "samples" / LETTER, letter)
    assert window.import_files([letter], "letter")
    reg = window.screens["register"]
    qtbot.waitUntil(
        lambda: getattr(reg, "letters", None) is not None and reg.letters.dialog is not None,
        timeout=20_000,
    )
    review = reg.letters.dialog
    assert review.ui.recipientEdit.text() == "Sir Mark Rowley"
    qtbot.mouseClick(
        review.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert review.result is not None and review.result.outcome == "imported"
    rows = register.list_recommendations(desk)
    assert len(rows) == 22 and len(register.list_themes(desk)) == 8
    qtbot.waitUntil(lambda: reg.model.rowCount() == 22, timeout=10_000)

    # 2. Log a response to the first ask, from its detail (Log response…)
    first = rows[0].ref
    reg.select_ref(first)
    qtbot.waitUntil(
        lambda: reg.detail.detail is not None and reg.detail.detail.ref == first, timeout=10_000
    )

    def fill_response(form):
        assert isinstance(form, ResponseForm)
        form.ui.receivedEdit.setDate(to_qdate(dt.date(2023, 5, 2)))
        form.ui.positionCombo.setCurrentIndex(
            form.ui.positionCombo.findData(Position.PARTLY_ACCEPTED)
        )
        form.ui.assessmentCombo.setCurrentIndex(
            form.ui.assessmentCombo.findData(Assessment.PARTLY_ADDRESSED)
        )
        form.set_text(
            "The final Plan sets out our performance framework; quarterly updates will follow."
        )
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    _when_modal(qtbot, fill_response)
    reg.detail.log_response()
    stored = register.get_recommendation(desk, first)
    assert [r.position for r in stored.responses] == [Position.PARTLY_ACCEPTED]
    assert stored.status is Status.FOLLOW_UP_NEEDED

    # 3. Import a transcript (dropped on the window) and read it
    transcript = tmp_path / TRANSCRIPT
    shutil.copy(resources_dir() / "samples" / TRANSCRIPT, transcript)
    assert window.import_files([transcript], "transcript")
    screen = window.screens["transcripts"]
    qtbot.waitUntil(
        lambda: screen.detail is not None and screen.meetings.topLevelItemCount() == 1,
        timeout=20_000,
    )
    (meeting,) = transcripts.list_transcripts(desk)
    assert meeting.date == dt.date(2022, 10, 12) and meeting.segment_count == 7

    # 4. Search it as a clerk types
    qtbot.keyClicks(screen.search.edit, "tackling crime")
    qtbot.waitUntil(lambda: len(screen.search.hits) >= 1, timeout=10_000)
    assert all(hit.kind == "transcript" for hit in screen.search.hits)

    # 5. Select the words in the reader and attach them as a quote to the first ask
    segment = next(seg for seg in screen.detail.segments if QUOTED in seg.text)
    start = segment.text.index(QUOTED)
    assert screen.reader.select_span(segment.id, start, start + len(QUOTED))
    qtbot.mouseClick(screen.reader.attach_button, Qt.MouseButton.LeftButton)
    attach = screen.attach_dialog
    attach.item_for(first).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(attach.ok_button, Qt.MouseButton.LeftButton)
    quotes = register.get_recommendation(desk, first).quotes
    assert [q.text for q in quotes] == [QUOTED]
    assert quotes[0].citation == "Police and Crime Committee, 12 October 2022 – transcript"

    # 6. Write a follow-up letter about it on the Letters screen and read the .docx back
    letters = window.show_screen("letters")
    qtbot.waitUntil(letters.is_loaded, timeout=20_000)
    letters.tick([first])
    out = tmp_path / "follow-up.docx"
    with qtbot.waitSignal(letters.letter_written, timeout=60_000):
        letters.write_letter(out)
    body = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert QUOTED.rstrip(".") in body and "quarterly updates will follow" in body
    assert "Dear Sir Mark," in body

    # 7. Filter the register: follow-up needed shows just the ask that was answered
    window.show_screen("register")
    combo = reg.status_combo
    combo.setCurrentIndex(combo.findData(Status.FOLLOW_UP_NEEDED))
    assert [reg.proxy.record(r).ref for r in range(reg.proxy.rowCount())] == [first]
    assert [
        r.ref
        for r in register.list_recommendations(
            desk, register.RecommendationFilter(statuses=(Status.FOLLOW_UP_NEEDED,))
        )
    ] == [first]
