"""The desktop's follow-through controls: the tracker paper's RAG rating set by hand with a reason
(the detail's Verified & evidence tab), and the progress-update cadence in Settings."""

from __future__ import annotations

import datetime as dt

import pytest

from pcc_desk.gui.dialogs.status_change import RagDialog
from pcc_desk.services import register, tracker_paper
from pcc_desk.services import settings as committee_settings


def _panel(qtbot, register_screen, ref):
    register_screen.select_ref(ref)
    panel = register_screen.detail.evidence
    qtbot.waitUntil(lambda: panel.detail is not None and panel.detail.ref == ref, timeout=10_000)
    return panel


def _answer_dialog(monkeypatch, qtbot, choose, reason):
    """RAG rating…'s dialog, answered as a clerk would (``choose``: a rating, or None for derived)."""
    seen = {}

    def exec_(dialog):
        dialog.rag_combo.setCurrentIndex(dialog.rag_combo.findData(choose))
        seen["ok without a reason"] = dialog.ok_button.isEnabled()
        dialog.note_edit.clear()
        qtbot.keyClicks(dialog.note_edit, reason)
        seen["ok"] = dialog.ok_button.isEnabled()
        dialog.ok_button.click()
        return dialog.result()

    monkeypatch.setattr(RagDialog, "exec", exec_)
    return seen


@pytest.mark.parametrize(
    ("which", "derived", "rag"),
    [(0, "Red", "Amber"), (0, "Red", "Green"), (1, "Amber", "Red"), (1, "Amber", "Green")],
)
def test_the_rating_is_set_by_hand_with_a_reason_and_undone(
    qtbot, window, desk, register_screen, sample_register, monkeypatch, which, derived, rag
):
    ref = sample_register[which]
    panel = _panel(qtbot, register_screen, ref)
    assert panel.rating.rag == derived and not panel.rating.by_clerk
    assert f"{derived}" in panel.rag_label.text() and "derived today" in panel.rag_label.text()
    reason = f"Reply promised by phone on {which + 3} June"
    seen = _answer_dialog(monkeypatch, qtbot, rag, reason)
    panel.choose_rag()
    assert seen == {"ok without a reason": False, "ok": True}
    qtbot.waitUntil(lambda: panel.rating is not None and panel.rating.by_clerk, timeout=10_000)
    stored = register.get_recommendation(desk, ref)
    assert (stored.rag, stored.rag_reason) == (rag, reason)
    assert tracker_paper.rating(desk, ref) == tracker_paper.RagRating(rag, reason, True, derived)
    text = panel.rag_label.text()
    assert rag in text and reason in text and f"derived: {derived}" in text
    # the paper says so, for any day
    paper = tracker_paper.paper_for(desk, dt.date.today())
    row = next(r for g in paper.groups for r in g.rows if r.ref == ref)
    assert (row.rag, row.rag_note) == (rag, f"set by the clerk: {reason}")
    window.bench.undo.undo()  # undone: derived again
    assert register.get_recommendation(desk, ref).rag is None
    qtbot.waitUntil(lambda: not panel.rating.by_clerk, timeout=10_000)  # the tab follows
    assert panel.rating.rag == derived and "derived today" in panel.rag_label.text()


def test_back_to_the_derived_rating_needs_no_reason(
    qtbot, window, desk, register_screen, sample_register, monkeypatch
):
    ref = sample_register[2]
    tracker_paper.set_rag(desk, ref, "green", "Seen at the meeting")
    panel = _panel(qtbot, register_screen, ref)
    assert panel.rating.by_clerk and panel.rating.rag == "Green"
    seen = _answer_dialog(monkeypatch, qtbot, None, "")
    panel.choose_rag()
    assert seen == {"ok without a reason": True, "ok": True}
    assert register.get_recommendation(desk, ref).rag is None
    assert not panel.rating.by_clerk


def test_the_rag_dialog_refuses_what_would_change_nothing(qtbot):
    dialog = RagDialog("PCC-2024-01-10/01", "Amber", "Reply promised", "Red")
    qtbot.addWidget(dialog)
    assert dialog.new_rag() == "Amber" and dialog.note_edit.text() == "Reply promised"
    assert not dialog.ok_button.isEnabled()  # the same rating for the same reason
    dialog.note_edit.setText("Reply came by phone")
    assert dialog.ok_button.isEnabled()
    fresh = RagDialog("PCC-2024-01-10/01", None, "", "Red")
    qtbot.addWidget(fresh)
    assert fresh.new_rag() is None and not fresh.ok_button.isEnabled()  # derived already
    assert fresh.rag_combo.itemText(0) == "Derived from the register (now Red)"
    assert [fresh.rag_combo.itemText(i) for i in range(1, 4)] == ["Green", "Amber", "Red"]


@pytest.mark.parametrize("months", [1, 3, 12, 36])
def test_the_update_cadence_is_set_in_settings(qtbot, desk, window, sample_register, months):
    from pcc_desk.gui.dialogs.settings_dialog import SettingsDialog

    answered = sample_register[1]  # partly accepted on 2 May 2023: an update is expected
    dialog = SettingsDialog(window.bench, window)
    qtbot.addWidget(dialog)
    spin = dialog.ui.cadenceSpin
    assert spin.value() == committee_settings.get_settings(desk).update_cadence_months == 6
    assert (spin.minimum(), spin.maximum()) == (1, committee_settings.MAX_CADENCE_MONTHS)
    spin.setValue(months)
    assert dialog.save_button.isEnabled()
    dialog.accept()
    assert committee_settings.get_settings(desk).update_cadence_months == months
    due = register.get_recommendation(desk, answered).next_update_due
    assert (due.year * 12 + due.month) - (2023 * 12 + 5) == months
    again = SettingsDialog(window.bench, window)
    qtbot.addWidget(again)
    assert again.ui.cadenceSpin.value() == months
    again.ui.cadenceSpin.setValue(months + 40)  # clamped to the service's limit
    assert again.ui.cadenceSpin.value() == committee_settings.MAX_CADENCE_MONTHS
