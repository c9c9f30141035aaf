"""The Register screen and the recommendation detail, driven like a clerk would, checked in the database."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from pcc_desk.model import Status
from pcc_desk.services import register


def test_register_lists_every_recommendation_after_loading(register_screen, sample_register):
    assert register_screen.proxy.rowCount() == 3
    assert "3 recommendations" in register_screen.count_label.text()


def test_typing_in_search_narrows_the_rows(qtbot, register_screen):
    register_screen.focus_search()
    qtbot.keyClicks(register_screen.search_edit, "neighbourhood")
    assert register_screen.proxy.rowCount() == 1
    assert register_screen.proxy.record(0).text == "Strengthen Safer Neighbourhood Boards"
    assert "1 of 3" in register_screen.count_label.text()
    register_screen.search_edit.clear()
    assert register_screen.proxy.rowCount() == 3


def test_status_and_theme_filters(register_screen):
    combo = register_screen.status_combo
    combo.setCurrentIndex(combo.findData(Status.FOLLOW_UP_NEEDED))
    assert [
        register_screen.proxy.record(r).theme for r in range(register_screen.proxy.rowCount())
    ] == ["Neighbourhood policing"]
    register_screen.clear_filters()
    theme = register_screen.theme_combo
    theme.setCurrentIndex(theme.findData("Delivering the mission"))
    assert register_screen.proxy.rowCount() == 1


def test_ctrl_f_puts_the_cursor_in_the_search_box(qtbot, window, register_screen):
    window.activateWindow()
    window.find_action.trigger()
    assert (
        register_screen.search_edit.hasFocus()
        or QApplication.focusWidget() is register_screen.search_edit
    )


def test_selecting_a_row_shows_its_detail(register_screen, sample_register):
    assert register_screen.select_ref(sample_register[1])
    detail = register_screen.detail
    assert detail.detail.ref == sample_register[1]
    assert detail.ask_edit.toPlainText() == "Strengthen Safer Neighbourhood Boards"
    assert detail.responses_tree.topLevelItemCount() == 1
    assert detail.history_tree.topLevelItemCount() == 2  # added, then the response moved it


def test_detail_shows_footnotes_quotes_and_history(qtbot, desk, register_screen, sample_register):
    from pcc_desk.model import (
        Document,
        DocumentKind,
        Footnote,
        Quote,
        Recommendation,
        RecommendationQuote,
        Segment,
        Transcript,
    )

    ref = sample_register[0]
    with desk.transaction(
        ("recommendations",)
    ) as s:  # what the letter and transcript importers will write
        rec = s.query(Recommendation).filter_by(ref=ref).one()
        doc = Document(kind=DocumentKind.LETTER, title="Turnaround Plan")
        s.add(doc)
        s.flush()
        rec.context = "The Committee is pleased to see the draft Plan."
        rec.footnotes = [
            Footnote(
                document_id=doc.id,
                number=7,
                text="MPS Turnaround Plan 2023-2025",
                urls=["https://www.met.police.uk/turnaround-plan"],
            )
        ]
        tr = Transcript(
            committee="Police and Crime Committee",
            meeting_date=dt.date(2022, 10, 12),
            title="Meeting",
        )
        s.add(tr)
        s.flush()
        seg = Segment(
            transcript_id=tr.id,
            ordinal=3,
            speaker="Sir Mark Rowley",
            text="Policing should not be imposed.",
        )
        s.add(seg)
        s.flush()
        quote = Quote(
            transcript_id=tr.id,
            segment_id=seg.id,
            start=0,
            end=31,
            text="Policing should not be imposed.",
            speaker="Sir Mark Rowley",
            citation="Police and Crime Committee, 12 October 2022",
        )
        s.add(quote)
        s.flush()
        s.add(RecommendationQuote(recommendation_id=rec.id, quote_id=quote.id))
    register_screen.select_ref(ref)
    detail = register_screen.detail
    detail.show_ref(ref)
    html = detail.paragraph_view.toPlainText()
    assert "pleased to see the draft Plan" in html
    assert "7 MPS Turnaround Plan 2023-2025" in html.replace(
        "\xa0", " "
    )  # numbered as in the letter
    assert detail.quotes_tree.topLevelItemCount() == 1
    assert (
        detail.quotes_tree.topLevelItem(0).text(0) == "Police and Crime Committee, 12 October 2022"
    )
    assert detail.tabs.tabText(1) == "Quotes (1)"
    with qtbot.waitSignal(detail.quote_jump_requested) as jumped:
        detail.jump_button.click()
    assert jumped.args[0].text == "Policing should not be imposed."
    assert detail.history_tree.topLevelItemCount() == 1


def test_save_is_disabled_until_edited_and_valid(register_screen, sample_register):
    register_screen.select_ref(sample_register[0])
    detail = register_screen.detail
    assert not detail.save_button.isEnabled()
    detail.ask_edit.setPlainText("")
    assert not detail.save_button.isEnabled()
    assert "cannot be empty" in detail.problem_label.text()
    detail.ask_edit.setPlainText("Publish timescales, and report quarterly")
    assert detail.save_button.isEnabled()


def test_edit_saves_and_undo_redo_round_trip_through_the_database(
    qtbot, desk, window, register_screen, sample_register
):
    ref = sample_register[0]
    register_screen.select_ref(ref)
    detail = register_screen.detail
    detail.ask_edit.setPlainText("Publish timescales, and report quarterly")
    detail.notes_edit.setPlainText("Chased by phone")
    window.save_action.trigger()  # Ctrl+S
    stored = register.get_recommendation(desk, ref)
    assert (
        stored.text == "Publish timescales, and report quarterly"
        and stored.notes == "Chased by phone"
    )
    qtbot.waitUntil(
        lambda: register_screen.proxy.record(register_screen.proxy.proxy_row_of(ref)).text.endswith(
            "quarterly"
        )
    )

    window.undo_action.trigger()
    stored = register.get_recommendation(desk, ref)
    assert stored.text == "Publish timescales for the reform" and stored.notes == ""
    qtbot.waitUntil(lambda: detail.ask_edit.toPlainText() == "Publish timescales for the reform")

    window.redo_action.trigger()
    assert register.get_recommendation(desk, ref).text == "Publish timescales, and report quarterly"


def test_undo_of_a_status_change_appends_a_reverting_change(
    qtbot, desk, window, register_screen, sample_register
):
    from pcc_desk.gui.undo import ChangeStatusCommand, execute

    ref = sample_register[0]
    execute(
        window.bench,
        ChangeStatusCommand(
            window.bench, ref, Status.AWAITING_RESPONSE, Status.SUPERSEDED, "Replaced by a new ask"
        ),
    )
    assert register.get_recommendation(desk, ref).status is Status.SUPERSEDED
    qtbot.waitUntil(
        lambda: (
            register_screen.proxy.record(register_screen.proxy.proxy_row_of(ref)).status
            is Status.SUPERSEDED
        )
    )
    window.bench.undo.undo()
    detail = register.get_recommendation(desk, ref)
    assert detail.status is Status.AWAITING_RESPONSE
    assert [c.to_status for c in detail.history] == [
        Status.AWAITING_RESPONSE,
        Status.SUPERSEDED,
        Status.AWAITING_RESPONSE,
    ]
    window.bench.undo.redo()
    assert register.get_recommendation(desk, ref).status is Status.SUPERSEDED
    assert len(register.get_recommendation(desk, ref).history) == 4


def test_undo_of_a_due_date_revision(desk, window, register_screen, sample_register):
    from pcc_desk.gui.undo import ReviseDueCommand, execute

    ref = sample_register[0]
    old = register.get_recommendation(desk, ref).due
    execute(
        window.bench,
        ReviseDueCommand(window.bench, ref, old, dt.date(2023, 7, 31), "Extension agreed"),
    )
    assert register.get_recommendation(desk, ref).due == dt.date(2023, 7, 31)
    window.bench.undo.undo()
    stored = register.get_recommendation(desk, ref)
    assert stored.due == old and len(stored.due_revisions) == 2


def test_a_refused_edit_is_shown_and_not_put_on_the_undo_stack(
    window, register_screen, sample_register
):
    register_screen.select_ref(sample_register[0])
    detail = register_screen.detail
    detail.theme_combo.setCurrentText("x" * 10)
    detail.ask_edit.setPlainText("y" * 100_001)  # over the service's limit
    assert detail.save() is False
    assert "too long" in detail.problem_label.text()
    assert window.bench.undo.count() == 0


def test_ctrl_n_adds_a_recommendation_to_the_database(
    qtbot, desk, window, register_screen, monkeypatch
):
    from pcc_desk.gui.dialogs import new_recommendation

    created = {}

    def fake_exec(dialog):
        qtbot.keyClicks(dialog.text_edit, "Publish stop and search outcomes by ward")
        dialog.theme_combo.setCurrentText("Stop and search")
        assert dialog.save_button.isEnabled()
        dialog.accept()
        created["ref"] = dialog.created.ref
        return 1

    monkeypatch.setattr(new_recommendation.NewRecommendationDialog, "exec", fake_exec)
    window.new_action.trigger()
    stored = register.get_recommendation(desk, created["ref"])
    assert (
        stored.text == "Publish stop and search outcomes by ward"
        and stored.theme == "Stop and search"
    )
    qtbot.waitUntil(lambda: register_screen.proxy.rowCount() == 4, timeout=10_000)
    qtbot.waitUntil(lambda: register_screen.current_ref() == created["ref"], timeout=10_000)


def test_a_change_made_elsewhere_reaches_the_register(qtbot, desk, register_screen):
    register.add_recommendation(desk, "Added from the command line", made=dt.date(2024, 2, 2))
    qtbot.waitUntil(lambda: register_screen.proxy.rowCount() == 4, timeout=10_000)


def test_the_register_sorts_on_header_click(register_screen):
    from pcc_desk.gui.models.register_model import COL_THEME

    register_screen.table.sortByColumn(COL_THEME, Qt.SortOrder.AscendingOrder)
    themes = [register_screen.proxy.record(r).theme for r in range(3)]
    assert themes == sorted(themes)


def test_moving_to_another_row_with_unsaved_edits_asks_and_can_save(
    qtbot, desk, register_screen, questions, sample_register
):
    from pcc_desk.gui import prompts

    register_screen.select_ref(sample_register[0])
    register_screen.detail.notes_edit.setPlainText("Call the Met's liaison officer")
    questions.set(prompts.SAVE)
    register_screen.select_ref(sample_register[1])
    assert questions.asked == [sample_register[0]]
    assert (
        register.get_recommendation(desk, sample_register[0]).notes
        == "Call the Met's liaison officer"
    )
    assert register_screen.detail.detail.ref == sample_register[1]


def test_closing_the_window_with_unsaved_edits_asks_and_cancel_keeps_it_open(
    qtbot, desk, window, register_screen, questions, sample_register
):
    from pcc_desk.gui import prompts

    register_screen.select_ref(sample_register[0])
    register_screen.detail.ask_edit.setPlainText("Changed but not saved")
    questions.set(prompts.CANCEL)
    window.close()
    assert window.isVisible() and questions.asked
    questions.set(prompts.DISCARD)
    window.close()
    assert not window.isVisible()
    assert (
        register.get_recommendation(desk, sample_register[0]).text
        == "Publish timescales for the reform"
    )


def test_tab_moves_from_the_search_box_through_the_filters_to_the_table(
    qtbot, window, register_screen
):
    from PySide6.QtWidgets import QAbstractSpinBox

    window.activateWindow()
    register_screen.search_edit.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is register_screen.search_edit)
    chain = []
    for _ in range(9):
        window.focusNextChild()  # what Tab does
        widget = QApplication.focusWidget()
        while (
            widget is not None
            and not isinstance(widget, QAbstractSpinBox)
            and isinstance(widget.parent(), QAbstractSpinBox)
        ):
            widget = widget.parent()
        chain.append(widget)
    assert chain[:3] == [
        register_screen.status_combo,
        register_screen.theme_combo,
        register_screen.addressee_combo,
    ]
    assert chain[3:6] == [
        register_screen.from_edit,
        register_screen.to_edit,
        register_screen.clear_button,
    ]
    assert chain[6] is register_screen.table


def test_controls_have_accessible_names(register_screen):
    for widget in (
        register_screen.search_edit,
        register_screen.status_combo,
        register_screen.theme_combo,
        register_screen.addressee_combo,
        register_screen.table,
        register_screen.detail.ask_edit,
        register_screen.detail.notes_edit,
        register_screen.detail.save_button,
    ):
        assert widget.accessibleName(), widget


def test_about_names_the_version_and_where_the_data_lives(window, desk, monkeypatch):
    from pcc_desk import __version__
    from pcc_desk.gui import main_window

    shown = []
    monkeypatch.setattr(
        main_window.QMessageBox, "about", lambda parent, title, text: shown.append(text)
    )
    window.about_action.trigger()
    assert __version__ in shown[0] and str(desk.location.path) in shown[0]


def test_cancel_when_moving_away_keeps_the_edits_and_the_row(
    qtbot, register_screen, questions, sample_register
):
    from pcc_desk.gui import prompts

    register_screen.select_ref(sample_register[0])
    register_screen.detail.notes_edit.setPlainText("Draft note")
    questions.set(prompts.CANCEL)
    register_screen.select_ref(sample_register[1])
    qtbot.waitUntil(lambda: register_screen.current_ref() == sample_register[0])
    qtbot.wait(50)
    assert len(questions.asked) == 1
    assert register_screen.detail.notes_edit.toPlainText() == "Draft note"


def test_change_status_and_revise_due_through_their_dialogs(
    qtbot, desk, window, register_screen, monkeypatch, sample_register
):
    from pcc_desk.gui.dialogs import status_change
    from pcc_desk.gui.dialogs.response_form import to_qdate

    ref = sample_register[1]
    register_screen.select_ref(ref)

    def status_exec(dialog):
        dialog.status_combo.setCurrentIndex(
            dialog.status_combo.findData(Status.CLOSED_NOT_ACCEPTED)
        )
        qtbot.keyClicks(dialog.note_edit, "The Met declined at the June meeting")
        dialog.accept()
        return dialog.result()

    def due_exec(dialog):
        dialog.due_edit.setDate(to_qdate(dt.date(2023, 9, 30)))
        qtbot.keyClicks(dialog.note_edit, "Extension agreed")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(status_change.ChangeStatusDialog, "exec", status_exec)
    monkeypatch.setattr(status_change.ReviseDueDialog, "exec", due_exec)
    window.status_action.trigger()  # Ctrl+T
    window.due_action.trigger()  # Ctrl+D
    stored = register.get_recommendation(desk, ref)
    assert stored.status is Status.CLOSED_NOT_ACCEPTED
    assert stored.history[-1].note == "The Met declined at the June meeting"
    assert (
        stored.due == dt.date(2023, 9, 30) and stored.due_revisions[-1].reason == "Extension agreed"
    )
    assert "Closed – not accepted" in register_screen.detail.heading.text()
    qtbot.waitUntil(
        lambda: (
            register_screen.proxy.record(register_screen.proxy.proxy_row_of(ref)).status
            is Status.CLOSED_NOT_ACCEPTED
        )
    )
    assert window.bench.undo.count() == 2


def test_log_response_from_the_detail_writes_through_the_dialog(
    qtbot, desk, window, register_screen, monkeypatch, sample_register
):
    from pcc_desk.gui.dialogs import response_form
    from pcc_desk.gui.dialogs.response_form import to_qdate
    from pcc_desk.model import Assessment

    ref = sample_register[0]
    register_screen.select_ref(ref)

    def form_exec(form):
        form.ui.receivedEdit.setDate(to_qdate(dt.date(2023, 6, 1)))
        form.ui.assessmentCombo.setCurrentIndex(
            form.ui.assessmentCombo.findData(Assessment.ADDRESSED)
        )
        form.set_text("Timescales are published on the Met's website.")
        form.accept()
        return form.result()

    monkeypatch.setattr(response_form.ResponseForm, "exec", form_exec)
    window.respond_action.trigger()  # Ctrl+R
    stored = register.get_recommendation(desk, ref)
    assert stored.status is Status.RESPONSE_RECEIVED and len(stored.responses) == 1
    assert register_screen.detail.responses_tree.topLevelItemCount() == 1
    qtbot.waitUntil(
        lambda: (
            register_screen.proxy.record(register_screen.proxy.proxy_row_of(ref)).latest_assessment
            is Assessment.ADDRESSED
        )
    )
