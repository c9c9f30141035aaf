"""The sync's checkpoints: before and after each row's transaction, and between the push and the
pull. A clerk's Cancel stops the sync at the next one (``start(cancel=...)``: between transactions,
never inside one; what was sent or brought down stays, and the next sync goes on from there).

And a test-only fault hook (tests/test_sync_kill.py): with ``PCC_DESK_SYNC_KILL_AT=N`` set, the
sync's process kills itself (SIGKILL) at the Nth of its checkpoints, counting also one inside each
transaction just before its commit. Unset (always, outside that test), that is one lookup in the
environment."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator

from sqlalchemy import event

from pcc_desk.services.desk import Desk

KILL_AT = "PCC_DESK_SYNC_KILL_AT"
_passed = [0]  # the checkpoints the running sync has passed
_cancel: list[Callable[[], None] | None] = [None]  # raises Cancelled when the clerk cancelled


def start(cancel: Callable[[], None] | None = None) -> None:
    _passed[0] = 0
    _cancel[0] = cancel


def checkpoint() -> None:
    """Between two transactions: stop here if the clerk cancelled."""
    _kill_point()
    if _cancel[0] is not None:
        _cancel[0]()


def _kill_point() -> None:
    at = os.environ.get(KILL_AT)
    if not at:
        return
    _passed[0] += 1
    if _passed[0] == int(at):
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


def checkpoints_passed() -> int:
    """How many checkpoints the last sync passed (counted only while :data:`KILL_AT` is set)."""
    return _passed[0]


def _on_commit(_connection: object) -> None:
    _kill_point()  # (never a cancel inside a transaction)


@contextlib.contextmanager
def in_commits(*desks: Desk) -> Iterator[None]:
    """While :data:`KILL_AT` is set: a checkpoint in every transaction on ``desks``, its rows
    written, just before its commit."""
    engines = [d.engine for d in desks] if os.environ.get(KILL_AT) else []
    for engine in engines:
        event.listen(engine, "commit", _on_commit)
    try:
        yield
    finally:
        for engine in engines:
            event.remove(engine, "commit", _on_commit)
