"""The desktop when the database fails underneath a change: a driver's error no service worded, and a
team register's server stopped in the middle of a session. One line where the clerk is working (the
form's problem line, or a message), without the error's own text; nothing saved, nothing put on
the undo stack, and what is on screen stays there to be read."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest
from support.pg_support import pg_url

from pcc_desk.gui.errors import LOG_NAME, ExceptHook
from pcc_desk.services import Desk, register

REPO = Path(__file__).resolve().parents[2]
SERVER_SCRIPT = REPO / "scripts" / "pg-test-server.sh"


def _refuse_edits(desk) -> None:
    """A trigger that fails every change to a recommendation with a driver's error whose text holds
    the new wording (casework), as a server's own rule might."""
    with desk.engine.begin() as conn:
        if desk.location.is_server:
            conn.exec_driver_sql(
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "RAISE EXCEPTION 'cannot take %%', NEW.text USING ERRCODE = '55P03'; END $$"
            )
            conn.exec_driver_sql(
                "CREATE TRIGGER refuse BEFORE UPDATE ON recommendations "
                "FOR EACH ROW EXECUTE FUNCTION refuse()"
            )
        else:
            conn.exec_driver_sql(
                "CREATE TRIGGER refuse BEFORE UPDATE ON recommendations "
                "BEGIN SELECT no_such_function(NEW.text); END"
            )


@pytest.mark.backends("sqlite", "postgresql")
@pytest.mark.parametrize(
    "wording", ["Publish the custody audit for Lambeth", "Vetting – O'Brien’s café"]
)
def test_a_database_error_under_an_edit_is_one_line_on_the_form(
    window, register_screen, sample_register, desk, wording, tmp_path
):
    _refuse_edits(desk)
    ref = sample_register[0]
    before = register.get_recommendation(desk, ref)
    register_screen.select_ref(ref)
    detail = register_screen.detail
    detail.ask_edit.setPlainText(wording)
    assert detail.save() is False
    line = detail.problem_label.text()
    assert "reported an error (" in line and "nothing was saved" in line and "\n" not in line
    assert wording not in line and "[SQL" not in line
    assert window.bench.undo.count() == 0
    assert register.get_recommendation(desk, ref) == before
    assert detail.ask_edit.toPlainText() == wording  # the clerk's words are still in the form


@pytest.mark.backends("sqlite", "postgresql")
def test_a_database_error_reaching_the_window_is_a_message_and_no_log_of_its_text(
    qtbot, window, sample_register, desk, tmp_path, monkeypatch
):
    """Work on a worker thread (Workbench.run) and an error escaping a slot (sys.excepthook)."""
    from pcc_desk.gui import errors

    _refuse_edits(desk)
    shown: list[str] = []
    monkeypatch.setattr("pcc_desk.gui.workbench.show_error", lambda _p, e, *a: shown.append(str(e)))
    monkeypatch.setattr(errors, "show_error", lambda _p, e, *a: shown.append(str(e)))
    unexpected: list[object] = []
    monkeypatch.setattr(errors.QMessageBox, "critical", lambda *a: unexpected.append(a))
    secret = "Mrs Example's complaint about Croydon custody"

    def edit(_token, _progress):
        register.edit_recommendation(desk, sample_register[1], text=secret)

    task = window.bench.run(edit, on_done=lambda _r: None)
    qtbot.waitUntil(lambda: not task.running, timeout=10_000)
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=10_000)

    try:
        register.edit_recommendation(desk, sample_register[2], text=secret)
    except Exception as exc:  # the real error, handed to the window's hook as a slot would
        ExceptHook(tmp_path, desk.location.url)(type(exc), exc, exc.__traceback__)
    assert len(shown) == 2 and shown[0] == shown[1]
    assert "reported an error (" in shown[0] and secret not in shown[0]
    assert unexpected == [] and not (tmp_path / LOG_NAME).exists()


# --- a team register's server stopped in the middle of a session --------------------------------


@pytest.fixture
def own_server(pg_server):
    """A PostgreSQL server of this test's own (the suite's shared one must keep running): its
    socket folder. Stopped at the end if the test has not stopped it."""
    folder = Path("/tmp") / f"pcc-pg-stop-{uuid.uuid4().hex[:8]}"
    started = subprocess.run(
        ["bash", str(SERVER_SCRIPT), "start", str(folder)], capture_output=True, text=True
    )
    if started.returncode != 0:
        pytest.fail(f"a second PostgreSQL server did not start: {started.stderr.strip()}")
    yield folder
    subprocess.run(["bash", str(SERVER_SCRIPT), "stop", str(folder)], capture_output=True)


def _stop(folder: Path) -> None:
    subprocess.run(["bash", str(SERVER_SCRIPT), "stop", str(folder)], check=True)


def test_a_server_stopped_mid_session_is_one_line_and_the_screen_stays_readable(
    qtbot, own_server, monkeypatch
):
    import psycopg

    from pcc_desk.gui.main_window import MainWindow

    with psycopg.connect(
        host=str(own_server), user="postgres", dbname="postgres", autocommit=True
    ) as c:
        c.execute("CREATE DATABASE pcc_register")
    url = pg_url("pcc_register", host=str(own_server))
    desk = Desk.open(url)
    refs = [
        register.add_recommendation(desk, f"Ask {n} on stop and search in ward {n}").ref
        for n in range(4)
    ]
    shown: list[str] = []
    monkeypatch.setattr("pcc_desk.gui.workbench.show_error", lambda _p, e, *a: shown.append(str(e)))
    window = MainWindow(desk)
    qtbot.addWidget(window)
    window.show()
    screen = window.start("register")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    screen.select_ref(refs[1])
    detail = screen.detail
    assert detail.detail.ref == refs[1]

    _stop(own_server)

    line = f"The team register at {own_server} cannot be reached; nothing was saved."
    detail.ask_edit.setPlainText("A new wording typed after the server went away")
    assert detail.save() is False
    assert detail.problem_label.text() == line
    assert window.bench.undo.count() == 0
    # a change made on a worker thread: the same line, in a message
    task = window.bench.run(
        lambda _t, _p: register.change_status(desk, refs[2], "closed-implemented", "Done"),
        on_done=lambda _r: None,
    )
    qtbot.waitUntil(lambda: not task.running, timeout=20_000)
    qtbot.waitUntil(lambda: shown == [line], timeout=10_000)
    # what was on screen is still there to read
    assert screen.model.rowCount() == len(refs)
    assert {screen.model.record(row).ref for row in range(4)} == set(refs)
    assert detail.detail.ref == refs[1]
    assert detail.ask_edit.toPlainText() == "A new wording typed after the server went away"
    window.close()
    desk.close()
