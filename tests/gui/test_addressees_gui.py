"""Several addressees on the desktop: the detail's Addressees tab shows each addressee's clock and
responses and adds or takes one off (undoable); the response form picks the addressee."""

from __future__ import annotations

import datetime as dt

import pytest

from pcc_desk.gui.dialogs.response_form import ResponseForm
from pcc_desk.services import register
from pcc_desk.vocabulary import Position, Status

TODAY = dt.date(2024, 6, 1)


@pytest.mark.parametrize("names", [["the Met", "MOPAC"], ["the Mayor", "the Met", "City Hall"]])
def test_the_response_form_picks_the_addressee_and_the_tab_shows_each(
    qtbot, window, desk, register_screen, names
):
    ref = register.add_recommendation(
        desk, "Joint ask", addressees=names, made=dt.date(2024, 1, 10)
    ).ref
    rec = register.get_recommendation(desk, ref)
    form = ResponseForm(window.bench, rec, window, today=TODAY)
    qtbot.addWidget(form)
    form.ui.textEdit.setPlainText("We accept.")
    assert form.addressee_combo is not None
    assert [form.addressee_combo.itemData(i) for i in range(form.addressee_combo.count())] == [
        None,
        *names,
    ]
    assert not form.save_button.isEnabled() and "addressee" in form.ui.problemLabel.text()
    form.addressee_combo.setCurrentIndex(2)  # the second addressee
    assert form.save_button.isEnabled()
    form.accept()
    detail = register.get_recommendation(desk, ref)
    by_name = {a.name: a for a in detail.addressees}
    assert [r.text for r in by_name[names[1]].responses] == ["We accept."]
    assert by_name[names[1]].status is Status.RESPONSE_RECEIVED
    assert detail.status is Status.AWAITING_RESPONSE  # the others have not answered

    register_screen.select_ref(ref)
    panel = register_screen.detail.addressees
    qtbot.waitUntil(lambda: panel.detail is not None and panel.detail.ref == ref, timeout=10_000)
    assert panel.tree.topLevelItemCount() == len(names)
    rows = {
        panel.tree.topLevelItem(i).text(0): panel.tree.topLevelItem(i) for i in range(len(names))
    }
    answered = rows[names[1]]
    assert (answered.text(1), answered.text(4), answered.childCount()) == (
        "Response received", Position.ACCEPTED.label, 1,
    )  # fmt: skip
    assert rows[names[0]].text(1) == "Awaiting response" and rows[names[0]].childCount() == 0
    assert register_screen.detail.tabs.tabText(5) == f"Addressees ({len(names)})"
    assert register_screen.detail.addressee_edit.isReadOnly()

    panel.add("the Home Office")
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() == len(names) + 1, timeout=10_000)
    panel.tree.setCurrentItem(panel.tree.topLevelItem(len(names)))
    assert panel.remove_button.isEnabled()
    panel.remove_current()
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() == len(names), timeout=10_000)
    window.bench.undo.undo()  # the Home Office back
    assert len(register.get_recommendation(desk, ref).addressees) == len(names) + 1
    window.bench.undo.undo()  # and gone again
    assert [a.name for a in register.get_recommendation(desk, ref).addressees] == names
    refused = []
    window.bench.report_error = refused.append
    panel.remove(names[1])  # it has a response: refused, nothing changed
    assert len(refused) == 1 and "\n" not in str(refused[0])
    assert [a.name for a in register.get_recommendation(desk, ref).addressees] == names


def test_a_one_addressee_ask_has_no_addressee_choice(qtbot, window, desk, sample_register):
    rec = register.get_recommendation(desk, sample_register[0])
    form = ResponseForm(window.bench, rec, window, today=TODAY)
    qtbot.addWidget(form)
    assert form.addressee_combo is None and form.ui.fromEdit.text() == rec.addressee
