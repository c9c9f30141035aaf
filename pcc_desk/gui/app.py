"""Start-up of the desktop app.

The window goes on screen first (it imports no SQLAlchemy); then, in order:

1. one copy per register: a second copy on the same database says "already open", brings the first
   copy's window forward and exits (:mod:`pcc_desk.gui.single_instance`), before the database is opened;
   a lock left by another computer, or an empty or unreadable one, is explained, with "Take over the
   lock" or Quit;
2. the database is opened (and migrated if needed) after the cheap checks; when the whole-file check
   is due it runs in the background, the register is shown meanwhile with "Checking the register…"
   in the status bar, and saves wait for it (:mod:`pcc_desk.storage.checking`). A path in a synced folder or on a network share is
   explained, and opened only if the clerk insists; a damaged file is kept as it is and the clerk is
   offered the newest good backup or a fresh start (:mod:`pcc_desk.gui.dialogs.recovery`); a file from
   a newer PCC Desk is refused without a byte written;
3. the register is handed to the window; its rows load on a worker thread.

Since launch (:mod:`pcc_desk.gui.launch`), the file's table has been read on a thread
(:class:`pcc_desk.services.read_ahead.ReadAhead`); before step 2, when the file is at this
version's schema and its health check runs, that table (:class:`Preload`) is shown read-only
(:meth:`MainWindow.show_read_ahead`) before SQLAlchemy and the services are imported; nothing can be
changed until the register is open, and the Register screen then takes that table over (or reads
the rows again, if the register opened other than as read).

``--screenshot`` opens a view at 1366×768, waits until its data is on screen, saves a PNG and exits.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from pcc_desk import lazy
from pcc_desk.errors import (
    DatabaseDamaged,
    DatabaseTooNew,
    LoginRefused,
    PccError,
    UnsafeLocation,
)
from pcc_desk.gui import register_choice, state
from pcc_desk.gui.dialogs.recovery import RecoveryDialog
from pcc_desk.gui.errors import install_excepthook, register_opened
from pcc_desk.gui.main_window import MainWindow
from pcc_desk.gui.single_instance import ALREADY_OPEN, SingleInstance
from pcc_desk.gui.state import database_argument
from pcc_desk.services import maintenance
from pcc_desk.services.read_ahead import ReadAhead

if TYPE_CHECKING:  # the services (and SQLAlchemy) load after the window is on screen
    from pcc_desk.gui.screens import register_browser
    from pcc_desk.gui.screens.register_browser import Shown
    from pcc_desk.services import Desk
else:  # the table the rows read ahead are shown in: once the window is on screen
    register_browser = lazy.module("pcc_desk.gui.screens.register_browser")

SCREENSHOT_SIZE = (1366, 768)
SCREENSHOT_TIMEOUT_MS = 60_000

log = logging.getLogger(__name__)


# --- questions to the clerk (module functions, so that tests can answer them) -------------------------


def tell_already_open(parent: QWidget | None) -> None:
    QMessageBox.information(
        parent,
        QApplication.translate("app", "PCC Desk"),
        QApplication.translate("app", ALREADY_OPEN),
    )


def ask_take_over(parent: QWidget | None, explanation: str) -> bool:
    """A lock in doubt (another computer's, or unreadable): "Take over the lock" or Quit."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QApplication.translate("app", "PCC Desk: is the register open somewhere else?"),
        explanation,
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    take = box.addButton(
        QApplication.translate("app", "&Take over the lock"), QMessageBox.ButtonRole.AcceptRole
    )
    quit_button = box.addButton(
        QApplication.translate("app", "&Quit"), QMessageBox.ButtonRole.RejectRole
    )
    box.setDefaultButton(quit_button)
    box.setEscapeButton(quit_button)
    box.exec()
    return box.clickedButton() is take


def ask_open_anyway(parent: QWidget | None, explanation: str) -> bool:
    """An unsafe place for the register: "Open anyway" (the clerk insists) or Quit."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QApplication.translate("app", "PCC Desk: an unsafe place for the register"),
        explanation,
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    anyway = box.addButton(
        QApplication.translate("app", "&Open anyway"), QMessageBox.ButtonRole.AcceptRole
    )
    quit_button = box.addButton(
        QApplication.translate("app", "&Quit"), QMessageBox.ButtonRole.RejectRole
    )
    box.setDefaultButton(quit_button)
    box.setEscapeButton(quit_button)
    box.exec()
    return box.clickedButton() is anyway


def ask_recovery(parent: QWidget | None, error) -> str | None:
    """A damaged register: the clerk's choice from the offer, or None to quit."""
    dialog = RecoveryDialog(error, parent)
    dialog.exec()
    return dialog.choice


def tell_refused(parent: QWidget | None, message: str) -> None:
    QMessageBox.critical(parent, QApplication.translate("app", "PCC Desk"), message)


# --- opening the register -------------------------------------------------------------------------------


@dataclass
class Opened:
    """What :func:`open_register` hands back: the open Desk, and what was done to get there."""

    desk: Desk
    notice: str = ""  # e.g. "Restored ...; the previous file was kept as ..."


def open_register(
    parent: QWidget | None, location, *, allow_unsafe_location: bool = False, early_check=None
) -> Opened | int:
    """Open the register at ``location``, talking the clerk through anything in the way.

    Returns :class:`Opened`, or an exit code when the clerk quits or the file cannot be opened. Never
    raises a :class:`PccError`: each one becomes a message and a way on (or out). ``early_check``
    (a :class:`pcc_desk.services.maintenance.EarlyHealthCheck` under way) stands for the first attempt's check.
    """
    from pcc_desk.services import Desk  # SQLAlchemy: after the window is up

    allow = allow_unsafe_location
    notice = ""
    location = register_choice.with_kept_password(location)  # a team register's, if kept
    typed = None
    while True:
        try:
            check, early_check = (
                early_check,
                None,
            )  # a second attempt (after a recovery) checks afresh
            desk = Desk.open(
                location, allow_unsafe_location=allow, early_check=check, background_check=True
            )
            register_choice.keep_typed_password(location, typed)
            return Opened(desk, notice)
        except LoginRefused as error:  # the server wants a password the keyring does not have
            typed = register_choice.ask_password(parent, str(error))
            if typed is None:
                return error.exit_code
            location = register_choice.with_typed_password(location, typed)
        except UnsafeLocation as error:
            if not ask_open_anyway(parent, str(error)):
                return error.exit_code
            log.warning("the clerk chose to open a register in an unsafe location")
            allow = True
        except DatabaseDamaged as error:
            if location.path is None:  # a database server: nothing PCC Desk can restore here
                tell_refused(parent, str(error))
                return error.exit_code
            choice = ask_recovery(parent, error)
            if choice is None:
                return error.exit_code
            try:
                notice = maintenance.recover(location, choice).describe()
            except PccError as failure:  # e.g. the backup turned out bad too: ask again (or quit)
                tell_refused(parent, str(failure))
        except DatabaseTooNew as error:
            tell_refused(parent, str(error))
            return error.exit_code
        except PccError as error:
            tell_refused(parent, str(error))
            return error.exit_code


@dataclass
class Started:
    app: QApplication
    window: MainWindow
    instance: SingleInstance | None  # None for a screenshot or a non-file database


def start(args, early: ReadAhead | None = None) -> Started | int:
    """Everything up to the event loop: the window, the single-instance lock, the register.
    Returns :class:`Started`, or an exit code (another copy has the register, the clerk quit...).
    ``early``: the register's table, being read since launch (:func:`pcc_desk.gui.launch.read_ahead`)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName(state.APPLICATION)
    app.setApplicationDisplayName("PCC Desk")
    app.setOrganizationName(state.ORGANISATION)

    install_excepthook(_log_dir)

    screenshot = getattr(args, "screenshot", None)
    window = MainWindow(restore=not screenshot)
    if screenshot:
        window.resize(*SCREENSHOT_SIZE)
    window.show()
    app.processEvents()  # on screen before SQLAlchemy is even imported
    if early is not None:  # while SQLite reads the file (Python's lock free meanwhile):
        _load_table_widgets()
        early.go_on()  # (the table's values are made from now)
    try:
        location = maintenance.locate(database_argument(args))
    except PccError as error:
        _drop(early)
        return _give_up(window, str(error), error.exit_code, screenshot)
    instance = None
    if location.path is not None and not screenshot:
        instance = SingleInstance(location.path, app)
        acquired = instance.acquire()
        if not acquired and instance.in_doubt:  # another computer's lock, or an unreadable one
            if not ask_take_over(window, instance.explain()):
                window.close()
                return 2
            log.warning("the clerk chose to take over the register's lock")
            acquired = instance.acquire(take_over=True)
        if not acquired:  # the first copy has been asked to come forward
            window.hide()
            tell_already_open(None)
            window.close()
            return 0
        instance.activated.connect(lambda: _bring_forward(window))
    allow_unsafe = bool(getattr(args, "allow_unsafe_location", False))
    early_check = _start_health_check(location, allow_unsafe)
    preload = _preload(location, early_check, early)
    if preload is not None and preload.still_current():  # on screen before SQLAlchemy is imported
        shown = preload.result()
        if window.show_read_ahead(shown):
            app.processEvents()
    # SQLAlchemy, the model, the services and the rest of the screen's widgets
    import pcc_desk.gui.screens.register  # noqa: F401

    opened: Opened | int
    if screenshot:  # no one to ask: say it on stderr
        try:
            from pcc_desk.services import Desk

            opened = Opened(
                Desk.open(
                    location,
                    allow_unsafe_location=allow_unsafe,
                    early_check=early_check,
                    background_check=True,
                )
            )
        except PccError as error:
            return _give_up(window, str(error), error.exit_code, screenshot)
    else:
        opened = open_register(
            window, location, allow_unsafe_location=allow_unsafe, early_check=early_check
        )
        if isinstance(opened, int):
            window.close()
            if instance is not None:
                instance.release()
            return opened
    window.attach(opened.desk)
    register_choice.hold_lock(window, instance)  # the file's lock (Settings → Register may move it)
    register_opened(opened.desk.location.url)  # the exception hook names a team register's host
    if preload is not None and preload.still_current():
        window.preloaded["register"] = preload.result()
    else:
        window.drop_read_ahead()
    log.info("register open")
    if opened.notice:
        window.show_message(opened.notice)
    return Started(app, window, instance)


def _load_table_widgets() -> None:
    """The read-ahead table's widgets, loaded now: with them Qt's namespace, which is made on first
    use (~17 ms) and is kept out of the window's start-up."""
    register_browser.RegisterBrowser  # noqa: B018  (the deferred module's first use imports it)


def _drop(early: ReadAhead | None) -> None:
    if early is not None:
        early.drop()


def _preload(location, early_check, early: ReadAhead | None) -> Preload | None:
    """The register's table, read on a thread (no SQLAlchemy there) while SQLite checks the file:
    the one begun at launch if it is this file's. Only where the file's health check runs (a file
    in a safe place, or one the clerk insisted on)."""
    if early_check is None or location.path is None:
        _drop(early)  # (the file may be about to be moved, or migrated: closed first)
        return None
    if early is None or early.path != location.path:
        _drop(early)
        early = ReadAhead(location.path)
    return Preload(early)


def _start_health_check(location, allow_unsafe: bool):
    """Start the file's health check on a thread (see :class:`pcc_desk.services.maintenance.EarlyHealthCheck`), when
    opening it will check it: a file in a safe place (or one the clerk insisted on). None otherwise."""
    # in an unsafe place the clerk is asked first; the file is checked after the answer
    return maintenance.early_health_check(location, allow_unsafe=allow_unsafe, background=True)


class Preload:
    """The register's table read ahead (:class:`ReadAhead`), for the Register screen's first
    showing. It is used only if the file is at this version's schema and unchanged when the register
    has opened (no migration, no recovery, no other writer meanwhile); if anything goes wrong reading
    it, the screen simply loads as usual."""

    def __init__(self, reading: ReadAhead) -> None:
        self.reading = reading
        self._shown: Shown | None = None

    def still_current(self) -> bool:
        """Wait for the reading; True when it succeeded and the file has not changed since."""
        return self.reading.still_current()

    def result(self):
        """What the Register screen's loader returns, from the rows read ahead (the same value each
        time it is asked)."""
        table = self.reading.table
        if table is None:  # (still_current() said whether there is one)
            raise RuntimeError("the register was not read ahead")
        if self._shown is None:
            self._shown = register_browser.shown_table(table, search_text=False)  # on screen first
        return self._shown


def _bring_forward(window) -> None:
    log.info("window brought forward: another copy was started on this register")
    window.bring_forward()


def _give_up(window, message: str, code: int, screenshot) -> int:
    if screenshot:
        print(f"pcc-desk: {message}", file=sys.stderr)
    else:
        tell_refused(window, message)
    window.close()
    return code


def run_started(args, started: Started) -> int:
    """The event loop (or the screenshot) of an app :func:`start` has started."""
    window = started.window
    try:
        screenshot = getattr(args, "screenshot", None)
        if screenshot:
            return take_screenshot(
                started.app,
                window,
                Path(screenshot),
                getattr(args, "view", "register") or "register",
            )
        window.start()
        return started.app.exec()
    finally:
        if window.bench is not None:  # (attached by start)
            window.bench.desk.close()  # (the Backups dialog may have reopened it: the window holds the one in use)
        instance = register_choice.lock_of(window, started.instance)  # (moved by a switch)
        if instance is not None:
            instance.release()


def _log_dir() -> Path:
    return maintenance.default_data_dir()


def take_screenshot(app, window, target: Path, view: str) -> int:
    """Show ``view`` at 1366×768, wait for its data, save the window as a PNG; 0 on success."""
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    key = "register" if view == "detail" else view
    screen = window.start(key)
    if not screen.is_loaded():
        loop = QEventLoop()
        screen.loaded.connect(loop.quit)
        QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, loop.quit)
        loop.exec()
    if not screen.is_loaded():
        print(
            f"pcc-desk: the {view} view did not load within {SCREENSHOT_TIMEOUT_MS // 1000} s.",
            file=sys.stderr,
        )
        return 1
    if view == "detail":
        screen.splitter.setSizes([250, 450])
        _select_richest(screen)
    for _ in range(5):
        app.processEvents()
    pixmap = window.grab()
    with maintenance.atomic_output(target) as tmp:
        ok = pixmap.save(str(tmp), "PNG")
    window.close()
    if not ok:
        print(f"pcc-desk: could not write {target}.", file=sys.stderr)
        return 1
    return 0


def _select_richest(screen) -> None:
    """For the detail screenshot: a recommendation with responses, if there is one."""
    model = screen.model
    for row in range(model.rowCount()):
        rec = model.record(row)
        if rec.latest_assessment is not None:
            screen.select_ref(rec.ref)
            screen.detail.tabs.setCurrentIndex(2)
            return
    if screen.proxy.rowCount():
        screen.table.selectRow(0)
