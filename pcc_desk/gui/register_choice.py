"""Which register the desktop works on, and getting into a team register.

- At start-up and on switching, a team register is opened with the password the system keyring
  keeps for it (:func:`with_kept_password`); when the server asks for one that the keyring does not
  have (or it no longer works), the clerk is asked (:func:`ask_password`) and, when the register
  opens, the keyring keeps it. Without a keyring nothing is kept: the password is asked at each start.
- :func:`switch_register` moves the open window to the register chosen in Settings → Register: the
  new one is opened off the UI thread through the services (as at start-up, migrations included);
  only when it is open is the old one closed (its last backup taken) and every screen reloaded. A
  register that cannot be opened leaves the window on the one it had, with the reason in one line.
"""

from __future__ import annotations

import logging
import weakref
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QWidget

from pcc_desk.errors import InvalidInput, LoginRefused, PccError
from pcc_desk.gui.backups import reopen_in_window
from pcc_desk.gui.errors import register_opened, show_error, worded
from pcc_desk.gui.single_instance import SingleInstance
from pcc_desk.services import maintenance

if TYPE_CHECKING:
    from pcc_desk.gui.tasks import Task

log = logging.getLogger(__name__)

# each window's register-file lock (app.start hands it over; a switch moves it)
_LOCKS: weakref.WeakKeyDictionary[QWidget, SingleInstance | None] = weakref.WeakKeyDictionary()


def hold_lock(window: QWidget, instance: SingleInstance | None) -> None:
    _LOCKS[window] = instance


def lock_of(window: QWidget, default: SingleInstance | None = None) -> SingleInstance | None:
    return _LOCKS.get(window, default)


def ask_password(parent: QWidget | None, explanation: str) -> str | None:
    """The team register's password, typed by the clerk (None: they cancelled)."""
    text, ok = QInputDialog.getText(
        parent,
        QApplication.translate("register", "PCC Desk: team register"),
        explanation
        + "\n\n"
        + QApplication.translate("register", "Password for the team register:"),
        QLineEdit.EchoMode.Password,
    )
    return text if ok else None


def with_kept_password(location):
    """``location`` carrying the password the keyring keeps for it (a team register), if any."""
    if not location.is_server:
        return location
    from pcc_desk.services import credentials  # SQLAlchemy: once the window is up

    if credentials.password_in(location.url):
        return location
    kept = credentials.stored_password(location.url)
    if not kept:
        return location
    return maintenance.locate(credentials.with_password(location.url, kept))


def with_typed_password(location, password: str):
    from pcc_desk.services import credentials

    plain = credentials.without_password(location.url)
    return maintenance.locate(credentials.with_password(plain, password))


def keep_typed_password(location, password: str | None) -> bool:
    """After the register opened with a password the clerk typed: the keyring keeps it (if there is
    one). True when kept."""
    if not password or not location.is_server:
        return False
    from pcc_desk.services import credentials

    return credentials.keep_password(credentials.without_password(location.url), password)


# --- switching the open window to another register ------------------------------------------------


def switch_register(window, target: str | None, password: str | None = None) -> Task | None:
    """Open ``target`` (a file, a team register's address without its password, or None for the
    default file) off the UI thread and, once open, put it in the window in place of the register in
    use. ``password``: typed in Settings for a team register (else the keyring's, else asked)."""
    bench = window.bench
    try:
        location = maintenance.locate(target)
    except PccError as error:
        show_error(window, error)
        return None
    if location.path is not None and location.path == bench.desk.location.path:
        return None  # the register in use already
    if location.is_server:
        location = (
            with_typed_password(location, password) if password else with_kept_password(location)
        )
    claim = _claim_file(window, location)
    if claim is False:
        return None

    def opened(desk) -> None:
        _put_in_window(window, desk, claim)
        keep_typed_password(location, password)

    def failed(error: BaseException) -> None:
        if claim is not None:
            claim.release()
        one_line = worded(error, location.url)
        if isinstance(one_line, LoginRefused) and not window.isHidden():
            typed = ask_password(window, str(one_line))
            if typed is not None:
                switch_register(window, target, typed)
            return
        bench.report_error(one_line or error)

    def work(_token, _progress):
        from pcc_desk.services import Desk  # loaded already: the window has a register open

        return Desk.open(location)

    return bench.run(
        work,
        on_done=opened,
        on_error=failed,
        label=QApplication.translate("register", "Opening the register…"),
    )


def _claim_file(window, location):
    """The new file's one-copy lock (None for a team register; False when another copy of PCC Desk
    has that file open: the clerk is told and nothing changes)."""
    if location.path is None:
        return None
    instance = SingleInstance(location.path, QApplication.instance())
    if instance.acquire():
        return instance
    show_error(
        window,
        InvalidInput(
            QApplication.translate(
                "register",
                "Another PCC Desk has %s open (or its lock is in doubt: start PCC Desk on it to "
                "decide); this window stays on the register it has.",
            )
            % location.path
        ),
    )
    return False


def _put_in_window(window, desk, claim) -> None:
    bench = window.bench
    old = bench.desk
    scheduler = getattr(window, "backups", None)
    if scheduler is not None:
        scheduler.on_exit()  # the register left behind: its last backup, if anything changed
        scheduler.suspend()
    old.close()
    previous = _LOCKS.get(window)
    if previous is not None:
        previous.release()
    _LOCKS[window] = claim
    if claim is not None:
        claim.activated.connect(window.bring_forward)
    reopen_in_window(window, desk)
    register_opened(desk.location.url)
    window.db_label_text = window.tr("Database: %s") % desk.location.describe()
    window.statusBar().showMessage(window.db_label_text)
    window.show_message(window.tr("Now working on %s.") % desk.location.describe())
    log.info("switched to another register")
