"""The desktop's undo stack goes through the services' journal: the same undo and redo as the command
line, the same refusals (shown in one line, the step stays done)."""

from __future__ import annotations

import pytest

from pcc_desk.model import Status
from pcc_desk.services import Desk, register, undo


@pytest.fixture
def shown_errors(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(
        "pcc_desk.gui.workbench.show_error", lambda _parent, error, *a: shown.append(str(error))
    )
    return shown


def _edit_in_detail(window, register_screen, ref, text):
    register_screen.select_ref(ref)
    register_screen.detail.ask_edit.setPlainText(text)
    window.save_action.trigger()


def test_ctrl_z_writes_the_journals_undo_and_the_command_line_can_redo_it(
    qtbot, desk, window, register_screen, sample_register, capsys
):
    from pcc_desk.cli import main

    ref = sample_register[0]
    _edit_in_detail(window, register_screen, ref, "Publish timescales, and report quarterly")
    (edit,) = undo.recent(desk, limit=1)
    assert edit.kind.value == "edit-recommendation" and ref in edit.summary

    window.undo_action.trigger()
    latest = undo.recent(desk, limit=1)[0]
    assert latest.kind.value == "undo" and latest.undoes == edit.id
    assert register.get_recommendation(desk, ref).text == "Publish timescales for the reform"

    assert main(["--db", str(desk.location.path), "redo"]) == 0  # the same journal, from outside
    assert "Redone: Edit " + ref in capsys.readouterr().out
    assert register.get_recommendation(desk, ref).text.endswith("report quarterly")


def test_a_refused_undo_is_shown_in_one_line_and_the_step_stays_done(
    qtbot, desk, window, register_screen, sample_register, shown_errors
):
    ref = sample_register[0]
    _edit_in_detail(window, register_screen, ref, "Alice's wording of the ask")
    with Desk.open(desk.location.path) as colleague:
        colleague.user = "bob"
        register.edit_recommendation(colleague, ref, text="Bob's wording of the ask")

    window.undo_action.trigger()
    qtbot.waitUntil(lambda: bool(shown_errors), timeout=5_000)
    assert shown_errors == [f"{ref}: its text has been changed since; the edit was not undone."]
    assert register.get_recommendation(desk, ref).text == "Bob's wording of the ask"
    stack = window.bench.undo
    assert stack.count() == 1 and stack.index() == 1 and stack.canUndo()


def test_a_step_undone_meanwhile_from_the_command_line_is_dropped_from_the_stack(
    qtbot, desk, window, register_screen, sample_register, shown_errors
):
    from pcc_desk.gui.undo import ChangeStatusCommand, execute

    ref = sample_register[2]
    execute(
        window.bench,
        ChangeStatusCommand(
            window.bench, ref, Status.AWAITING_RESPONSE, Status.SUPERSEDED, "Replaced"
        ),
    )
    undo.undo(desk)  # e.g. `pcc-desk undo` in a terminal
    window.undo_action.trigger()
    assert shown_errors and "undone already" in shown_errors[0]
    assert window.bench.undo.count() == 0
    history = register.get_recommendation(desk, ref).history
    assert [c.to_status for c in history] == [
        Status.AWAITING_RESPONSE,
        Status.SUPERSEDED,
        Status.AWAITING_RESPONSE,
    ]  # undone once, not twice
