"""What the search backends share: the types and limits, the interface a backend implements
(:class:`SearchRequest` in, :class:`SearchOutcome` of :class:`RawHit` rows out), and the helpers that
run plain SQL on whichever connection a migration or the service hands over."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeAlias

from pcc_desk.errors import PccError

# What the helpers below run their plain SQL on: a SQLAlchemy Connection (a migration's op.get_bind()),
# a sqlite3 connection or cursor, or a psycopg connection; they share no type, and each function says
# which it accepts (it tells them apart with hasattr or dialect_of).
DbConnection: TypeAlias = Any
Row: TypeAlias = tuple[Any, ...]

# The kinds of record the index holds (the CLI's --kind values).
KINDS = ("transcript", "recommendation", "response", "footnote")

# Highlight markers around matched words in snippets (markdown bold; the UI turns them into <b>).
MARK_START = "**"
MARK_END = "**"
ELLIPSIS = "…"
SNIPPET_TOKENS = 24

# The most matches ranked by bm25 for one query; beyond that only the most recent are ranked.
RANK_WINDOW = 5_000
MIN_PREFIX = 2  # letters before the last word is also matched as a prefix
MAX_CHUNKS = 32  # words or phrases taken from one query; the rest of a very long input is ignored
MAX_QUERY_CHARS = 2_000


class SearchUnavailable(PccError):
    """The database engine lacks the full-text search this version needs."""


FTS5_MISSING = (
    "This computer's SQLite has no full-text search (FTS5), which PCC Desk needs; "
    "install PCC Desk's own build or a Python whose SQLite includes FTS5."
)


# --- the interface a backend implements ----------------------------------------------------------


@dataclass(frozen=True)
class SearchRequest:
    text: str
    speaker: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    committee: str | None = None
    kinds: tuple[str, ...] = ()
    transcript_id: str | None = None  # the UUID as stored (32 hex digits)
    limit: int = 20
    prefix: bool = True


@dataclass(frozen=True)
class HitLabel:
    """What a hit's title is made from, read with the hit (a backend that reads it saves the service
    a second round of queries): the turn's meeting, the recommendation, the response's ref and author,
    the footnote's number and letter. Only the fields of the hit's kind are set."""

    number: int = 0  # a turn's ordinal in its meeting, a footnote's number
    transcript_id: str | None = (
        None  # a turn's meeting, the meeting a footnote cites (32 hex digits)
    )
    committee: str = ""
    meeting_date: dt.date | None = None
    title: str = ""  # the meeting's title, the footnote's letter's title
    subject: str = ""  # the footnote's letter's subject
    ref: str = ""  # the recommendation's (or the response's recommendation's) reference
    text: str = ""  # the recommendation's text
    from_whom: str = ""  # the response's author


@dataclass(frozen=True)
class RawHit:
    kind: str
    record_id: str  # as stored (32 hex digits)
    date: dt.date | None
    speaker: str
    snippet: str
    score: float  # higher is better
    transcript_id: str | None = None
    label: HitLabel | None = None  # None: not read with the hit (or its record is gone)


@dataclass(frozen=True)
class SearchOutcome:
    hits: list[RawHit]
    bounded: bool = False  # True: too many matches to rank them all; the most recent were ranked
    matches_seen: int = 0
    notes: list[str] = field(default_factory=list)  # e.g. words left out because nothing holds them
    labelled: bool = False  # True: each hit's label was read with it (RawHit.label)


class SearchBackend(Protocol):
    def install_statements(self) -> list[str]: ...

    def trigger_statements(self) -> list[str]: ...

    def rebuild_statements(self) -> list[str]: ...

    def search(self, connection: DbConnection, request: SearchRequest) -> SearchOutcome: ...


def dialect_of(connection: DbConnection) -> str:
    """``sqlite`` or ``postgresql``, for a SQLAlchemy connection or a driver (DB-API) connection."""
    dialect = getattr(connection, "dialect", None)
    if dialect is not None:
        return str(dialect.name)
    if isinstance(connection, sqlite3.Connection | sqlite3.Cursor):
        return "sqlite"
    return "postgresql" if type(connection).__module__.startswith("psycopg") else "sqlite"


def _execute(connection: DbConnection, statement: str) -> None:
    if hasattr(connection, "exec_driver_sql"):
        connection.exec_driver_sql(statement)
    else:
        connection.execute(statement)


def _fetch(connection: DbConnection, statement: str) -> list[Row]:
    if hasattr(connection, "exec_driver_sql"):
        return [tuple(row) for row in connection.exec_driver_sql(statement)]
    rows: list[Row] = connection.execute(statement).fetchall()
    return rows


@contextlib.contextmanager
def _savepoint(connection: DbConnection) -> Iterator[None]:
    if hasattr(connection, "begin_nested"):
        with connection.begin_nested():
            yield
    else:  # a psycopg connection
        with connection.transaction():
            yield


def _hex(value: object) -> str:
    """A UUID as the backends hand it over (32 hex digits), from either spelling."""
    return (
        value.hex
        if hasattr(value, "hex") and not isinstance(value, str)
        else str(value).replace("-", "")
    )


def _with_ellipses(headline: str, body: str) -> str:
    """ts_headline's excerpt, with "…" where it cuts the text (as FTS5's snippet has)."""
    snippet = " ".join(headline.split())
    plain = snippet.replace(MARK_START, "").replace(MARK_END, "") if MARK_START else snippet
    text = " ".join(body.split())
    start = text.find(plain)
    if start < 0:
        return snippet
    if start > 0:
        snippet = ELLIPSIS + snippet
    if start + len(plain) < len(text):
        snippet += ELLIPSIS
    return snippet
