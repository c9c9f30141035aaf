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
    detail = register_screen.detail
    assert (
        detail.tabs.tabText(detail.tabs.indexOf(detail.addressees)) == f"Addressees ({len(names)})"
    )
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


@pytest.mark.parametrize("pick", [0, 1])
def test_the_register_filters_by_each_addressee_of_a_joint_ask(
    qtbot, window, desk, sample_register, pick
):
    names = ["the Met", "MOPAC"]
    joint = register.add_recommendation(desk, "Joint", addressees=names, made=dt.date(2024, 1, 2))
    register.add_recommendation(desk, "Solo", addressee=names[pick], made=dt.date(2024, 1, 3))
    screen = window.start("register")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    combo = screen.addressee_combo
    listed = [combo.itemData(i) for i in range(combo.count())]
    assert set(names) <= set(listed) and "the Met; MOPAC" not in listed
    combo.setCurrentIndex(combo.findData(names[pick]))
    shown = [screen.proxy.record(r) for r in range(screen.proxy.rowCount())]
    assert sorted(r.text for r in shown) == ["Joint", "Solo"]
    (row,) = [r for r in shown if r.ref == joint.ref]
    assert row.status is Status.AWAITING_RESPONSE and row.addressee == "the Met; MOPAC"


@pytest.mark.parametrize("seed", range(2))
def test_the_review_shows_the_addressees_an_ask_names_for_the_clerk_to_confirm(
    qtbot, window, desk, tmp_path, seed
):
    import random

    from support.undo_samples import write_letter
    from test_letter_review import open_review, select_ask

    rng = random.Random(seed)
    lead, named = rng.choice(
        [
            ("the Met and MOPAC should", ["the Met", "MOPAC"]),
            ("The Mayor and the Commissioner must", ["the Mayor", "the Commissioner"]),
        ]
    )
    asks = [f"{lead} publish the figures {seed}", f"the Met should train officers {seed}"]
    path = write_letter(tmp_path, f"joint-{seed}.md", dt.date(2024, 3, 1), [("Joint", asks)])
    dialog = open_review(qtbot, window, path)
    select_ask(dialog, 0)
    assert dialog.addressees_edit.text() == "; ".join(named)
    assert "confirm or change" in dialog.ui.contextView.toPlainText()
    select_ask(dialog, 1)
    assert dialog.addressees_edit.text() == ""
    select_ask(dialog, 0)
    dialog.addressees_edit.setText(f"{named[0]}; {named[1]}; the Home Office")  # the clerk adds one
    dialog.addressees_edit.editingFinished.emit()
    assert dialog.import_letter()
    by_text = {}
    for rec in register.list_recommendations(desk):
        by_text[rec.text] = register.get_recommendation(desk, rec.ref)
    first = next(d for t, d in by_text.items() if t.startswith(lead))
    assert [a.name for a in first.addressees] == [*named, "the Home Office"]
    second = next(d for t, d in by_text.items() if t.startswith("the Met should"))
    assert len(second.addressees) == 1
