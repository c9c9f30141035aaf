"""Full-text search over transcripts, recommendations, responses and footnotes: every SQLite FTS5
specific lives in this package (:mod:`.query` the query language, :mod:`.common` the interface and
the shared helpers, :mod:`.sqlite` the FTS5 index, :mod:`.postgresql` the tsvector index; this module
the dialect-aware functions the migrations and the service call).

The rest of PCC Desk sees a small interface (:class:`SearchBackend`: the DDL a migration installs, a
rebuild, and :meth:`SearchBackend.search` taking a :class:`SearchRequest` and returning
:class:`RawHit` rows), so a shared team database on PostgreSQL can bring its own full-text search
behind the same service later.

Design (SQLite):

- ``search_docs`` is an ordinary table with an explicit ``INTEGER PRIMARY KEY`` (``doc_id``), one row
  per searchable record: its kind, the record's UUID, and the values the filters need (date,
  committee, speaker, transcript). ``search_index`` is a regular FTS5 table (it keeps its own copy of
  the text, so snippets need nothing else) whose rowid is that ``doc_id``. Both keys are stored
  values, so VACUUM and table rebuilds by batch migrations cannot renumber them; our tables' own
  implicit rowids (they have UUID keys) are never used.
- AFTER INSERT/UPDATE/DELETE triggers on ``segments``, ``recommendations``, ``responses``,
  ``footnotes`` and ``transcripts`` keep both in step, in the same transaction as the change.
  A batch migration that rebuilds one of those tables drops its triggers (and cannot rename the
  rebuilt table while other tables' triggers refer to it): wrap it in :func:`triggers_suspended`
  (``tests/test_search*`` search after upgrading a stored old-schema database and after a batch
  migration).
- Who and where are searched with the words: a turn's speaker (name, and the role and speaker as
  written), its meeting's title, a recommendation's addressee and its letter's sender and recipient,
  a response's author (and its letter's sender and recipient) are indexed in columns of their own
  (``names``, ``roles``, ``heading``) beside the text. bm25 weighs them (:data:`WEIGHTS`): a turn *by*
  Desai ranks above a turn merely *mentioning* Desai once, a meeting's title counts for less than the
  words said in it. The ``speaker`` column stays for the speaker filter only.
- User text never reaches ``MATCH`` as written: :func:`build_match` turns it into quoted phrases of
  words only, ANDed, with ``*`` on the last for search-as-you-type, keeping the clerk's own
  "phrase search".
- Keys are in date order (the day << 24, plus a sequence), so a date range is a key range FTS5 seeks
  to, and "the most recent matches" is a reverse walk of the index.
- Ranking is bm25, bounded: only the :data:`RANK_WINDOW` most recent matches (by meeting, letter or
  response date) are ranked, so a word found in half the corpus costs about the same as one found in a
  few thousand records.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from typing import Literal, overload

from pcc_desk.search.common import (
    ELLIPSIS,
    FTS5_MISSING,
    KINDS,
    MARK_END,
    MARK_START,
    MAX_CHUNKS,
    MAX_QUERY_CHARS,
    MIN_PREFIX,
    RANK_WINDOW,
    SNIPPET_TOKENS,
    DbConnection,
    HitLabel,
    RawHit,
    Row,
    SearchBackend,
    SearchOutcome,
    SearchRequest,
    SearchUnavailable,
    _execute,
    _fetch,
    dialect_of,
)
from pcc_desk.search.postgresql import (
    PG_CONFIG,
    PG_DOC_COLUMNS,
    PG_FUNCTIONS,
    PG_MASK,
    PG_PUNCTUATION,
    PG_TEXT_COLUMNS,
    PG_TRIGGER_NAMES,
    PostgresBackend,
    pg_install_config,
    pg_speaker_tsquery,
    pg_tsquery,
)
from pcc_desk.search.query import (
    SEARCHED,
    ParsedQuery,
    build_match,
    left_out_note,
    parse_query,
    speaker_match,
)
from pcc_desk.search.sqlite import (
    _SOURCES,
    _TABLES,
    COLUMNS,
    DAY_BITS,
    DOCS,
    INDEX,
    SEGMENT_ORDER,
    SETTINGS,
    TRIGGER_NAMES,
    WEIGHTS,
    SqliteFts5Backend,
    _segment_order,
    day_base,
    turns_sql,
)

# the names callers import from pcc_desk.search (the modules above are its parts)
__all__ = [
    "COLUMNS",
    "DAY_BITS",
    "DOCS",
    "ELLIPSIS",
    "FTS5_MISSING",
    "INDEX",
    "KINDS",
    "MARK_END",
    "MARK_START",
    "MAX_CHUNKS",
    "MAX_QUERY_CHARS",
    "MIN_PREFIX",
    "PG_CONFIG",
    "PG_DOC_COLUMNS",
    "PG_FUNCTIONS",
    "PG_MASK",
    "PG_PUNCTUATION",
    "PG_TEXT_COLUMNS",
    "PG_TRIGGER_NAMES",
    "RANK_WINDOW",
    "SEARCHED",
    "SEGMENT_ORDER",
    "SETTINGS",
    "SNIPPET_TOKENS",
    "TRIGGER_NAMES",
    "WEIGHTS",
    "_TABLES",
    "DbConnection",
    "HitLabel",
    "ParsedQuery",
    "PostgresBackend",
    "RawHit",
    "Row",
    "SearchBackend",
    "SearchOutcome",
    "SearchRequest",
    "SearchUnavailable",
    "SqliteFts5Backend",
    "apply_settings",
    "backend_for",
    "build_match",
    "count",
    "day_base",
    "dialect_of",
    "drop_triggers",
    "fts5_available",
    "install",
    "install_triggers",
    "left_out_note",
    "parse_query",
    "pg_install_config",
    "pg_speaker_tsquery",
    "pg_tsquery",
    "rebuild",
    "reinstall",
    "require_fts5",
    "speaker_match",
    "triggers_suspended",
    "turns_indexed_at_once",
    "uninstall",
    "verify",
]


def fts5_available(connection: sqlite3.Connection | None = None) -> bool:
    """True when SQLite can create an FTS5 table (checked on a throwaway in-memory database)."""
    conn = connection or sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE temp.pcc_fts5_probe USING fts5(x)")
        conn.execute("DROP TABLE temp.pcc_fts5_probe")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        if connection is None:
            conn.close()


def require_fts5() -> None:
    """Raise :class:`SearchUnavailable` with a clear message when FTS5 is missing."""
    if not fts5_available():
        raise SearchUnavailable(FTS5_MISSING)


_SQLITE, _POSTGRES = SqliteFts5Backend(), PostgresBackend()
_BACKENDS: dict[str, SqliteFts5Backend | PostgresBackend] = {
    "sqlite": _SQLITE,
    "postgresql": _POSTGRES,
}


@overload
def backend_for(dialect: Literal["sqlite"] = ...) -> SqliteFts5Backend: ...
@overload
def backend_for(dialect: Literal["postgresql"]) -> PostgresBackend: ...
@overload
def backend_for(dialect: str) -> SqliteFts5Backend | PostgresBackend: ...
def backend_for(dialect: str = "sqlite") -> SqliteFts5Backend | PostgresBackend:
    try:
        return _BACKENDS[dialect]
    except KeyError:
        raise SearchUnavailable(f"Search is not available on a {dialect} database.") from None


def install(connection: DbConnection) -> None:
    """Create the index, its triggers, and fill it from the existing rows (a migration's job).

    ``connection``: a SQLAlchemy connection (``op.get_bind()``), or a sqlite3 or psycopg connection.
    """
    dialect = dialect_of(connection)
    if dialect == "postgresql":
        pg_install_config(connection)
        backend = backend_for(dialect)
        statements = backend.install_statements() + backend.rebuild_statements()
    else:
        order = _segment_order(connection)
        sqlite = backend_for("sqlite")
        statements = sqlite.install_statements(order) + sqlite.rebuild_statements(order)
    for statement in statements:
        _execute(connection, statement)


def install_triggers(connection: DbConnection) -> None:
    """(Re-)create the sync triggers."""
    if dialect_of(connection) == "postgresql":
        statements = backend_for("postgresql").trigger_statements()
    else:
        statements = backend_for("sqlite").trigger_statements(_segment_order(connection))
    for statement in statements:
        _execute(connection, statement)


def drop_triggers(connection: DbConnection) -> None:
    for statement in backend_for(dialect_of(connection)).drop_trigger_statements():
        _execute(connection, statement)


@contextlib.contextmanager
def triggers_suspended(connection: DbConnection) -> Iterator[None]:
    """Wrap every batch migration of segments, transcripts, recommendations, responses, footnotes or
    documents:

        with search.triggers_suspended(op.get_bind()):
            with op.batch_alter_table("segments") as batch: ...

    A batch migration rebuilds the table, which silently drops its own triggers, and SQLite refuses
    to rename the rebuilt table while a trigger on another table refers to it. The rows keep their
    UUIDs, so the index stays right; a migration that changes indexed text should call
    :func:`rebuild` inside the block as well. (On PostgreSQL a batch migration alters the table in
    place and its triggers stay; suspending and re-creating them does no harm.)
    """
    drop_triggers(connection)
    yield
    install_triggers(connection)


TURN_TRIGGER = "search_segments_ai"  # a turn written: its key and its text indexed


@contextlib.contextmanager
def turns_indexed_at_once(connection: DbConnection, transcript_id: str) -> Iterator[None]:
    """Wrap the writing of a new transcript's turns, inside the transaction that writes them.

    On a file the turns are indexed at once when they are all written (:func:`sqlite.turns_sql`: two
    statements) instead of by a trigger a turn: the turn trigger is dropped for the while and made
    again, both in the caller's transaction, so a failed write leaves it as it was. A transcript of
    20,000 words is written and indexed about three times faster; the keys and the index are the
    very ones the trigger makes. ``connection``: a SQLAlchemy connection. (PostgreSQL: unchanged.)
    """
    if dialect_of(connection) == "postgresql":
        yield
        return
    trigger = next(s for s in backend_for("sqlite").trigger_statements() if TURN_TRIGGER in s)
    _execute(connection, f"DROP TRIGGER IF EXISTS {TURN_TRIGGER}")
    try:
        yield
        for statement in turns_sql(
            ":transcript_id", "(SELECT meeting_date FROM transcripts WHERE id = :transcript_id)"
        ):
            connection.exec_driver_sql(statement, {"transcript_id": transcript_id})
    finally:
        _execute(connection, trigger)


def apply_settings(connection: DbConnection) -> None:
    """Give an existing FTS5 index this version's settings (:data:`sqlite.SETTINGS`, which every
    install sets too); nothing on PostgreSQL, nor on a register without the index."""
    if dialect_of(connection) == "postgresql":
        return
    if not _fetch(
        connection, f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{INDEX}'"
    ):
        return
    for statement in SETTINGS:
        _execute(connection, statement)


def reinstall(connection: DbConnection) -> None:
    """Replace the index with this version's: drop every search trigger (whichever version made it) and
    both tables, then install and fill them from the records. A migration that changes the index's
    columns runs this; it is right whatever state an earlier migration left the index in.
    """
    if dialect_of(connection) == "postgresql":
        for statement in backend_for("postgresql").uninstall_statements():
            if "TEXT SEARCH CONFIGURATION" not in statement:  # the configuration stays as it is
                _execute(connection, statement)
        install(connection)
        return
    leftover = [
        name
        for (name,) in _fetch(
            connection,
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search%'",
        )
        if name.startswith("search_")
    ]
    for name in dict.fromkeys([*TRIGGER_NAMES, *leftover]):
        _execute(connection, f'DROP TRIGGER IF EXISTS "{name}"')
    _execute(connection, f"DROP TABLE IF EXISTS {INDEX}")
    _execute(connection, f"DROP TABLE IF EXISTS {DOCS}")
    install(connection)


def rebuild(connection: DbConnection) -> None:
    if dialect_of(connection) == "postgresql":
        statements = backend_for("postgresql").rebuild_statements()
    else:
        statements = backend_for("sqlite").rebuild_statements(_segment_order(connection))
    for statement in statements:
        _execute(connection, statement)


def count(connection: DbConnection) -> int:
    """How many records the index holds."""
    return int(_fetch(connection, f"SELECT count(*) FROM {DOCS}")[0][0])


def verify(connection: DbConnection) -> list[str]:
    """What is wrong with the index, in words (empty when it is sound and complete).

    ``connection``: a sqlite3 connection (the FTS5 integrity check is written as an INSERT), or the
    psycopg connection of a team register."""
    if dialect_of(connection) == "postgresql":
        return backend_for("postgresql").verify(connection)
    problems = []
    try:
        connection.execute(f"INSERT INTO {INDEX}({INDEX}) VALUES ('integrity-check')")
    except sqlite3.DatabaseError as exc:
        problems.append(f"the full-text index is damaged ({exc})")
    for table, spec in _SOURCES.items():
        missing = connection.execute(
            f"SELECT count(*) FROM {table} WHERE NOT EXISTS (SELECT 1 FROM {DOCS} d WHERE d.record_id = {table}.id)"
        ).fetchone()[0]
        if missing:
            problems.append(f"{missing} {spec['kind']} record(s) are missing from the search index")
    orphans = connection.execute(
        f"SELECT count(*) FROM {DOCS} d WHERE NOT EXISTS (SELECT 1 FROM {INDEX} i WHERE i.rowid = d.doc_id)"
    ).fetchone()[0]
    extra = connection.execute(
        f"SELECT count(*) FROM {INDEX} i WHERE NOT EXISTS (SELECT 1 FROM {DOCS} d WHERE d.doc_id = i.rowid)"
    ).fetchone()[0]
    if orphans or extra:
        problems.append(f"the search index is out of step ({orphans + extra} entries)")
    triggers = {
        r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }
    absent = sorted(set(TRIGGER_NAMES) - triggers)
    if absent:
        problems.append(
            f"{len(absent)} search trigger(s) are missing, so new records would not be found"
        )
    return problems


def uninstall(connection: DbConnection) -> None:
    for statement in backend_for(dialect_of(connection)).uninstall_statements():
        _execute(connection, statement)
