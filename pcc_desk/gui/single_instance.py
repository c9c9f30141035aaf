"""One copy of the app per register.

The first copy to open a database takes the register's window lock beside it (``<db>.lock``, see
:class:`pcc_desk.locking.WindowLock`: the same lock ``pcc-desk restore`` and ``pcc-desk unlock``
look at) and listens on a local socket named from the database's path. A second copy on the same
database fails to take the lock, tells the first copy through that socket to bring its window
forward, and should then say "already open" and quit. After a crash the operating system lets go of
the lock, so the next start is not blocked. A lock file naming another computer, or an empty or
unreadable one, is *in doubt*: ``acquire()`` is False with ``in_doubt`` set, and the app explains and
offers to take it over (``acquire(take_over=True)``).

Use from ``app.py``::

    instance = SingleInstance(desk_path)
    if not instance.acquire():
        if instance.in_doubt: ask, then instance.acquire(take_over=True) or quit
        else: show "PCC Desk already has this register open; its window has been brought forward."
    instance.activated.connect(window.bring_forward)
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from pcc_desk.services import maintenance

log = logging.getLogger(__name__)

MESSAGE = b"activate\n"
ALREADY_OPEN = "PCC Desk already has this register open; its window has been brought forward."


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return os.environ.get("USER", "") or os.environ.get("USERNAME", "")


def server_name(db_path: str | os.PathLike[str]) -> str:
    """A local-socket name for this user and this database (same path → same name)."""
    key = os.path.normcase(str(Path(db_path).resolve())) + "\0" + _user()
    return "pcc-desk-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def lock_path(db_path: str | os.PathLike[str]) -> Path:
    return maintenance.window_lock_path(db_path)


class SingleInstance(QObject):
    """``acquire()`` → True for the first copy on a database; ``activated`` fires in the first copy
    each time a second copy asks it to come forward."""

    activated = Signal()

    def __init__(self, db_path: str | os.PathLike[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.name = server_name(db_path)
        self.lock_file = lock_path(db_path)
        self._lock = maintenance.WindowLock(db_path)
        self.state: maintenance.LockState | None = None
        self._server: QLocalServer | None = None

    @property
    def in_doubt(self) -> bool:
        """The lock names another computer, or cannot be read: ask before taking it over."""
        return self.state in maintenance.IN_DOUBT

    def explain(self) -> str:
        """Why the lock is in doubt, for the clerk."""
        if self.state is None:  # (acquire() has not been tried: nothing is in doubt)
            return ""
        return maintenance.explain_doubt(self.db_path, self.state, self._lock.holder)

    def acquire(self, *, take_over: bool = False) -> bool:
        try:
            self.state = self._lock.acquire(take_over=take_over)
        except OSError as error:
            # The lock cannot be written (read-only folder…): do not block the clerk over it.
            log.warning("could not create the single-instance lock file (%s)", error.strerror)
            self.state = None
            return True
        if self.state is maintenance.LockState.OURS:
            self._listen()
            return True
        if self.state is maintenance.LockState.HELD:
            self._wake_first_copy()
        return False

    def _listen(self) -> None:
        QLocalServer.removeServer(self.name)  # a socket file left by a crashed copy
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._on_new_connection)
        if not server.listen(self.name):
            log.warning("single-instance server not listening: %s", server.errorString())
        self._server = server

    def _on_new_connection(self) -> None:
        while self._server is not None and self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._on_ready_read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._on_ready_read(socket)

    def _on_ready_read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(MESSAGE.strip()):
            self.activated.emit()

    def _wake_first_copy(self) -> bool:
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(2000):
            return False
        socket.write(MESSAGE)
        socket.flush()
        socket.waitForBytesWritten(2000)
        socket.disconnectFromServer()
        return True

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.release()
