"""The detail beside the register shows the selected record's own values, and asks "Save the
changes?" only about edits the clerk made: never while typing in the search box, never because a
widget holds another value than the record's. Checked on generated registers shaped like years of
imported letters (up to 20,000 recommendations from 1,000 letters), driven with real key presses."""

from __future__ import annotations

import random
import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from support.big_register import build

from pcc_desk.gui.models.register_model import COL_ADDRESSEE, COL_MADE, COL_REF, COL_THEME
from pcc_desk.services import Desk, register

PHRASES = ["the met should publish", "mopac should report on", "sir mark", "a&e with people"]


@pytest.fixture(scope="session")
def generated_registers(tmp_path_factory, template_db):
    """Registers made once per session (size, letters, seed) -> (path, refs)."""
    made: dict[tuple[int, int, int], tuple] = {}

    def get(recommendations: int, letters: int, seed: int):
        key = (recommendations, letters, seed)
        if key not in made:
            path = tmp_path_factory.mktemp("letters-register") / "register.sqlite3"
            shutil.copyfile(template_db, path)
            made[key] = (
                path,
                build(path, recommendations=recommendations, letters=letters, seed=seed),
            )
        return made[key]

    return get


@pytest.fixture
def no_message_box(monkeypatch):
    """Any message box fails the test (and is recorded, so a test can say which)."""
    boxes: list[str] = []

    def refuse(self, *args):
        boxes.append(self.text())
        pytest.fail(f"a message box appeared: {self.text()}")

    monkeypatch.setattr(QMessageBox, "exec", refuse)
    for name in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(
            QMessageBox,
            name,
            staticmethod(lambda *a, _n=name: boxes.append(_n) or pytest.fail(f"QMessageBox.{_n}")),
        )
    return boxes


@pytest.fixture
def open_register(qtbot, tmp_path, generated_registers):
    from pcc_desk.gui.main_window import MainWindow

    opened = []

    def open_(recommendations: int, letters: int, seed: int):
        source, refs = generated_registers(recommendations, letters, seed)
        path = tmp_path / f"register-{seed}.sqlite3"
        shutil.copyfile(source, path)
        desk = Desk.open(path)
        window = MainWindow(desk, restore=False)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        screen = window.start("register")
        qtbot.waitUntil(screen.is_loaded, timeout=60_000)
        opened.append((window, desk))
        return screen, desk, refs

    yield open_
    for window, desk in opened:
        window.bench.tasks.cancel_all()
        window.bench.tasks.wait(5000)
        window.close()
        desk.close()


def record_values(desk, ref: str) -> dict:
    rec = register.get_recommendation(desk, ref)
    return {
        "text": rec.text.strip(),
        "theme": rec.theme,
        "addressee": rec.addressee.strip(),
        "kind": rec.kind,
        "priority": rec.priority,
        "made": rec.made,
        "notes": rec.notes.strip(),
    }


def assert_detail_is_the_selected_record(screen, desk) -> None:
    """The detail shows the current row's record, with that record's own values, unedited."""
    detail = screen.detail
    ref = screen.current_ref()
    if ref is None:
        assert detail.detail is None
        return
    assert detail.detail is not None and detail.detail.ref == ref
    assert ref in detail.heading.text()
    assert detail.edited_values() == record_values(desk, ref)
    assert not detail.has_unsaved_changes()
    assert not detail.save_button.isEnabled() and not detail.revert_button.isEnabled()


def click_row(qtbot, screen, ref: str) -> None:
    """Select ``ref`` as a clerk does: scroll to its row and click it."""
    row = screen.proxy.proxy_row_of(ref)
    assert row is not None
    index = screen.proxy.index(row, COL_REF)
    screen.table.scrollTo(index)
    rect = screen.table.visualRect(index)
    qtbot.mouseClick(screen.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert screen.current_ref() == ref


def type_and_check(qtbot, screen, desk, text: str, *, check) -> None:
    for char in text:
        qtbot.keyClick(screen.search_edit, char)
        check()


def erase_and_check(qtbot, screen, desk, *, check) -> None:
    while screen.search_edit.text():
        qtbot.keyClick(screen.search_edit, Qt.Key.Key_Backspace)
        check()


@pytest.mark.slow
def test_typing_in_the_search_box_of_20000_recommendations_never_asks_and_shows_the_record(
    qtbot, open_register, questions, no_message_box
):
    screen, desk, refs = open_register(20_000, 1_000, seed=11)
    assert screen.proxy.rowCount() == 20_000
    rng = random.Random(11)

    def check():
        assert questions.asked == [] and no_message_box == []
        assert_detail_is_the_selected_record(screen, desk)

    screen.focus_search()
    starts = [refs[0], refs[-1], *rng.sample(refs, 3)]
    sorts = [
        (COL_REF, Qt.SortOrder.AscendingOrder),
        (COL_MADE, Qt.SortOrder.DescendingOrder),
        (COL_THEME, Qt.SortOrder.AscendingOrder),
        (COL_ADDRESSEE, Qt.SortOrder.DescendingOrder),
        (COL_REF, Qt.SortOrder.DescendingOrder),
    ]
    for start, (column, order), phrase in zip(starts, sorts, PHRASES + PHRASES, strict=False):
        screen.table.sortByColumn(column, order)
        check()
        click_row(qtbot, screen, start)
        check()
        screen.search_edit.setFocus()
        type_and_check(qtbot, screen, desk, phrase, check=check)
        assert 0 < screen.proxy.rowCount() < 20_000, phrase
        type_and_check(qtbot, screen, desk, " zqx", check=check)  # nothing matches
        assert screen.proxy.rowCount() == 0 and screen.detail.detail is None
        erase_and_check(qtbot, screen, desk, check=check)
        assert screen.proxy.rowCount() == 20_000
        assert screen.current_ref() == start  # the clerk's row comes back
    # moving from row to row, far apart in the years, shows each record as it is
    for ref in rng.sample(refs, 40):
        click_row(qtbot, screen, ref)
        check()


@pytest.mark.parametrize(
    "recommendations, letters, seed", [(1_500, 60, 1), (3_000, 200, 2), (800, 15, 3)]
)
def test_moving_between_records_of_any_dates_is_not_an_edit(
    qtbot, open_register, questions, no_message_box, recommendations, letters, seed
):
    screen, desk, refs = open_register(recommendations, letters, seed)
    rng = random.Random(seed)
    # every neighbour pair in letter order (later letters, revised and inconsistent due dates),
    # then jumps back and forth across the years
    order = refs[:: max(1, len(refs) // 150)] + rng.sample(refs, 150)
    for ref in order:
        click_row(qtbot, screen, ref)
        assert questions.asked == [] and no_message_box == []
        assert_detail_is_the_selected_record(screen, desk)


@pytest.mark.parametrize("seed", [4, 5])
def test_edits_are_kept_while_filtering_hides_the_record_and_asked_about_only_on_moving_away(
    qtbot, open_register, questions, no_message_box, seed
):
    from pcc_desk.gui import prompts

    screen, desk, refs = open_register(2_000, 90, seed)
    rng = random.Random(seed)
    edited = rng.choice(refs)
    click_row(qtbot, screen, edited)
    note = f"Raise this at the meeting of week {seed}"
    screen.detail.notes_edit.setPlainText(note)
    assert screen.detail.has_unsaved_changes()

    screen.focus_search()
    qtbot.keyClicks(screen.search_edit, "zqx")  # hides everything, the edited record too
    assert screen.proxy.rowCount() == 0
    assert questions.asked == [] and no_message_box == []
    assert screen.detail.detail.ref == edited
    assert screen.detail.notes_edit.toPlainText() == note
    erase_and_check(qtbot, screen, desk, check=lambda: None)
    assert screen.current_ref() == edited and screen.detail.detail.ref == edited
    assert screen.detail.notes_edit.toPlainText() == note and questions.asked == []

    # a phrase that the edited record does not contain: it leaves the table, the edits stay
    text = register.get_recommendation(desk, edited).text.lower()
    phrase = next(p for p in PHRASES if p not in text)
    qtbot.keyClicks(screen.search_edit, phrase)
    if screen.proxy.proxy_row_of(edited) is None:
        assert screen.current_ref() is None
    assert screen.detail.detail.ref == edited and questions.asked == []
    assert screen.detail.notes_edit.toPlainText() == note

    # the clerk moves to another row: now (and only now) the question is asked
    other = next(
        screen.proxy.record(r).ref
        for r in range(screen.proxy.rowCount())
        if screen.proxy.record(r).ref != edited
    )
    questions.set(prompts.SAVE)
    click_row(qtbot, screen, other)
    assert questions.asked == [edited]
    assert register.get_recommendation(desk, edited).notes == note
    assert_detail_is_the_selected_record(screen, desk)


@pytest.mark.parametrize("seed", [6, 7, 8])
def test_saving_one_field_leaves_the_other_fields_exactly_as_stored(
    qtbot, open_register, questions, seed
):
    """No-break spaces (Word and PDF letters are full of them) and line breaks survive a save of
    another field: only the field the clerk changed is written."""
    from pcc_desk.model import Priority

    screen, desk, _refs = open_register(1_000, 40, seed)
    rng = random.Random(seed)
    with_nbsp = [
        row.ref
        for row in register.register_rows(desk)
        if ("\u00a0" in row.text or "\u00a0" in row.addressee) and row.made <= row.due
    ]
    assert with_nbsp
    for ref in rng.sample(with_nbsp, min(5, len(with_nbsp))):
        before = register.get_recommendation(desk, ref)
        click_row(qtbot, screen, ref)
        assert not screen.detail.has_unsaved_changes()
        combo = screen.detail.priority_combo
        new = next(p for p in Priority if p is not before.priority)
        combo.setCurrentIndex(combo.findData(new))
        assert screen.detail.changed_fields()[1] == {"priority": new}
        assert screen.detail.save()
        after = register.get_recommendation(desk, ref)
        assert after.priority is new
        assert (after.text, after.addressee, after.notes, after.made, after.theme) == (
            before.text,
            before.addressee,
            before.notes,
            before.made,
            before.theme,
        )
    assert questions.asked == []
