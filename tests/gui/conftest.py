"""GUI fixtures: window state in a temporary QSettings file, a main window on a real register file."""

from __future__ import annotations

import argparse
import datetime as dt

import pytest


@pytest.fixture(autouse=True)
def _isolated_qsettings(tmp_path):
    from PySide6.QtCore import QSettings

    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings")
    )
    yield


@pytest.fixture(autouse=True)
def questions(monkeypatch):
    """Answers the Save/Discard/Cancel question (Discard unless a test sets another) and records it:
    no real message box ever blocks a test."""
    from pcc_desk.gui import prompts

    asked: list[str] = []
    answer = {"value": prompts.DISCARD}

    def ask(_parent, what):
        asked.append(what)
        return answer["value"]

    monkeypatch.setattr(prompts, "ask_unsaved", ask)
    return type(
        "Answers",
        (),
        {"asked": asked, "set": staticmethod(lambda v: answer.__setitem__("value", v))},
    )


@pytest.fixture
def sample_register(desk):
    """Three recommendations, one with a response, one overdue."""
    from pcc_desk.model import Assessment, Position
    from pcc_desk.services import register

    made = dt.date(2023, 3, 17)
    a = register.add_recommendation(
        desk,
        "Publish timescales for the reform",
        theme="Delivering the mission",
        addressee="Sir Mark Rowley",
        made=made,
    )
    b = register.add_recommendation(
        desk,
        "Strengthen Safer Neighbourhood Boards",
        theme="Neighbourhood policing",
        addressee="Sir Mark Rowley",
        made=made,
    )
    c = register.add_recommendation(
        desk,
        "Report on mental health demand",
        theme="Core policing activities",
        addressee="Sophie Linden",
        made=dt.date(2024, 1, 10),
    )
    register.log_response(
        desk,
        b.ref,
        received=dt.date(2023, 5, 2),
        position=Position.PARTLY_ACCEPTED,
        assessment=Assessment.PARTLY_ADDRESSED,
        text="We will review SNBs.",
    )
    return [a.ref, b.ref, c.ref]


@pytest.fixture
def window(qtbot, desk):
    from pcc_desk.gui.main_window import MainWindow

    win = MainWindow(desk)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.bench.tasks.cancel_all()
    win.bench.tasks.wait(5000)


@pytest.fixture
def register_screen(qtbot, window, sample_register):
    screen = window.start("register")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    return screen


@pytest.fixture
def launch(qtbot):
    """Run the app's start-up in this process, as :func:`pcc_desk.gui.launch.run` does (the table
    read ahead from the launch on; the cycle collector left as it is); closes what it opened."""
    from pcc_desk.gui import app, launch  # (the window fixture imports the GUI the same way)

    started = []

    def run(db, **options):
        args = argparse.Namespace(  # the desktop's command-line options
            db=str(db), screenshot=None, view="register", allow_unsafe_location=False
        )
        for key, value in options.items():
            setattr(args, key, value)
        result = app.start(args, launch.read_ahead(args))
        if not isinstance(result, int):
            started.append(result)
            qtbot.addWidget(result.window)
        return result

    yield run
    for s in started:
        s.window.close()
        if s.window.bench is not None:
            s.window.bench.desk.close()
        if s.instance is not None:
            s.instance.release()
