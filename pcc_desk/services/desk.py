"""The Desk: one open register that every service function is handed.

It owns the engine and gives out one short session per use case (``with desk.transaction() as s``),
and tells listeners, after each commit, what kinds of records changed (:class:`ChangeKind`: the GUI
refreshes screens from it; the backup scheduler uses it to know that something changed).
"""

from __future__ import annotations

import collections
import contextlib
import functools
import getpass
import os
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from pcc_desk import backup, postgres, storage
from pcc_desk.errors import DatabaseDamaged, VersionConflict
from pcc_desk.model import replay_clock, utcnow
from pcc_desk.storage import Location
from pcc_desk.vocabulary import ChangeKind

Listener = Callable[[frozenset[ChangeKind]], None]


def _current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers)
        return os.environ.get("USER", "")


@dataclass
class Desk:
    location: Location
    engine: Engine
    user: str = field(default_factory=_current_user)
    _listeners: list[Listener] = field(default_factory=list, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    change_count: int = 0
    # the journal rows this Desk wrote (the latest few thousand): another Desk's are "others' changes"
    _written: collections.deque[uuid.UUID] = field(
        default_factory=lambda: collections.deque(maxlen=5000), repr=False
    )

    @classmethod
    def open(
        cls,
        db: str | os.PathLike[str] | Location | None = None,
        *,
        allow_unsafe_location: bool = False,
        early_check: storage.EarlyHealthCheck | None = None,
        background_check: bool = False,
    ) -> Desk:
        """Open the register (see :func:`pcc_desk.storage.open_database`). ``background_check``:
        when the whole-file check is due, the register opens at once for reading and the check runs
        on a thread; writes wait for it (:attr:`checking`)."""
        location = db if isinstance(db, Location) else storage.resolve_location(db)
        try:
            location, engine = storage.open_database(
                location,
                allow_unsafe_location=allow_unsafe_location,
                early_check=early_check,
                background_check=background_check,
            )
        except DatabaseDamaged as damaged:
            if damaged.offer is None:  # the newest good backup, or a fresh start
                damaged.offer = backup.recovery_offer(location)
            raise
        if location.is_server:  # on a team register, who did what is the database login
            with engine.connect() as connection:
                return cls(
                    location=location, engine=engine, user=postgres.current_login(connection)
                )
        return cls(location=location, engine=engine)

    @property
    def checking(self) -> storage.WriteGate | None:
        """The whole-file check of the register's file: ``.checking`` is True while it runs in the
        background and writes wait for it; ``.problem`` says what it found ("" when sound). None
        for a database server."""
        return storage.gate_of(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self, changes: Iterable[ChangeKind] = ()) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error.

        ``changes`` names the kinds of records the use case writes; listeners hear them after the
        commit. It is read after the block, so a use case may fill a list in as it goes.

        A record that another clerk's transaction changed between this one reading and writing it
        (its version moved: see :mod:`pcc_desk.services.versions`) rolls this one back with a
        :class:`VersionConflict`.

        Every record the transaction writes, and its journal row, carry one time (the moment it
        began, or the time of the operation it applies from another register): so applying an
        operation elsewhere makes records identical to the first, times included.
        """
        # journal.write notes this Desk's rows before the commit, so that a poll never takes them for
        # another's (a row rolled back is never in the journal: its id noted does no harm)
        try:
            with (
                replay_clock(utcnow()),  # one time for the whole transaction (see below)
                Session(
                    self.engine, expire_on_commit=False, info={"journal_rows": self._written}
                ) as session,
                session.begin(),
            ):
                yield session
        except StaleDataError as stale:
            raise VersionConflict(
                "Someone else saved a change to the same record at the same moment; nothing was "
                "saved. Try again."
            ) from stale
        kinds = frozenset(ChangeKind(kind) for kind in changes)  # an unknown kind is a bug: raise
        if kinds:
            self._notify(kinds)

    def wrote(self, op_id: uuid.UUID) -> bool:
        """Whether this Desk wrote the journal row ``op_id`` (one of its latest few thousand)."""
        return op_id in self._written  # a deque: appends and reads are thread-safe

    @functools.cached_property
    def _read_engine(self) -> Engine:
        return self.engine.execution_options(**{storage.READ_ONLY: True})

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only: it takes no write lock, so it runs beside a long write."""
        with Session(self._read_engine, expire_on_commit=False) as session:
            yield session

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock, contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    def _notify(self, changes: frozenset[ChangeKind]) -> None:
        with self._lock:
            self.change_count += 1
            listeners = list(self._listeners)
        for listener in listeners:
            listener(changes)
