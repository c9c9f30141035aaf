"""Launching the desktop app (``pcc-desk`` with no sub-command).

First the register's file is found and its table starts being read on a thread of its own
(:class:`pcc_desk.services.read_ahead.ReadAhead`); only then are Qt's widgets and the screens
imported (:mod:`pcc_desk.gui.app`), while the reading goes on. It needs Qt's core alone (the register
chosen in Settings is kept by ``QSettings``).

Python's cycle collector is off until the register is open (:func:`starting`): start-up makes
hundreds of thousands of objects that live as long as the app (modules, classes, the register's
rows), and the collector would otherwise go over all of them again and again as they are made (a
tenth of the start-up). They are then frozen (:func:`gc.freeze`: never gone over again, which
also spares the clerk the pauses of going over them later) and the collector is on again for
everything made from then on. Frozen objects are still freed as usual when no longer used.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

from pcc_desk.errors import PccError
from pcc_desk.gui.state import database_argument
from pcc_desk.services import maintenance
from pcc_desk.services.read_ahead import ReadAhead


def read_ahead(args) -> ReadAhead | None:
    """The register's table read from its file, begun now (None for a team register on a server,
    or an address start-up will refuse: it says why)."""
    try:
        location = maintenance.locate(database_argument(args))
    except PccError:
        return None
    return ReadAhead(location.path) if location.path is not None else None


@contextlib.contextmanager
def starting() -> Iterator[None]:
    """The start-up, with the cycle collector off (see above)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_on:
            gc.enable()


def run(args) -> int:
    with starting():
        early = read_ahead(args)
        from pcc_desk.gui import app  # Qt's widgets, the screens: while the table is read

        started = app.start(args, early)
    if isinstance(started, int):
        return started
    return app.run_started(args, started)
