"""A test-only fault hook of the sync (tests/test_sync_kill.py): with ``PCC_DESK_SYNC_KILL_AT=N`` set,
the sync's process kills itself (SIGKILL) at the Nth of its checkpoints: before and after each row's
transaction, inside it just before its commit, and between the push and the pull. Unset (always,
outside that test), a checkpoint is one lookup in the environment."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator

from sqlalchemy import event

from pcc_desk.services.desk import Desk

KILL_AT = "PCC_DESK_SYNC_KILL_AT"
_passed = [0]  # the checkpoints the running sync has passed


def start() -> None:
    _passed[0] = 0


def checkpoint() -> None:
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
    checkpoint()


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
