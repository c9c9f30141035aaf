"""The detail screen shows an ask's chain of confirmed repeats."""

from __future__ import annotations

import datetime as dt

from pcc_desk.services import register, repeats


def test_the_detail_shows_when_the_ask_was_first_made_and_asked_again(qtbot, window, desk):
    first = register.add_recommendation(
        desk, "Publish vetting timescales for new recruits", made=dt.date(2023, 3, 17)
    ).ref
    again = register.add_recommendation(
        desk, "Publish the vetting timescales for recruits, again", made=dt.date(2024, 6, 12)
    ).ref
    other = register.add_recommendation(desk, "Report on horses", made=dt.date(2024, 6, 12)).ref
    repeats.confirm(desk, again, first)
    screen = window.start("register")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    for ref in (first, again):
        screen.detail.show_ref(ref)
        assert "First asked 17 March 2023; asked again 12 June 2024" in screen.detail.heading.text()
    screen.detail.show_ref(other)
    assert "asked again" not in screen.detail.heading.text()


def test_the_register_can_show_only_asks_asked_more_than_once(qtbot, window, desk):
    first = register.add_recommendation(
        desk, "Publish vetting timescales for new recruits", made=dt.date(2023, 3, 17)
    ).ref
    again = register.add_recommendation(
        desk, "Publish the vetting timescales for recruits, again", made=dt.date(2024, 6, 12)
    ).ref
    register.add_recommendation(desk, "Report on horses", made=dt.date(2024, 6, 12))
    repeats.confirm(desk, again, first)
    screen = window.start("register")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    assert screen.proxy.rowCount() == 3
    combo = screen.status_combo
    combo.setCurrentIndex(combo.findText("Asked more than once"))
    shown = {screen.proxy.record(r).ref for r in range(screen.proxy.rowCount())}
    assert shown == {first, again}
    screen.clear_filters()
    assert screen.proxy.rowCount() == 3


def test_the_letter_review_says_which_asks_were_asked_before(qtbot, window, desk, tmp_path):
    from support.gui_review import open_review
    from support.letter_fixtures import SAMPLE
    from support.replies import LATER_LETTER

    from pcc_desk.services import letter_import

    letter_import.commit(desk, letter_import.preview(desk, SAMPLE))
    later = tmp_path / "later.md"
    later.write_text(LATER_LETTER, encoding="utf-8")
    _screen, dialog = open_review(qtbot, window, later)
    labels = [dialog.item_for(n).text(0) for n in range(4)]
    assert labels[0].endswith("asked before: PCC-2023-03-17/01 (17 March 2023), Awaiting response")
    assert "asked before: PCC-2023-03-17/08" in labels[2]
    assert "asked before" not in labels[1] and "asked before" not in labels[3]
    dialog.reject()
