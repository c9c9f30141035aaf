"""Two clerks, one record, in the desktop: the detail remembers the version it showed; a save after
someone else changed the recommendation opens the conflict dialog (who, when, per field their value
and yours) and the clerk keeps theirs, keeps theirs, or types a merge. Two Desks on one register
file: the window's, and a colleague's."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from pcc_desk.gui.dialogs.conflict import ConflictDialog
from pcc_desk.services import Desk, journal, register, undo

WORDS = ["publish", "timescales", "vetting", "neighbourhood", "officers", "report", "annually"]


@pytest.fixture
def colleague(desk):
    """alice, at another computer, on the same register file."""
    other = Desk.open(desk.location)
    other.user = "alice"
    yield other
    other.close()


def _words(rng: random.Random, who: str) -> str:
    return f"{who}: " + " ".join(rng.sample(WORDS, 4))


@pytest.fixture
def answer():
    """``answer(act)``: when the conflict dialog is up (modal), ``act(dialog)``; returns the dialogs
    seen. The poll ends with the test, so it never touches a later test's widgets."""
    stopped = {"now": False}

    def start(act) -> list[ConflictDialog]:
        seen: list[ConflictDialog] = []

        def poll() -> None:
            if stopped["now"]:
                return
            dialog = QApplication.activeModalWidget()
            if isinstance(dialog, ConflictDialog) and dialog not in seen:
                seen.append(dialog)
                act(dialog)
            QTimer.singleShot(20, poll)

        QTimer.singleShot(0, poll)
        return seen

    yield start
    stopped["now"] = True


def _editing(qtbot, register_screen, ref: str, field: str, value: str):
    register_screen.select_ref(ref)
    panel = register_screen.detail
    qtbot.waitUntil(lambda: panel.detail is not None and panel.detail.ref == ref)
    (panel.ask_edit if field == "text" else panel.notes_edit).setPlainText(value)
    assert panel.has_unsaved_changes()
    return panel


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize("field", ["text", "notes"])
def test_keep_mine_saves_over_theirs_as_a_new_recorded_edit(
    qtbot, register_screen, sample_register, colleague, answer, seed, field
):
    rng = random.Random(seed)
    ref = sample_register[seed]
    panel = _editing(qtbot, register_screen, ref, field, _words(rng, "bob"))
    shown = panel.detail.version
    theirs = _words(rng, "alice")
    register.edit_recommendation(colleague, ref, **{field: theirs})
    mine = panel.edited_values()[field]

    seen = answer(lambda d: d.mine_button.click())
    assert panel.save()

    (dialog,) = seen
    assert dialog.conflict.by == "alice" and dialog.conflict.seen == shown
    assert "alice" in dialog.heading.text()
    day, clock = journal.when(dialog.conflict.at).split(", ")
    assert clock in dialog.heading.text() and day in dialog.heading.text()
    assert dialog.theirs_boxes[field].toPlainText() == theirs
    assert dialog.yours_boxes[field].toPlainText() == mine
    saved = register.get_recommendation(colleague, ref)
    assert getattr(saved, field) == mine and saved.version == shown + 2
    assert panel.detail.version == saved.version and not panel.has_unsaved_changes()
    assert [o.actor for o in undo.recent(colleague, limit=2, everyone=True)] == [
        register_screen.bench.desk.user,
        "alice",
    ]


def test_keep_theirs_discards_mine_and_shows_theirs(
    qtbot, register_screen, sample_register, colleague, answer
):
    ref = sample_register[1]
    panel = _editing(qtbot, register_screen, ref, "text", "bob's wording")
    register.edit_recommendation(colleague, ref, text="alice's wording")
    before = len(undo.recent(colleague, limit=50, everyone=True))

    answer(lambda d: d.theirs_button.click())
    assert panel.save()

    assert panel.detail.text == "alice's wording" == panel.edited_values()["text"]
    assert not panel.has_unsaved_changes()
    assert len(undo.recent(colleague, limit=50, everyone=True)) == before  # nothing written


def test_edit_saves_the_merged_text_the_clerk_types(
    qtbot, register_screen, sample_register, colleague, answer
):
    ref = sample_register[2]
    panel = _editing(qtbot, register_screen, ref, "text", "Report on demand, quarterly")
    register.edit_recommendation(colleague, ref, text="Report on mental health demand, by borough")

    def merge(dialog: ConflictDialog) -> None:
        dialog.edit_button.click()
        box = dialog.yours_boxes["text"]
        assert not box.isReadOnly() and dialog.merged_button.isVisible()
        box.setPlainText("Report on mental health demand, by borough, quarterly")
        dialog.merged_button.click()

    answer(merge)
    assert panel.save()

    assert (
        register.get_recommendation(colleague, ref).text
        == "Report on mental health demand, by borough, quarterly"
    )


def test_cancel_saves_nothing_and_keeps_the_edits_in_the_form(
    qtbot, register_screen, sample_register, colleague, answer
):
    ref = sample_register[0]
    panel = _editing(qtbot, register_screen, ref, "notes", "bob's note")
    register.edit_recommendation(colleague, ref, notes="alice's note")

    answer(lambda d: d.reject())
    assert not panel.save()

    assert register.get_recommendation(colleague, ref).notes == "alice's note"
    assert panel.edited_values()["notes"] == "bob's note"
    assert "changed by alice" in panel.problem_label.text()


def test_a_save_with_no_change_by_anyone_else_asks_nothing(
    qtbot, register_screen, sample_register, answer
):
    ref = sample_register[0]
    panel = _editing(qtbot, register_screen, ref, "notes", "just mine")
    seen = answer(lambda d: d.reject())
    assert panel.save()
    qtbot.wait(50)
    assert seen == []


@pytest.mark.parametrize("choice", ["mine", "theirs", "merged"])
def test_the_committees_details_saved_by_a_colleague_meanwhile(
    qtbot, window, colleague, answer, choice
):
    import dataclasses

    from pcc_desk.gui.dialogs.settings_dialog import SettingsDialog
    from pcc_desk.services import settings

    dialog = SettingsDialog(window.bench, window)
    qtbot.addWidget(dialog)
    shown = settings.get_settings(colleague)
    settings.save_settings(
        colleague,
        dataclasses.replace(shown, chair="Susan Hall AM", clerk_email="alice@london.gov.uk"),
    )
    dialog.ui.chairEdit.setText("Marina Ahmad AM")
    dialog.ui.clerkNameEdit.setText("Bob Clerk")

    def act(conflicting: ConflictDialog) -> None:
        names = {f.name for f in conflicting.conflict.fields}
        assert names == {"chair", "clerk_name"}  # only the details bob changed are his to choose
        assert conflicting.theirs_boxes["chair"].toPlainText() == "Susan Hall AM"
        if choice == "mine":
            conflicting.mine_button.click()
        elif choice == "theirs":
            conflicting.theirs_button.click()
        else:
            conflicting.edit_button.click()
            conflicting.yours_boxes["chair"].setPlainText("Susan Hall AM and Marina Ahmad AM")
            conflicting.merged_button.click()

    seen = answer(act)
    dialog.accept()
    assert len(seen) == 1  # accept() returned after the conflict dialog closed

    saved = settings.get_settings(colleague)
    assert (
        saved.clerk_email == "alice@london.gov.uk"
    )  # their other change is kept whatever the choice
    expected = {
        "mine": ("Marina Ahmad AM", "Bob Clerk"),
        "theirs": ("Susan Hall AM", shown.clerk_name),
        "merged": ("Susan Hall AM and Marina Ahmad AM", "Bob Clerk"),
    }[choice]
    assert (saved.chair, saved.clerk_name) == expected
    assert seen[0].conflict.by == "alice"
