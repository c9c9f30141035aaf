"""The desktop window opens offscreen."""

from __future__ import annotations

from pcc_desk.gui.main_window import MainWindow


def test_main_window_opens_and_shows_the_database(qtbot, desk):
    window = MainWindow(desk)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.isVisible()
    assert str(desk.location.path) in window.statusBar().currentMessage()
