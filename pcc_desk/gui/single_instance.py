"""One copy of the app per register.

The first copy to open a database takes a lock file beside it (``<db>.lock``, a QLockFile) and listens
on a local socket named from the database's path. A second copy on the same database fails to take
the lock, tells the first copy through that socket to bring its window forward, and should then say
"already open" and quit. After a crash the lock file stays behind; QLockFile sees that the process
that wrote it is gone and clears it, so the next start is not blocked.

Use from ``app.py``::

    instance = SingleInstance(desk_path)
    if not instance.acquire():
        show "PCC Desk already has this register open; its window has been brought forward."; return
    instance.activated.connect(window.bring_forward)
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

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
    return Path(f"{Path(db_path).resolve()}.lock")


class SingleInstance(QObject):
    """``acquire()`` → True for the first copy on a database; ``activated`` fires in the first copy
    each time a second copy asks it to come forward."""

    activated = Signal()

    def __init__(self, db_path: str | os.PathLike[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(db_path)
        self.lock_file = lock_path(db_path)
        self._lock = QLockFile(str(self.lock_file))
        self._lock.setStaleLockTime(0)  # stale only when the owner is gone, never merely by age
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        if self._lock.tryLock(0):
            self._listen()
            return True
        if self._lock.error() == QLockFile.LockError.LockFailedError:
            self._wake_first_copy()
            return False
        # The lock cannot be written (read-only folder…): do not block the clerk over it.
        log.warning("could not create the single-instance lock file (%s)", self._lock.error().name)
        return True

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
        if self._lock.isLocked():
            self._lock.unlock()
