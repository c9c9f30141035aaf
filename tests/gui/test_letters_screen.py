"""The Letters screen: pick, preview, write the .docx and read it back; export the tracker."""

from __future__ import annotations

import csv
import datetime as dt
import shutil

import pytest
from PySide6.QtCore import Qt

from pcc_desk.model import Assessment, Position
from pcc_desk.paths import resources_dir
from pcc_desk.services import letter_import, register

SAMPLE = "pcc-letter-2023-03-17-turnaround-plan.md"


@pytest.fixture
def casework(desk, tmp_path):
    """The sample letter imported; one ask answered."""
    path = tmp_path / SAMPLE
    shutil.copy(resources_dir() / "samples" / SAMPLE, path)
    refs = letter_import.commit(desk, letter_import.preview(desk, path)).refs
    register.log_response(
        desk,
        refs[0],
        received=dt.date(2023, 5, 2),
        position=Position.PARTLY_ACCEPTED,
        assessment=Assessment.PARTLY_ADDRESSED,
        text="We will publish timescales in the summer.",
    )
    return refs


@pytest.fixture
def screen(qtbot, window, casework):
    screen = window.show_screen("letters")
    qtbot.waitUntil(screen.is_loaded, timeout=20_000)
    return screen


def docx_text(path) -> str:
    import docx

    document = docx.Document(str(path))
    return "\n".join(p.text for p in document.paragraphs)


def test_ticking_a_theme_previews_the_outline_with_response_counts(qtbot, desk, screen, casework):
    assert screen.checklist.topLevelItemCount() == 22
    assert screen.recipient_edit.text() == "Sir Mark Rowley"
    assert screen.salutation_edit.text() == "Dear Sir Mark,"
    index = screen.tick_combo.findText("Theme: Delivering the mission")
    screen.tick_combo.setCurrentIndex(index)
    screen.tick_combo.activated.emit(index)
    expected = [
        r.ref for r in register.list_recommendations(desk) if r.theme == "Delivering the mission"
    ]
    assert screen.ticked_refs() == expected and casework[0] in expected
    assert (
        screen.outline.topLevelItem(0).text(0)
        == "Tick recommendations to see the letter's outline."
    )
    qtbot.waitUntil(
        lambda: screen.outline.topLevelItem(0).text(0) == "Delivering the mission", timeout=10_000
    )
    assert screen.outline.topLevelItemCount() == 1
    theme = screen.outline.topLevelItem(0)
    assert theme.text(0) == "Delivering the mission"
    assert theme.childCount() == len(expected)
    first = theme.child(0)
    assert first.text(0).startswith(casework[0]) and first.text(1) == "1" and first.text(2) == "0"
    assert "Dear Sir Mark," in screen.text_view.toPlainText()


def test_follow_up_needed_and_overdue_tick_what_the_register_says(qtbot, desk, screen, casework):
    from pcc_desk.model import Status

    register.change_status(desk, casework[4], Status.FOLLOW_UP_NEEDED, "Chase the Met")
    qtbot.waitUntil(
        lambda: any(
            r.ref == casework[4] and r.status is Status.FOLLOW_UP_NEEDED for r in screen.rows
        ),
        timeout=10_000,
    )
    index = screen.tick_combo.findData("status:follow-up-needed")
    screen.tick_combo.activated.emit(index)
    expected = [
        r.ref for r in register.list_recommendations(desk) if r.status is Status.FOLLOW_UP_NEEDED
    ]
    assert casework[4] in expected and casework[2] not in expected
    assert screen.ticked_refs() == expected
    screen.tick_combo.activated.emit(screen.tick_combo.findText("Overdue"))
    overdue = {r.ref for r in register.overdue(desk)}
    assert set(screen.ticked_refs()) == overdue and casework[0] not in overdue


def test_the_letter_is_written_as_a_docx_with_the_clerks_salutation_and_offered_to_open(
    qtbot, screen, casework, tmp_path, monkeypatch
):
    for ref in casework[:3]:
        screen.tick([*screen.ticked_refs(), ref])
    screen.checklist.topLevelItem(5).setCheckState(0, Qt.CheckState.Checked)  # a click on a box
    assert screen.ticked_refs() == [*casework[:3], casework[5]]
    screen.salutation_edit.setText("Dear Commissioner,")
    screen.subject_edit.setText("Follow-up on the Turnaround Plan")
    out = tmp_path / "follow-up.docx"
    with qtbot.waitSignal(screen.letter_written, timeout=60_000) as written:
        screen.write_letter(out)
    drafted = written.args[0]
    assert drafted.refs == (*casework[:3], casework[5])
    text = docx_text(out)
    assert "Dear Commissioner," in text
    assert "Follow-up on the Turnaround Plan" in text
    assert "Sir Mark Rowley" in text
    details = [register.get_recommendation(screen.bench.desk, ref) for ref in drafted.refs]
    assert drafted.without_response == 3 and any(d.responses for d in details)
    opened = []
    monkeypatch.setattr(screen, "open_file", lambda path: opened.append(path) or True)
    assert screen.done_box is not None and out.name in screen.done_box.text()
    screen.open_file_button.click()
    assert opened == [out]


def test_a_chosen_template_is_used(qtbot, screen, casework, tmp_path):
    template = tmp_path / "our-letterhead.docx"
    shutil.copy(resources_dir() / "templates" / "pcc-letterhead.docx", template)
    screen.set_template(template)
    assert screen.template_label.text() == "our-letterhead.docx"
    screen.tick([casework[1]])
    with qtbot.waitSignal(screen.letter_written, timeout=60_000) as written:
        screen.write_letter(tmp_path / "letter.docx")
    assert written.args[0].template == template
    assert "increase collaboration with partners" in docx_text(tmp_path / "letter.docx")


def test_the_tracker_and_the_summary_of_actions_are_exported(qtbot, screen, casework, tmp_path):
    screen.tick(casework[:4])
    with qtbot.waitSignal(screen.exported, timeout=60_000):
        screen.export_tracker(tmp_path / "tracker.csv")
    with open(tmp_path / "tracker.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 5  # the header and the four ticked
    assert any(casework[0] in cell for cell in rows[1])
    screen.tick([])
    with qtbot.waitSignal(screen.exported, timeout=60_000) as exported:
        screen.export_tracker(tmp_path / "tracker.xlsx")
    assert exported.args[0].rows == 22
    import openpyxl

    assert openpyxl.load_workbook(tmp_path / "tracker.xlsx").active.max_row >= 23
    with qtbot.waitSignal(screen.exported, timeout=60_000) as exported:
        screen.export_actions(tmp_path / "actions.docx")
    assert exported.args[0].rows > 0
    written = docx_text(tmp_path / "actions.docx") + _tables_text(tmp_path / "actions.docx")
    assert "Summary List of Actions" in written and casework[1] in written


def _tables_text(path) -> str:
    import docx

    return " ".join(
        cell.text
        for table in docx.Document(str(path)).tables
        for row in table.rows
        for cell in row.cells
    )


def test_write_is_disabled_until_something_is_ticked(screen):
    assert not screen.write_button.isEnabled()
    screen.tick([screen.rows[0].ref])
    assert screen.write_button.isEnabled()


def test_the_preview_shows_the_letter_writers_footnote_numbers_and_words(qtbot, window, desk):
    from support.footnote_letters import build

    from pcc_desk.services.letters import Selection, outline_letter

    refs = build(desk, 4)
    screen = window.show_screen("letters")
    qtbot.waitUntil(screen.is_loaded, timeout=20_000)
    qtbot.waitUntil(lambda: len(screen.rows) == len(refs), timeout=10_000)
    screen.tick(refs)
    outline = outline_letter(desk, Selection(refs=tuple(refs)), **screen.options())
    notes = [n for p in outline for n in p.footnotes]
    assert notes, "the generated letter cites footnotes"
    last = notes[-1]
    qtbot.waitUntil(lambda: last.text.split()[0] in screen.text_view.toPlainText(), timeout=10_000)
    shown = screen.text_view.toHtml()
    for note in notes:
        assert f">{note.number}</" in shown
    plain = screen.text_view.toPlainText()
    for note in notes:
        assert f"{note.number} {note.text}" in plain
