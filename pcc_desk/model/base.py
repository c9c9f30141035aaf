"""The base of the register's models: the declarative base with its naming convention, the UUID key
and timestamps every row has, enums stored as slugs, and the one place every text column is cleaned
of control characters before it is written."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import enum
import os
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

from sqlalchemy import JSON, Connection, DateTime, Enum, MetaData, String, Uuid, event, func
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column

from pcc_desk.cleaning import clean_text, clean_value, has_controls

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


_replay_clock: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar(
    "pcc_desk_replay_clock", default=None
)


def utcnow() -> dt.datetime:
    """Now, in UTC (naive); while an operation made on another register is applied here
    (:func:`replay_clock`), the time it was made, so that its records carry the same times on every
    register that applies it."""
    fixed = _replay_clock.get()
    if fixed is not None:
        return fixed
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@contextlib.contextmanager
def replay_clock(at: dt.datetime | None) -> Iterator[None]:
    """:func:`utcnow` gives ``at`` in this block (on this thread); None: the real time."""
    token = _replay_clock.set(at)
    try:
        yield
    finally:
        _replay_clock.reset(token)


def move_clock_on(at: dt.datetime) -> None:
    """Inside a :func:`replay_clock` block: :func:`utcnow` gives ``at`` from now on (until the block
    ends). For a transaction whose time had to move on (see ``register.rules.after_history``)."""
    if _replay_clock.get() is not None:
        _replay_clock.set(at)


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(
        cls,
        values_callable=lambda members: [m.value for m in members],
        native_enum=False,
        validate_strings=True,
        length=32,
        create_constraint=False,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


_TEXT_COLUMNS: dict[type, tuple[tuple[str, bool], ...]] = {}


def _text_columns(cls: type) -> tuple[tuple[str, bool], ...]:
    """The text and JSON columns of a model (key, is JSON): the ones :func:`clean_values` cleans."""
    columns = _TEXT_COLUMNS.get(cls)
    if columns is None:
        mapper: Mapper[Any] = sa_inspect(cls)
        columns = _TEXT_COLUMNS[cls] = tuple(
            (prop.key, isinstance(prop.columns[0].type, JSON))
            for prop in mapper.column_attrs
            if isinstance(prop.columns[0].type, String | JSON)
            and not isinstance(prop.columns[0].type, Enum)
        )
    return columns


def _cleaned(value: Any, is_json: bool) -> Any:
    if is_json:
        if value is not None and not isinstance(value, bool | int | float):
            return clean_value(value)
    elif isinstance(value, str) and has_controls(value):
        return clean_text(value)
    return value


def clean_values(cls: type, values: dict[str, Any]) -> dict[str, Any]:
    """A row's values (for an INSERT of many rows at once, which runs no per-object event) cleaned
    as :func:`_clean_text_columns` cleans an object's."""
    for key, is_json in _text_columns(cls):
        if key in values:
            values[key] = _cleaned(values[key], is_json)
    return values


@event.listens_for(Base, "before_insert", propagate=True)
@event.listens_for(Base, "before_update", propagate=True)
def _clean_text_columns(mapper: Mapper[Any], _connection: Connection, target: object) -> None:
    """Every text a clerk or an import writes is stored without control characters (a form feed from a
    PDF, a vertical tab): see :mod:`pcc_desk.cleaning`. One place, for every model and every writer;
    the strings inside a JSON column's value too."""
    for key, is_json in _text_columns(mapper.class_):
        value = target.__dict__.get(key)
        cleaned = _cleaned(value, is_json)
        if cleaned is not value and cleaned != value:
            setattr(target, key, cleaned)


_RANDOM_BITS = 74  # of a time-ordered UUID: 48 bits of milliseconds, 6 of version and variant
_last_id = [0, 0]  # (milliseconds, random part) of the latest one given
_id_lock = threading.Lock()


def new_uuid() -> uuid.UUID:
    """A time-ordered UUID (the layout of RFC 9562's version 7: the Unix time in milliseconds, then
    74 random bits), each one greater than the one before in this process: the id of a record made
    by the many with each import (asks, their addressees, status rows, footnotes; see
    :data:`pcc_desk.services.journal.TIME_ORDERED`).

    Why: with random (version 4) ids every index keyed by an id takes each new row at a random
    place, so saving one letter's rows touches a page of each index per row; once those indexes
    outgrow SQLite's page cache, every import reads and rewrites hundreds of pages scattered
    through the file, more as the register grows. Time-ordered ids go to the end of each index,
    where the pages are already in the cache: an import's cost stays flat (issue 16). (Records a
    clerk names by the first digits of their id, as ``pcc-desk undo 3f2a9c1b`` does, keep random
    ids: the first digits of ids made in the same minute are the same.)"""
    with _id_lock:
        ms = time.time_ns() // 1_000_000
        rand = int.from_bytes(os.urandom(10)) >> (80 - _RANDOM_BITS)
        last_ms, last_rand = _last_id
        if ms <= last_ms:  # the same millisecond (or the clock went back): count on from the last
            ms, rand = last_ms, last_rand + 1
            if rand >> _RANDOM_BITS:
                ms, rand = ms + 1, 0
        _last_id[:] = [ms, rand]
    value = (ms << 80) | (7 << 76) | ((rand >> 62) << 64) | (0b10 << 62) | (rand & ((1 << 62) - 1))
    return uuid.UUID(int=value)


class Timestamped:
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime, default=utcnow, server_default=func.current_timestamp()
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, server_default=func.current_timestamp()
    )
