"""The detail screen's "Asked before" tab: find the earlier asks like the one shown, confirm one as
repeated (or followed up...), remove a link; each step on the undo stack, through the services, and
the register's "Asked more than once" follows the confirmed links."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from pcc_desk.services import register, repeats
from pcc_desk.vocabulary import LinkKind

ASKS = [
    (
        "Publish vetting timescales for new recruits each quarter",
        "Publish the vetting timescales for new recruits every quarter, again",
    ),
    (
        "Set out how many officers are abstracted from neighbourhood duties in each borough",
        "Set out how many neighbourhood officers were abstracted from their duties in each borough",
    ),
    (
        "Report the number of stop and search encounters that led to an arrest",
        "Report how many stop and search encounters led to an arrest, by borough",
    ),
]


def _shown_asked_again(screen):
    combo = screen.status_combo
    combo.setCurrentIndex(combo.findText("Asked more than once"))
    shown = {screen.proxy.record(r).ref for r in range(screen.proxy.rowCount())}
    screen.clear_filters()
    return shown


@pytest.mark.parametrize(("texts", "kind"), list(zip(ASKS, list(LinkKind)[:3], strict=True)))
def test_the_clerk_confirms_a_repeat_from_the_detail_and_removes_it(
    qtbot, window, desk, texts, kind
):
    first = register.add_recommendation(desk, texts[0], made=dt.date(2023, 3, 17)).ref
    again = register.add_recommendation(desk, texts[1], made=dt.date(2024, 6, 12)).ref
    register.add_recommendation(
        desk, "Report on the horses of the mounted branch", made=dt.date(2024, 6, 12)
    )
    screen = window.start("register")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    detail = screen.detail
    detail.show_ref(again)
    panel = detail.asked
    assert panel.links_tree.topLevelItemCount() == 0 and not panel.confirm_button.isEnabled()
    with qtbot.waitSignal(panel.suggested, timeout=20_000):
        panel.find_button.click()
    assert [
        panel.found_tree.topLevelItem(n).text(0)
        for n in range(panel.found_tree.topLevelItemCount())
    ] == [first]
    panel.kind_combo.setCurrentIndex(panel.kind_combo.findData(kind.value))
    assert panel.confirm_button.text().endswith(first)
    if os.environ.get("PCC_DESK_SCREENSHOTS") and kind is LinkKind.REPEATS:  # the README's picture
        window.resize(1400, 820)
        assert screen.select_ref(again)  # the register's row and the detail agree in the picture
        qtbot.waitUntil(lambda: detail.detail is not None and detail.detail.ref == again)
        detail.tabs.setCurrentWidget(panel)
        panel.found_tree.setColumnWidth(0, 150)
        panel.found_tree.setColumnWidth(2, 150)
        qtbot.wait(50)
        window.grab().save(
            str(Path(os.environ["PCC_DESK_SCREENSHOTS"]) / "screenshot-asked-before.png")
        )
    panel.confirm_button.click()
    assert [(x.later, x.earlier, x.kind) for x in repeats.links_of(desk, again)] == [
        (again, first, kind)
    ]
    assert "First asked 17 March 2023; asked again 12 June 2024" in detail.heading.text()
    assert panel.links_tree.topLevelItem(0).text(0) == f"{kind.label} {first}"
    assert detail.tabs.tabText(detail.tabs.indexOf(detail.asked)) == "Asked before (1)"
    qtbot.waitUntil(lambda: _shown_asked_again(screen) == {first, again}, timeout=10_000)
    window.bench.undo.undo()  # Ctrl+Z
    assert repeats.links_of(desk, again) == ()
    window.bench.undo.redo()
    assert len(repeats.links_of(desk, again)) == 1
    detail.show_ref(first)  # seen from the earlier ask: repeated by the later one; remove it there
    item = panel.links_tree.topLevelItem(0)
    assert item.text(0) == f"{kind.label} by {again}"
    panel.links_tree.setCurrentItem(item)
    panel.remove_button.click()
    assert repeats.links_of(desk, first) == ()
    assert panel.links_tree.topLevelItemCount() == 0
    assert "asked again" not in detail.heading.text()
    qtbot.waitUntil(lambda: _shown_asked_again(screen) == set(), timeout=10_000)
    window.bench.undo.undo()
    assert [x.kind for x in repeats.links_of(desk, first)] == [kind]
