"""First run: an empty register offers to import a letter or to open the sample letter in one click."""

from __future__ import annotations

from PySide6.QtCore import Qt


def _empty_register(qtbot, window):
    screen = window.start("register")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    return screen


def test_an_empty_register_shows_a_welcome_with_both_ways_in(qtbot, window):
    screen = _empty_register(qtbot, window)
    empty = screen.empty_state
    assert empty.isVisible()
    assert not screen.table.isVisible()
    assert not screen.expand_button.isVisible()  # nothing to expand: not a bar across the welcome
    assert (
        empty.import_button.isVisible()
        and empty.import_button.text().replace("&", "") == "Import a letter…"
    )
    assert (
        empty.sample_button.isVisible()
        and empty.sample_button.text().replace("&", "") == "Open the sample letter"
    )


def test_import_a_letter_is_the_file_menus_import_action(qtbot, window):
    screen = _empty_register(qtbot, window)
    fired = []
    window.import_letter_action.triggered.connect(lambda *_: fired.append(True))
    calls = []
    window._choose_and_import = lambda kind, *_: calls.append(kind)  # no file dialog in a test
    qtbot.mouseClick(screen.empty_state.import_button, Qt.MouseButton.LeftButton)
    assert fired == [True]
    assert calls == ["letter"]


def test_open_the_sample_letter_fills_the_register_and_the_welcome_goes(qtbot, window, desk):
    from pcc_desk.services import register

    screen = _empty_register(qtbot, window)
    qtbot.mouseClick(screen.empty_state.sample_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 22, timeout=20_000)
    assert not screen.empty_state.isVisible()
    assert screen.table.isVisible() and screen.expand_button.isVisible()
    assert len(register.list_recommendations(desk)) == 22
    assert "22" in screen.count_label.text()


def test_a_register_with_rows_never_shows_the_welcome(qtbot, register_screen):
    assert register_screen.model.rowCount() == 3
    assert not register_screen.empty_state.isVisible()
    assert register_screen.table.isVisible()


def test_help_about_gives_the_version_and_where_the_data_lives(qtbot, window, desk, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from pcc_desk import __version__

    shown = []
    monkeypatch.setattr(
        QMessageBox, "about", staticmethod(lambda parent, title, text: shown.append(text))
    )
    window.about_action.trigger()
    assert len(shown) == 1
    assert __version__ in shown[0]
    assert str(desk.location.path) in shown[0] and str(desk.location.backups_dir) in shown[0]
