"""Settings → Register: "This laptop" or "Team register", on a PostgreSQL server of the test's own that
asks for a password (scram-sha-256). The password is kept by the system keyring (here a real keyring
backend kept in memory), never in a file; without a keyring it is asked at each start. Test
connection runs off the UI thread and says what it found in one line; saving opens the chosen
register in the window; the next start opens it again."""

from __future__ import annotations

import argparse
import subprocess
import sys
import uuid
from pathlib import Path

import keyring
import psycopg
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from PySide6.QtWidgets import QDialog
from support.pg_support import pg_url

from pcc_desk.gui import app, register_choice, state
from pcc_desk.gui.dialogs.settings_dialog import SettingsDialog
from pcc_desk.services import Desk, credentials, register

REPO = Path(__file__).resolve().parents[2]
SERVER_SCRIPT = REPO / "scripts" / "pg-test-server.sh"


class MemoryKeyring(KeyringBackend):
    """A keyring backend that keeps its secrets in this process only."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.secrets.get((service, username))

    def set_password(self, service, username, password):
        self.secrets[(service, username)] = password

    def delete_password(self, service, username):
        self.secrets.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


@pytest.fixture
def no_keyring():
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


@pytest.fixture(autouse=True)
def _keep_excepthook(monkeypatch):
    """start() installs the app's excepthook; put pytest's back afterwards."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)


class Server:
    """A PostgreSQL server of this test's own where the login ``alice`` needs her password."""

    def __init__(self, folder: Path, password: str) -> None:
        self.folder = folder
        self.password = password
        self.url = pg_url("pcc_register", user="alice", host=str(folder))


@pytest.fixture
def password_server(pg_server):
    folder = Path("/tmp") / f"pcc-pg-pw-{uuid.uuid4().hex[:8]}"
    started = subprocess.run(
        ["bash", str(SERVER_SCRIPT), "start", str(folder)], capture_output=True, text=True
    )
    if started.returncode != 0:
        pytest.fail(f"a second PostgreSQL server did not start: {started.stderr.strip()}")
    password = f"pw-{uuid.uuid4().hex[:12]}"
    hba = folder / "data" / "pg_hba.conf"
    hba.write_text("local all alice scram-sha-256\n" + hba.read_text())
    with psycopg.connect(
        host=str(folder), user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(f"CREATE ROLE alice LOGIN PASSWORD '{password}'")
        conn.execute("CREATE DATABASE pcc_register OWNER alice")
        conn.execute("SELECT pg_reload_conf()")
    server = Server(folder, password)
    with Desk.open(credentials.with_password(server.url, password)) as desk:  # migrated, one record
        register.add_recommendation(desk, "Publish the team's custody audit")
    yield server
    subprocess.run(["bash", str(SERVER_SCRIPT), "stop", str(folder)], capture_output=True)


def _no_file_holds(root: Path, secret: str) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


def _fill_team(dialog: SettingsDialog, url: str, password: str) -> None:
    ui = dialog.ui
    ui.teamRadio.setChecked(True)
    ui.teamUrlEdit.setText(url)
    ui.teamPasswordEdit.setText(password)


def test_test_connection_says_what_it_found_in_one_line(
    qtbot, window, password_server, memory_keyring
):
    dialog = SettingsDialog(window.bench, window)
    qtbot.addWidget(dialog)
    ui = dialog.ui
    assert ui.laptopRadio.isChecked() and not ui.testButton.isEnabled()
    _fill_team(dialog, "mysql://alice@server/pcc", "")
    assert not dialog.save_button.isEnabled() and "postgresql://" in ui.problemLabel.text()
    for password, expected in (
        ("wrong", "did not accept the login 'alice'"),
        (password_server.password, "Connected to pcc_register at "),
    ):
        _fill_team(dialog, password_server.url, password)
        assert dialog.save_button.isEnabled() and ui.testButton.isEnabled()
        ui.testButton.click()
        assert ui.connectionLabel.text() == "Connecting…"  # the work is on a worker thread
        qtbot.waitUntil(lambda e=expected: e in ui.connectionLabel.text(), timeout=20_000)
        assert "\n" not in ui.connectionLabel.text()
        assert password_server.password not in ui.connectionLabel.text()
    assert ui.connectionLabel.text().endswith("as alice: the register is ready.")
    assert memory_keyring.secrets == {}  # a test keeps nothing


def test_choosing_the_team_register_opens_it_and_keeps_the_password_in_the_keyring(
    qtbot, window, desk, password_server, memory_keyring, monkeypatch, tmp_path
):
    # the address as a clerk might paste it, password and all: the password is taken out of it
    pasted = credentials.with_password(password_server.url, password_server.password)

    def fill_and_save(dialog):
        _fill_team(dialog, pasted, "")
        dialog.accept()
        return 1

    monkeypatch.setattr(QDialog, "exec", fill_and_save)  # the dialog as the clerk fills it
    screen = window.start("register")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    window.open_settings()
    qtbot.waitUntil(lambda: window.bench.desk.location.is_server, timeout=20_000)
    qtbot.waitUntil(
        lambda: (
            [screen.model.record(r).text for r in range(screen.model.rowCount())]
            == ["Publish the team's custody audit"]
        ),
        timeout=10_000,
    )
    kept = state.chosen_register()
    assert (kept.kind, kept.path) == (state.TEAM, "")
    assert kept.url == pasted.replace(f":{password_server.password}@", "@")
    assert memory_keyring.secrets == {
        (credentials.SERVICE, f"alice@{password_server.folder}/pcc_register"): (
            password_server.password
        )
    }
    assert password_server.password not in window.statusBar().currentMessage()
    assert password_server.password not in window.db_label_text
    _no_file_holds(tmp_path, password_server.password)
    window.bench.desk.close()


def _start(qtbot, asked: list[str], answers: list[str | None], monkeypatch):
    def ask(_parent, explanation):
        asked.append(explanation)
        return answers.pop(0)

    monkeypatch.setattr(register_choice, "ask_password", ask)
    args = argparse.Namespace(
        db=None, screenshot=None, view="register", allow_unsafe_location=False
    )
    started = app.start(args)
    if not isinstance(started, int):
        qtbot.addWidget(started.window)
    return started


def _close(started) -> None:
    started.window.close()
    started.window.bench.desk.close()


def test_at_start_the_chosen_team_register_opens_with_the_keyrings_password(
    qtbot, password_server, memory_keyring, monkeypatch
):
    state.choose_register(state.RegisterChoice(state.TEAM, "", password_server.url))
    asked: list[str] = []
    # no password kept yet: asked once (a wrong one first, then the right one), then kept
    started = _start(qtbot, asked, ["wrong", password_server.password], monkeypatch)
    assert started.window.bench.desk.location.is_server and len(asked) == 2
    assert "did not accept the login 'alice'" in asked[1]
    _close(started)
    assert credentials.stored_password(password_server.url) == password_server.password
    started = _start(qtbot, asked, [], monkeypatch)  # the next start asks nothing
    assert started.window.bench.desk.user == "alice" and len(asked) == 2
    _close(started)


def test_without_a_keyring_the_password_is_asked_at_each_start_and_never_written(
    qtbot, password_server, no_keyring, monkeypatch, tmp_path
):
    state.choose_register(state.RegisterChoice(state.TEAM, "", password_server.url))
    assert not credentials.keyring_usable()
    asked: list[str] = []
    for start in (1, 2):
        started = _start(qtbot, asked, [password_server.password], monkeypatch)
        assert started.window.bench.desk.location.is_server and len(asked) == start
        _close(started)
    assert credentials.stored_password(password_server.url) is None
    _no_file_holds(tmp_path, password_server.password)
    # cancelling the question quits without opening anything
    assert _start(qtbot, asked, [None], monkeypatch) == 2


def test_choosing_this_laptop_again_switches_back_to_the_file(
    qtbot, window, desk, password_server, memory_keyring, monkeypatch, tmp_path
):
    credentials.keep_password(password_server.url, password_server.password)
    screen = window.start("register")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    register_choice.switch_register(window, password_server.url)
    qtbot.waitUntil(lambda: window.bench.desk.location.is_server, timeout=20_000)
    other = tmp_path / "another laptop register.sqlite3"

    def back_to_a_file(dialog):
        assert dialog.ui.teamRadio.isChecked()
        dialog.set_database(str(other))
        assert dialog.ui.laptopRadio.isChecked()
        dialog.accept()
        return 1

    monkeypatch.setattr(QDialog, "exec", back_to_a_file)
    window.open_settings()
    qtbot.waitUntil(lambda: window.bench.desk.location.path == other, timeout=20_000)
    qtbot.waitUntil(lambda: screen.is_loaded() and screen.model.rowCount() == 0, timeout=10_000)
    assert state.chosen_register() == state.RegisterChoice(
        state.LAPTOP, str(other), password_server.url
    )
    assert state.chosen_database() == str(other)
    window.bench.desk.close()


def test_a_sync_asks_for_the_password_it_lacks_then_the_keyring_keeps_it(
    qtbot, password_server, memory_keyring, monkeypatch, tmp_path
):
    from pcc_desk.gui.main_window import MainWindow
    from pcc_desk.services import sync

    laptop = tmp_path / "laptop" / "register.sqlite3"
    with_pw = credentials.with_password(password_server.url, password_server.password)
    sync.checkout(with_pw, laptop)  # the copy remembers the address, never the password
    _no_file_holds(laptop.parent, password_server.password)
    asked: list[str] = []
    answers = ["wrong", password_server.password]
    monkeypatch.setattr(
        register_choice, "ask_password", lambda _parent, why: asked.append(why) or answers.pop(0)
    )
    desk = Desk.open(laptop)
    win = MainWindow(desk, restore=False)
    qtbot.addWidget(win)
    win.show()
    try:
        qtbot.waitUntil(lambda: win.offline.status is not None, timeout=10_000)
        register.add_recommendation(desk, "Publish the laptop's own audit")
        qtbot.waitUntil(
            lambda: win.offline.label.text() == "1 change not yet synced", timeout=10_000
        )
        assert credentials.stored_password(password_server.url) is None
        win.offline.sync_now()  # refused: asked; a wrong password is refused and asked again
        qtbot.waitUntil(lambda: len(asked) == 2 and not win.offline.syncing, timeout=60_000)
        assert all("did not accept the login" in why for why in asked), asked
        qtbot.waitUntil(lambda: win.offline.label.text().startswith("Synced"), timeout=10_000)
        assert credentials.stored_password(password_server.url) == password_server.password
        win.offline.sync_now()  # the next sync asks nothing: the keyring has it
        qtbot.waitUntil(lambda: not win.offline.syncing, timeout=60_000)
        assert len(asked) == 2
    finally:
        win.runner.cancel_all()
        win.runner.wait(10_000)
        desk.close()
    with Desk.open(with_pw) as server:
        texts = [r.text for r in register.list_recommendations(server)]
    assert "Publish the laptop's own audit" in texts
    _no_file_holds(laptop.parent, password_server.password)


def test_a_laptop_copy_that_kept_the_password_loses_it_at_its_next_sync(password_server, tmp_path):
    """Copies made before the fix kept the password in the remembered address."""
    import json
    import sqlite3

    from pcc_desk.services import sync

    laptop = tmp_path / "register.sqlite3"
    with_pw = credentials.with_password(password_server.url, password_server.password)
    sync.checkout(with_pw, laptop)
    with sqlite3.connect(laptop) as conn:  # as an older PCC Desk left it
        (value,) = conn.execute("SELECT value FROM settings WHERE key = 'sync:origin'").fetchone()
        conn.execute(
            "UPDATE settings SET value = ? WHERE key = 'sync:origin'",
            (json.dumps({**json.loads(value), "server": with_pw}),),
        )
    conn.close()
    with Desk.open(laptop) as desk:
        sync.sync(desk)  # the address it remembered still works this once
        assert credentials.password_in(sync.origin(desk).server) is None
    with sqlite3.connect(laptop) as conn:
        conn.execute("VACUUM")  # (the old page's bytes go with it)
    conn.close()
    _no_file_holds(tmp_path, password_server.password)
