"""Full-text search over transcripts, recommendations, responses and footnotes: every SQLite FTS5
specific lives in this one module.

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
import datetime as dt
import re
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TypeAlias, overload

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


# --- the query language -------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")
_PHRASE = re.compile(r'"([^"]*)"')


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _chunks(text: str) -> list[tuple[str, ...]]:
    """Each whitespace-separated chunk as a phrase of its words: ``Met's`` → ``met s``, ``a-b`` → ``a b``."""
    return [tuple(words) for chunk in text.split() if (words := _words(chunk))]


@dataclass(frozen=True)
class ParsedQuery:
    """The user's text as phrases of words; ``prefix_last``: the last phrase is typed-so-far;
    ``quoted``: for each phrase, whether the clerk put it between quotes."""

    phrases: tuple[tuple[str, ...], ...]
    prefix_last: bool
    quoted: tuple[bool, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.phrases


def parse_query(text: str, *, prefix: bool = True) -> ParsedQuery:
    """Split the clerk's text into phrases: "quoted words" stay together, other words stand alone.

    Only letters and digits survive, so no character the clerk types can be read as FTS syntax: a lone
    ``"``, ``*``, ``-``, ``:``, ``(``, AND/OR/NOT/NEAR are all plain words or nothing.
    """
    text = (text or "")[:MAX_QUERY_CHARS]
    phrases: list[tuple[str, ...]] = []
    quotes: list[bool] = []
    last_is_bare = False
    position = 0
    for match in _PHRASE.finditer(text):
        for chunk in _chunks(text[position : match.start()]):
            phrases.append(chunk)
            quotes.append(False)
            last_is_bare = True
        quoted = tuple(_words(match.group(1)))
        if quoted:
            phrases.append(quoted)
            quotes.append(True)
            last_is_bare = False
        position = match.end()
    tail = text[position:]
    for chunk in _chunks(tail):
        phrases.append(chunk)
        quotes.append(False)
        last_is_bare = True
    # the last word is being typed only when the text does not end in a space or punctuation; a
    # one-letter prefix ("s" of "Met's") would match half the vocabulary, so it stays a whole word
    typing = (
        bool(tail)
        and bool(_WORD.search(tail[-1:]))
        and bool(phrases)
        and len(phrases[-1][-1]) >= MIN_PREFIX
    )
    prefix_last = prefix and last_is_bare and typing and len(phrases) <= MAX_CHUNKS
    return ParsedQuery(tuple(phrases[:MAX_CHUNKS]), prefix_last, tuple(quotes[:MAX_CHUNKS]))


def _quote(words: Sequence[str]) -> str:
    return '"' + " ".join(words) + '"'  # words hold letters and digits only: nothing to escape


# The columns the clerk's words are looked for in: the text, the labels, and who said or received it.
SEARCHED = "{body title names roles heading}"


def _phrase_terms(parsed: ParsedQuery, columns: str) -> list[str]:
    terms = []
    for i, words in enumerate(parsed.phrases):
        star = " *" if parsed.prefix_last and i == len(parsed.phrases) - 1 else ""
        terms.append(f"{columns} : {_quote(words)}{star}")
    return terms


def build_match(text: str, *, prefix: bool = True, columns: str = SEARCHED) -> str | None:
    """An FTS5 MATCH expression for the clerk's text, or None when it holds no word at all."""
    parsed = parse_query(text, prefix=prefix)
    if parsed.empty:
        return None
    return " AND ".join(_phrase_terms(parsed, columns))


def speaker_match(speaker: str) -> str | None:
    """Every word of the name or role typed, the last one possibly unfinished ("Rowl")."""
    words = _words(speaker or "")[:MAX_CHUNKS]
    if not words:
        return None
    parts = [f"speaker : {_quote([w])}" for w in words]
    if len(words[-1]) >= MIN_PREFIX:
        parts[-1] += " *"
    return " AND ".join(parts)


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
class RawHit:
    kind: str
    record_id: str  # as stored (32 hex digits)
    date: dt.date | None
    speaker: str
    snippet: str
    score: float  # higher is better
    transcript_id: str | None = None


@dataclass(frozen=True)
class SearchOutcome:
    hits: list[RawHit]
    bounded: bool = False  # True: too many matches to rank them all; the most recent were ranked
    matches_seen: int = 0
    notes: list[str] = field(default_factory=list)  # e.g. words left out because nothing holds them


class SearchBackend(Protocol):
    def install_statements(self) -> list[str]: ...

    def trigger_statements(self) -> list[str]: ...

    def rebuild_statements(self) -> list[str]: ...

    def search(self, connection: DbConnection, request: SearchRequest) -> SearchOutcome: ...


def left_out_note(parsed: ParsedQuery, absent: list[int]) -> str:
    """What the clerk is told when words no record holds were left out of the search."""
    left_out = ", ".join(f"“{' '.join(parsed.phrases[i])}”" for i in absent)
    return f"No record holds {left_out}, so the search is for the other words."


# --- SQLite FTS5 ---------------------------------------------------------------------------------

DOCS = "search_docs"
INDEX = "search_index"

COLUMNS = ("body", "title", "speaker", "facets", "names", "roles", "heading")
# bm25 weight of a match in each column. A name counts three times a word of the text, so a turn by
# Desai outranks one that mentions him once; the meeting's title counts half (it is on every turn of the
# meeting). speaker and facets only serve the filters.
WEIGHTS = {
    "body": 1.0,
    "title": 2.0,
    "speaker": 0.0,
    "facets": 0.0,
    "names": 3.0,
    "roles": 1.0,
    "heading": 0.5,
}

_TABLES = [
    f"""CREATE TABLE IF NOT EXISTS {DOCS} (
        doc_id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        record_id CHAR(32) NOT NULL UNIQUE,
        transcript_id CHAR(32),
        date DATE,
        committee TEXT NOT NULL DEFAULT '',
        speaker_name TEXT NOT NULL DEFAULT '',
        speaker_role TEXT NOT NULL DEFAULT ''
    )""",
    f"CREATE INDEX IF NOT EXISTS ix_{DOCS}_transcript_id ON {DOCS} (transcript_id)",
    f"CREATE INDEX IF NOT EXISTS ix_{DOCS}_date ON {DOCS} (date)",
    # body: the text; title: short labels (a ref); speaker: name and role, for the speaker filter;
    # facets: the kind (as one token, "kindtranscript") and the committee, for the filters;
    # names: the people a record is by or to; roles: their roles, the speaker as written;
    # heading: the meeting's title
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {INDEX} USING fts5(
        {", ".join(COLUMNS)},
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3'
    )""",
]

# For each indexed table: its kind, the columns the index reads, and SQL expressions over a row alias
# (NEW/OLD in triggers, the table itself in a rebuild).
_SOURCES = {
    "segments": dict(
        kind="transcript",
        facets="'kindtranscript ' || COALESCE((SELECT committee FROM transcripts WHERE id = {r}.transcript_id), '')",
        watched="text, speaker, speaker_name, speaker_role, transcript_id",
        body="{r}.text",
        title="''",
        speaker="{r}.speaker_name || ' ' || {r}.speaker || ' ' || {r}.speaker_role",
        names="CASE WHEN {r}.speaker_name <> '' THEN {r}.speaker_name ELSE {r}.speaker END",
        roles="{r}.speaker || ' ' || {r}.speaker_role",
        heading="COALESCE((SELECT title FROM transcripts WHERE id = {r}.transcript_id), '')",
        transcript_id="{r}.transcript_id",
        date="(SELECT meeting_date FROM transcripts WHERE id = {r}.transcript_id)",
        committee="COALESCE((SELECT committee FROM transcripts WHERE id = {r}.transcript_id), '')",
        speaker_name="{r}.speaker_name",
        speaker_role="{r}.speaker_role",
    ),
    "recommendations": dict(
        kind="recommendation",
        facets="'kindrecommendation ' || ''",
        watched="text, context, ref, addressee, made, document_id",
        body="{r}.text || CASE WHEN {r}.context <> '' THEN char(10) || {r}.context ELSE '' END",
        title="{r}.ref",
        speaker="''",
        # the addressee, and the letter's sender and recipient (when not the addressee again)
        names="{r}.addressee || COALESCE((SELECT ' ' || sender || CASE WHEN recipient <> {r}.addressee "
        "THEN ' ' || recipient ELSE '' END FROM documents WHERE id = {r}.document_id), '')",
        roles="''",
        heading="''",
        transcript_id="NULL",
        date="{r}.made",
        committee="''",
        speaker_name="''",
        speaker_role="''",
    ),
    "responses": dict(
        kind="response",
        facets="'kindresponse ' || ''",
        watched="text, evidence, from_whom, received, recommendation_id, document_id",
        body="{r}.text || CASE WHEN {r}.evidence <> '' THEN char(10) || {r}.evidence ELSE '' END",
        title="COALESCE((SELECT ref FROM recommendations WHERE id = {r}.recommendation_id), '')",
        speaker="{r}.from_whom",
        # who it is from, and its letter's sender and recipient
        names="{r}.from_whom || COALESCE((SELECT ' ' || sender || ' ' || recipient "
        "FROM documents WHERE id = {r}.document_id), '')",
        roles="''",
        heading="''",
        transcript_id="NULL",
        date="{r}.received",
        committee="''",
        speaker_name="{r}.from_whom",
        speaker_role="''",
    ),
    "footnotes": dict(
        kind="footnote",
        facets="'kindfootnote ' || {r}.committee",
        watched="text, committee, meeting_date, transcript_id",
        body="{r}.text",
        title="''",
        speaker="''",
        names="''",
        roles="''",
        heading="''",
        transcript_id="{r}.transcript_id",
        date="COALESCE({r}.meeting_date, (SELECT date FROM documents WHERE id = {r}.document_id))",
        committee="{r}.committee",
        speaker_name="''",
        speaker_role="''",
    ),
}

TRIGGER_NAMES = [
    f"search_{table}_{event}" for table in _SOURCES for event in ("ai", "au", "ad")
] + [
    "search_transcripts_au",
    "search_recommendations_ref_au",
    "search_documents_au",
]


DAY_BITS = 24  # a record's key: its day (Julian day number) << 24, plus a sequence within the day


def day_base(date_sql: str) -> str:
    """SQL for the first key of a date's day; records without a date sort before every dated one."""
    return f"(CAST(julianday(COALESCE({date_sql}, '0001-01-01')) AS INTEGER) << {DAY_BITS})"


def _next_key(base: str) -> str:
    """SQL for the next free key of a day (a range probe on the primary key)."""
    return (
        f"(SELECT COALESCE(MAX(doc_id) + 1, {base}) FROM {DOCS} "
        f"WHERE doc_id BETWEEN {base} AND {base} + {(1 << DAY_BITS) - 1})"
    )


def _doc_values(spec: dict[str, str], r: str, *, aliased: bool = False) -> str:
    cols = ["transcript_id", "date", "committee", "speaker_name", "speaker_role"]
    return ", ".join(spec[c].format(r=r) + (f" AS {c}" if aliased else "") for c in cols)


def _index_values(spec: dict[str, str], r: str) -> str:
    return ", ".join(spec[c].format(r=r) for c in COLUMNS)


_INDEX_COLUMNS = "rowid, " + ", ".join(COLUMNS)


_DOC_COLUMNS = "doc_id, kind, record_id, transcript_id, date, committee, speaker_name, speaker_role"


def _insert_sql(spec: dict[str, str], r: str) -> list[str]:
    base = day_base(spec["date"].format(r=r))
    return [
        f"INSERT INTO {DOCS} ({_DOC_COLUMNS}) "
        f"VALUES ({_next_key(base)}, '{spec['kind']}', {r}.id, {_doc_values(spec, r)});",
        f"INSERT INTO {INDEX} ({_INDEX_COLUMNS}) VALUES ("
        f"(SELECT doc_id FROM {DOCS} WHERE record_id = {r}.id), {_index_values(spec, r)});",
    ]


def _delete_sql(r: str) -> list[str]:
    return [
        f"DELETE FROM {INDEX} WHERE rowid = (SELECT doc_id FROM {DOCS} WHERE record_id = {r}.id);",
        f"DELETE FROM {DOCS} WHERE record_id = {r}.id;",
    ]


def _index_rows_sql(table: str, spec: dict[str, str], where: str = "") -> str:
    r = table
    return (
        f"INSERT INTO {INDEX} ({_INDEX_COLUMNS}) "
        f"SELECT d.doc_id, {_index_values(spec, r)} "
        f"FROM {table} JOIN {DOCS} d ON d.record_id = {r}.id{where}"
    )


# The column that numbers a transcript's turns: ``ordinal`` since schema 0005, ``position`` before it.
# The migrations up to 0004 run this module on a register of their own revision, so the functions that
# are handed a connection read which one the register has (:func:`_segment_order`; SQLite only: the
# PostgreSQL index does not read the turns' order).
SEGMENT_ORDER = "ordinal"


def _segment_order(connection: DbConnection) -> str:
    columns = {row[1] for row in _fetch(connection, "PRAGMA table_info(segments)")}
    return "position" if "position" in columns and SEGMENT_ORDER not in columns else SEGMENT_ORDER


def _triggers(order: str = SEGMENT_ORDER) -> list[str]:
    statements = []
    for table, spec in _SOURCES.items():
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS search_{table}_ai AFTER INSERT ON {table} BEGIN "
            + " ".join(_insert_sql(spec, "NEW"))
            + " END"
        )
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS search_{table}_au AFTER UPDATE OF {spec['watched']}, id ON {table} BEGIN "
            + " ".join(_delete_sql("OLD") + _insert_sql(spec, "NEW"))
            + " END"
        )
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS search_{table}_ad AFTER DELETE ON {table} BEGIN "
            + " ".join(_delete_sql("OLD"))
            + " END"
        )
    # a transcript's new date, committee or title: its turns are re-keyed under the new day
    seg = _SOURCES["segments"]
    base = day_base("NEW.meeting_date")
    statements.append(
        "CREATE TRIGGER IF NOT EXISTS search_transcripts_au AFTER UPDATE OF meeting_date, committee, title ON transcripts BEGIN "
        f"DELETE FROM {INDEX} WHERE rowid IN (SELECT doc_id FROM {DOCS} WHERE transcript_id = NEW.id AND kind = 'transcript'); "
        f"DELETE FROM {DOCS} WHERE transcript_id = NEW.id AND kind = 'transcript'; "
        f"INSERT INTO {DOCS} ({_DOC_COLUMNS}) "
        f"SELECT {_next_key(base)} - 1 + row_number() OVER (ORDER BY segments.{order}), 'transcript', segments.id, "
        f"{_doc_values(seg, 'segments')} FROM segments WHERE segments.transcript_id = NEW.id; "
        + _index_rows_sql("segments", seg, " WHERE segments.transcript_id = NEW.id")
        + "; END"
    )
    # a recommendation's new ref is the label of its responses too
    statements.append(
        "CREATE TRIGGER IF NOT EXISTS search_recommendations_ref_au AFTER UPDATE OF ref ON recommendations BEGIN "
        f"UPDATE {INDEX} SET title = NEW.ref WHERE rowid IN (SELECT d.doc_id FROM {DOCS} d "
        "JOIN responses r ON r.id = d.record_id WHERE r.recommendation_id = NEW.id); END"
    )
    # a letter's new sender or recipient: the names of its recommendations and responses
    renames = []
    for table in ("recommendations", "responses"):
        names = _SOURCES[table]["names"].format(r="x")
        renames.append(
            f"UPDATE {INDEX} SET names = (SELECT {names} FROM {table} x JOIN {DOCS} d "
            f"ON d.record_id = x.id WHERE d.doc_id = {INDEX}.rowid) "
            f"WHERE rowid IN (SELECT d.doc_id FROM {DOCS} d JOIN {table} x ON x.id = d.record_id "
            f"WHERE x.document_id = NEW.id);"
        )
    statements.append(
        "CREATE TRIGGER IF NOT EXISTS search_documents_au AFTER UPDATE OF sender, recipient ON documents BEGIN "
        + " ".join(renames)
        + " END"
    )
    return statements


_ORDER_WITHIN_DAY = {
    "segments": "{r}.transcript_id || printf('%09d', {r}.{order})",
    "recommendations": "{r}.ref",
    "responses": "{r}.id",
    "footnotes": "{r}.document_id || printf('%09d', {r}.number)",
}


def _rebuild(order: str = SEGMENT_ORDER) -> list[str]:
    """Index every existing row: keys in date order, then in meeting (or letter) order within a day."""
    parts = []
    for table, spec in _SOURCES.items():
        r = table
        parts.append(
            f"SELECT '{spec['kind']}' AS kind, {r}.id AS record_id, {_doc_values(spec, r, aliased=True)}, "
            f"'{table}' AS source, {_ORDER_WITHIN_DAY[table].format(r=r, order=order)} AS ordering FROM {table}"
        )
    union = " UNION ALL ".join(parts)
    columns = "kind, record_id, transcript_id, date, committee, speaker_name, speaker_role"
    statements = [
        f"DELETE FROM {INDEX}",
        f"DELETE FROM {DOCS}",
        f"INSERT INTO {DOCS} ({_DOC_COLUMNS}) "
        f"SELECT {day_base('date')} - 1 + row_number() OVER (PARTITION BY date ORDER BY source DESC, ordering), {columns} "
        f"FROM (SELECT kind, record_id, transcript_id, date, committee, speaker_name, speaker_role, source, ordering FROM ({union}))",
    ]
    for table, spec in _SOURCES.items():
        statements.append(_index_rows_sql(table, spec))
    return statements


def _snippet_expr() -> str:
    def lit(s: str) -> str:
        return "'" + s.replace("'", "''") + "'"

    return f"snippet({INDEX}, 0, {lit(MARK_START)}, {lit(MARK_END)}, {lit(ELLIPSIS)}, {SNIPPET_TOKENS})"


_DOC_COLUMN = re.compile(r"\bd\.")


class SqliteFts5Backend:
    """The SQLite FTS5 implementation of :class:`SearchBackend`."""

    name = "sqlite-fts5"

    def install_statements(self, segment_order: str = SEGMENT_ORDER) -> list[str]:
        return _TABLES + _triggers(segment_order)

    def trigger_statements(self, segment_order: str = SEGMENT_ORDER) -> list[str]:
        return _triggers(segment_order)

    def drop_trigger_statements(self) -> list[str]:
        return [f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGER_NAMES]

    def rebuild_statements(self, segment_order: str = SEGMENT_ORDER) -> list[str]:
        return _rebuild(segment_order)

    def uninstall_statements(self) -> list[str]:
        return [
            *self.drop_trigger_statements(),
            f"DROP TABLE IF EXISTS {INDEX}",
            f"DROP TABLE IF EXISTS {DOCS}",
        ]

    # the query ----------------------------------------------------------------------------------

    def _filters(self, request: SearchRequest) -> tuple[list[str], dict[str, object]]:
        """SQL conditions beside the MATCH (kind, speaker and committee words are in the MATCH itself)."""
        where: list[str] = []
        params: dict[str, object] = {}
        if request.kinds and not [k for k in request.kinds if k in KINDS]:
            where.append("0")
        # keys are in date order: a date range is a key range, which FTS5 seeks to directly
        if request.date_from:
            where.append(f"{INDEX}.rowid >= {day_base(':date_from')}")
            params["date_from"] = request.date_from.isoformat()
        if request.date_to:
            where.append(f"{INDEX}.rowid < {day_base(':date_to')} + {1 << DAY_BITS}")
            params["date_to"] = request.date_to.isoformat()
        if request.transcript_id:
            where.append("d.transcript_id = :transcript_id")
            params["transcript_id"] = request.transcript_id
        return where, params

    def match_expression(self, request: SearchRequest, text_match: str | None = None) -> str | None:
        """The whole MATCH: the clerk's words (or ``text_match``, built from them) and the filters."""
        match = text_match or build_match(request.text, prefix=request.prefix)
        if match is None:
            return None
        parts = [match]
        speaker = speaker_match(request.speaker or "")
        if speaker:
            parts.append(speaker)
        kinds = [k for k in request.kinds if k in KINDS]
        if kinds:
            parts.append(" OR ".join(f'facets : "kind{k}"' for k in kinds))
        committee = _words(request.committee or "")[:MAX_CHUNKS]
        if committee:
            parts.append(
                f"facets : {_quote(committee)}"
            )  # the committee's name holds these words, in order
        return parts[0] if len(parts) == 1 else " AND ".join(f"({p})" for p in parts)

    def search(self, connection: DbConnection, request: SearchRequest) -> SearchOutcome:
        """``connection``: a DB-API (sqlite3) connection or cursor-capable object.

        Every word must match. Only when that finds nothing are the unquoted words that no record
        holds at all ("where" in "where Sakina", a misspelling) left out, the search run again on the
        others, and the clerk told which words were left out (``notes``).
        """
        outcome = self._search(connection, request, self.match_expression(request))
        if outcome.hits or outcome.matches_seen:
            return outcome
        parsed = parse_query(request.text, prefix=request.prefix)
        if len(parsed.phrases) < 2:
            return outcome
        terms = _phrase_terms(parsed, SEARCHED)
        absent = [
            i
            for i, term in enumerate(terms)
            if not parsed.quoted[i]
            and connection.execute(
                f"SELECT 1 FROM {INDEX} WHERE {INDEX} MATCH ? LIMIT 1", (term,)
            ).fetchone()
            is None
        ]
        kept = [term for i, term in enumerate(terms) if i not in absent]
        if not absent or not kept:
            return outcome
        relaxed = self._search(
            connection, request, self.match_expression(request, " AND ".join(kept))
        )
        return SearchOutcome(
            hits=relaxed.hits,
            bounded=relaxed.bounded,
            matches_seen=relaxed.matches_seen,
            notes=[left_out_note(parsed, absent)],
        )

    def _search(
        self, connection: DbConnection, request: SearchRequest, match: str | None
    ) -> SearchOutcome:
        limit = max(1, min(int(request.limit or 20), 500))
        if match is None:
            return SearchOutcome(hits=[])
        where, params = self._filters(request)
        params["match"] = match
        extra = "".join(f" AND {w}" for w in where)
        join = (
            f" JOIN {DOCS} d ON d.doc_id = {INDEX}.rowid"
            if any(_DOC_COLUMN.search(w) for w in where)
            else ""
        )
        # 1. the keys of the RANK_WINDOW most recent matches, newest first (no ranking work)
        window_sql = (
            f"SELECT {INDEX}.rowid FROM {INDEX}{join} "
            f"WHERE {INDEX} MATCH :match{extra} ORDER BY {INDEX}.rowid DESC LIMIT {RANK_WINDOW + 1}"
        )
        keys = connection.execute(window_sql, params).fetchall()
        seen = len(keys)
        if not seen:
            return SearchOutcome(hits=[], matches_seen=0)
        bounded = seen > RANK_WINDOW
        lowest = keys[min(seen, RANK_WINDOW) - 1][0]
        params["lowest"] = lowest
        params["limit"] = limit
        # 2. bm25 ranking and snippets within that window, each column weighed (WEIGHTS)
        sql = (
            f"SELECT d.kind, d.record_id, d.date, d.speaker_name, d.transcript_id, {_snippet_expr()}, "
            f"bm25({INDEX}, {', '.join(str(WEIGHTS[c]) for c in COLUMNS)}) AS score "
            f"FROM {INDEX} JOIN {DOCS} d ON d.doc_id = {INDEX}.rowid "
            f"WHERE {INDEX} MATCH :match AND {INDEX}.rowid >= :lowest{extra} "
            f"ORDER BY score LIMIT :limit"
        )
        hits = []
        for kind, record_id, date, speaker, transcript_id, snippet, score in connection.execute(
            sql, params
        ):
            hits.append(
                RawHit(
                    kind=kind,
                    record_id=record_id,
                    date=dt.date.fromisoformat(date) if date else None,
                    speaker=speaker or "",
                    snippet=" ".join((snippet or "").split()),
                    score=round(-float(score), 4),
                    transcript_id=transcript_id,
                )
            )
        return SearchOutcome(hits=hits, bounded=bounded, matches_seen=min(seen, RANK_WINDOW))

    def bare_search(self, connection: DbConnection, match: str, limit: int = 20) -> list[Row]:
        """The plain FTS5 query the benchmark compares against: MATCH, rank, snippet, LIMIT."""
        rows: list[Row] = connection.execute(
            f"SELECT rowid, {_snippet_expr()} FROM {INDEX} WHERE {INDEX} MATCH ? ORDER BY rank LIMIT ?",
            (match, limit),
        ).fetchall()
        return rows


# --- PostgreSQL ----------------------------------------------------------------------------------
#
# The same index on a team register (see :mod:`pcc_desk.postgres`), with PostgreSQL's own full-text
# search:
#
# - ``search_docs`` holds one row per searchable record, as on SQLite, plus the record's text in
#   columns of its own (body, title, speaker, facets) and ``tsv``, a generated ``tsvector`` of the
#   title (weight A) and the body (weight D), with a GIN index. Row triggers on the indexed tables
#   (PL/pgSQL, ``SECURITY DEFINER`` so that a clerk's write keeps the owner's index in step) upsert
#   or delete the record's row in the same transaction, reading the same expressions as SQLite's.
# - Words are what the query parser calls words on both backends: runs of letters and digits. The
#   configuration ``pcc_search`` is a copy of ``simple`` (no stemming, no stop words: ``english``
#   would drop "we will" and break prefixes like "policin") with ``unaccent`` in front when the
#   server has it (FTS5's ``remove_diacritics``), and the text is handed to it with ASCII
#   punctuation turned into spaces (:data:`PG_PUNCTUATION`), so that PostgreSQL's parser does not
#   read "PCC-2024-017" as a word and two negative numbers, or "www.x.org/a" as a URL.
# - The tsquery is built from :func:`parse_query`: each phrase as ``'a' <-> 'b'``, ANDed, the last
#   word ``:*`` when typed-so-far; words hold letters and digits only, so nothing the clerk types is
#   read as tsquery syntax.
# - Ranking is bounded as on SQLite: only the :data:`RANK_WINDOW` most recent matches (by date) are
#   ranked (``ts_rank`` with the columns' weights), and ``ts_headline`` is computed only for the rows
#   returned, on the text with its punctuation masked (:data:`PG_MASK`) so it sees the same words.

PG_CONFIG = "pcc_search"
PG_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
# private-use stand-ins for the punctuation while ts_headline reads the text (put back after)
PG_MASK = "".join(chr(0xE000 + i) for i in range(len(PG_PUNCTUATION)))
PG_FUNCTIONS = ("search_words", "search_mask", "search_unmask")
PG_TRIGGER_NAMES = [f"search_{table}_sync" for table in _SOURCES] + [
    "search_transcripts_sync_turns",
    "search_recommendations_sync_responses",
    "search_documents_sync_names",
]
PG_TEXT_COLUMNS = COLUMNS
PG_DOC_COLUMNS = (
    "kind",
    "record_id",
    "transcript_id",
    "date",
    "committee",
    "speaker_name",
    "speaker_role",
    *PG_TEXT_COLUMNS,
)


def _pg_weight_classes() -> dict[str, str]:
    """Each searched column's tsvector weight (A, B, C, D by :data:`WEIGHTS`, heaviest first);
    columns of weight 0 only serve the filters and are not in the tsvector."""
    levels = sorted({w for w in WEIGHTS.values() if w > 0}, reverse=True)
    assert len(levels) <= 4, "PostgreSQL has four weights"
    return {c: "ABCD"[levels.index(w)] for c, w in WEIGHTS.items() if w > 0}


def _pg_rank_weights() -> str:
    """ts_rank's weights array, in PostgreSQL's order {D, C, B, A}, scaled to at most 1."""
    levels = sorted({w for w in WEIGHTS.values() if w > 0}, reverse=True)
    top = levels[0]
    by_class = {"ABCD"[i]: w / top for i, w in enumerate(levels)}
    return "{" + ", ".join(f"{by_class.get(c, 0.0):.4f}" for c in "DCBA") + "}"


def _pg_literal(text: str) -> str:
    """A SQL string literal; a per cent sign is spelled chr(37), since the driver reads ``%`` as the
    start of a placeholder in any statement it is handed."""
    quoted = "'" + text.replace("'", "''") + "'"
    return quoted.replace("%", "' || chr(37) || '") if "%" in text else quoted


def _pg_expr(sql: str) -> str:
    """A source expression written for SQLite, in PostgreSQL's words."""
    return sql.replace("char(10)", "chr(10)")


def _pg_upsert(table: str, where: str) -> str:
    spec = _SOURCES[table]
    r = table
    values = [
        f"'{spec['kind']}'",
        f"{r}.id",
        *(
            _pg_expr(spec[c].format(r=r))
            for c in ("transcript_id", "date", "committee", "speaker_name", "speaker_role")
        ),
        *(f"COALESCE({_pg_expr(spec[c].format(r=r))}, '')" for c in PG_TEXT_COLUMNS),
    ]
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in PG_DOC_COLUMNS if c != "record_id")
    return (
        f"INSERT INTO {DOCS} ({', '.join(PG_DOC_COLUMNS)}) SELECT {', '.join(values)} "
        f"FROM {table} WHERE {where} ON CONFLICT (record_id) DO UPDATE SET {updates}"
    )


def _pg_function(name: str, body: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
        f"SET search_path FROM CURRENT AS $body$ BEGIN {body} RETURN NULL; END $body$"
    )


def _pg_triggers() -> list[str]:
    statements = []
    for table, spec in _SOURCES.items():
        name = f"search_{table}_sync"
        body = (
            f"IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.id <> NEW.id) THEN "
            f"DELETE FROM {DOCS} WHERE record_id = OLD.id; END IF; "
            f"IF TG_OP <> 'DELETE' THEN {_pg_upsert(table, f'{table}.id = NEW.id')}; END IF;"
        )
        statements += [
            _pg_function(name, body),
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE TRIGGER {name} AFTER INSERT OR DELETE OR UPDATE OF {spec['watched']}, id "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()",
        ]
    # a transcript's new date or committee: its turns follow
    name = "search_transcripts_sync_turns"
    statements += [
        _pg_function(name, _pg_upsert("segments", "segments.transcript_id = NEW.id") + ";"),
        f"DROP TRIGGER IF EXISTS {name} ON transcripts",
        f"CREATE TRIGGER {name} AFTER UPDATE OF meeting_date, committee, title ON transcripts "
        f"FOR EACH ROW EXECUTE FUNCTION {name}()",
    ]
    # a recommendation's new ref is the label of its responses too
    name = "search_recommendations_sync_responses"
    statements += [
        _pg_function(name, _pg_upsert("responses", "responses.recommendation_id = NEW.id") + ";"),
        f"DROP TRIGGER IF EXISTS {name} ON recommendations",
        f"CREATE TRIGGER {name} AFTER UPDATE OF ref ON recommendations "
        f"FOR EACH ROW EXECUTE FUNCTION {name}()",
    ]
    # a letter's new sender or recipient: the names of its recommendations and responses
    name = "search_documents_sync_names"
    statements += [
        _pg_function(
            name,
            _pg_upsert("recommendations", "recommendations.document_id = NEW.id")
            + "; "
            + _pg_upsert("responses", "responses.document_id = NEW.id")
            + ";",
        ),
        f"DROP TRIGGER IF EXISTS {name} ON documents",
        f"CREATE TRIGGER {name} AFTER UPDATE OF sender, recipient ON documents "
        f"FOR EACH ROW EXECUTE FUNCTION {name}()",
    ]
    return statements


def _pg_trigger_tables() -> dict[str, str]:
    tables = {f"search_{table}_sync": table for table in _SOURCES}
    tables["search_transcripts_sync_turns"] = "transcripts"
    tables["search_recommendations_sync_responses"] = "recommendations"
    tables["search_documents_sync_names"] = "documents"
    return tables


def _pg_words_sql(column: str) -> str:
    return f"to_tsvector('{PG_CONFIG}'::regconfig, search_words({column}))"


def _pg_tables() -> list[str]:
    # the ASCII punctuation, as SQL string literals, for translate()
    punctuation = _pg_literal(PG_PUNCTUATION)
    spaces = _pg_literal(" " * len(PG_PUNCTUATION))
    mask = _pg_literal(PG_MASK)
    # the searched columns, each with its weight (body first: positions follow the text)
    classes = _pg_weight_classes()
    tsv = " || ".join(
        f"setweight({_pg_words_sql(c)}, '{classes[c]}')"
        for c in sorted(classes, key=lambda c: c != "body")
    )
    return [
        "CREATE OR REPLACE FUNCTION search_words(text) RETURNS text LANGUAGE sql IMMUTABLE "
        f"PARALLEL SAFE RETURN translate($1, {punctuation}, {spaces})",
        "CREATE OR REPLACE FUNCTION search_mask(text) RETURNS text LANGUAGE sql IMMUTABLE "
        f"PARALLEL SAFE RETURN translate($1, {punctuation}, {mask})",
        "CREATE OR REPLACE FUNCTION search_unmask(text) RETURNS text LANGUAGE sql IMMUTABLE "
        f"PARALLEL SAFE RETURN translate($1, {mask}, {punctuation})",
        f"""CREATE TABLE IF NOT EXISTS {DOCS} (
            doc_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            kind TEXT NOT NULL,
            record_id UUID NOT NULL UNIQUE,
            transcript_id UUID,
            date DATE,
            committee TEXT NOT NULL DEFAULT '',
            speaker_name TEXT NOT NULL DEFAULT '',
            speaker_role TEXT NOT NULL DEFAULT '',
            {" ".join(f"{c} TEXT NOT NULL DEFAULT ''," for c in PG_TEXT_COLUMNS)}
            tsv TSVECTOR GENERATED ALWAYS AS ({tsv}) STORED
        )""",
        f"CREATE INDEX IF NOT EXISTS ix_{DOCS}_tsv ON {DOCS} USING gin (tsv)",
        f"CREATE INDEX IF NOT EXISTS ix_{DOCS}_date ON {DOCS} (date)",
        f"CREATE INDEX IF NOT EXISTS ix_{DOCS}_transcript_id ON {DOCS} (transcript_id)",
    ]


def _pg_rebuild() -> list[str]:
    return [f"TRUNCATE {DOCS}"] + [_pg_upsert(table, "TRUE") for table in _SOURCES]


def _pg_tsquery_text(parsed: ParsedQuery) -> str:
    """The tsquery for parsed text: phrases ``'a' <-> 'b'`` ANDed, the last word ``:*`` if typed-so-far."""
    parts = []
    for i, words in enumerate(parsed.phrases):
        terms = [f"'{w}'" for w in words]
        if parsed.prefix_last and i == len(parsed.phrases) - 1:
            terms[-1] += ":*"
        parts.append(terms[0] if len(terms) == 1 else "(" + " <-> ".join(terms) + ")")
    return " & ".join(parts)


def _only(parsed: ParsedQuery, keep: list[int]) -> ParsedQuery:
    """The parsed query with only the phrases at ``keep`` (the last stays typed-so-far if kept)."""
    last = len(parsed.phrases) - 1
    return ParsedQuery(
        tuple(parsed.phrases[i] for i in keep),
        parsed.prefix_last and bool(keep) and keep[-1] == last,
        tuple(parsed.quoted[i] for i in keep),
    )


def pg_tsquery(text: str, *, prefix: bool = True) -> str | None:
    """The tsquery text (for ``to_tsquery('pcc_search', ...)``) for the clerk's text, or None."""
    parsed = parse_query(text, prefix=prefix)
    return None if parsed.empty else _pg_tsquery_text(parsed)


def pg_speaker_tsquery(speaker: str) -> str | None:
    """Every word of the name or role typed, the last one possibly unfinished ("Rowl")."""
    words = _words(speaker or "")[:MAX_CHUNKS]
    if not words:
        return None
    terms = [f"'{w}'" for w in words]
    if len(words[-1]) >= MIN_PREFIX:
        terms[-1] += ":*"
    return " & ".join(terms)


class PostgresBackend:
    """The PostgreSQL implementation of :class:`SearchBackend` (a team register)."""

    name = "postgresql-tsvector"

    def install_statements(self) -> list[str]:
        return _pg_tables() + _pg_triggers()

    def trigger_statements(self) -> list[str]:
        return _pg_triggers()

    def drop_trigger_statements(self) -> list[str]:
        return [
            f"DROP TRIGGER IF EXISTS {name} ON {table}"
            for name, table in _pg_trigger_tables().items()
        ]

    def rebuild_statements(self) -> list[str]:
        return _pg_rebuild()

    def uninstall_statements(self) -> list[str]:
        return [
            *self.drop_trigger_statements(),
            *(f"DROP FUNCTION IF EXISTS {name}()" for name in _pg_trigger_tables()),
            f"DROP TABLE IF EXISTS {DOCS}",
            *(f"DROP FUNCTION IF EXISTS {name}(text)" for name in PG_FUNCTIONS),
            f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {PG_CONFIG}",
        ]

    def search(self, connection: DbConnection, request: SearchRequest) -> SearchOutcome:
        """``connection``: the psycopg connection of the session.

        As on SQLite: every word must match; only when that finds nothing are the unquoted words
        that no record holds left out, and ``notes`` says which."""
        parsed = parse_query(request.text, prefix=request.prefix)
        outcome = self._search(connection, request, parsed)
        if outcome.hits or outcome.matches_seen or len(parsed.phrases) < 2:
            return outcome
        absent = [
            i
            for i, words in enumerate(parsed.phrases)
            if not parsed.quoted[i]
            and connection.execute(
                f"SELECT 1 FROM {DOCS} WHERE tsv @@ to_tsquery('{PG_CONFIG}', %(q)s) LIMIT 1",
                {"q": _pg_tsquery_text(_only(parsed, [i]))},
            ).fetchone()
            is None
        ]
        kept = [i for i in range(len(parsed.phrases)) if i not in absent]
        if not absent or not kept:
            return outcome
        relaxed = self._search(connection, request, _only(parsed, kept))
        return SearchOutcome(
            hits=relaxed.hits,
            bounded=relaxed.bounded,
            matches_seen=relaxed.matches_seen,
            notes=[left_out_note(parsed, absent)],
        )

    def _search(
        self, connection: DbConnection, request: SearchRequest, parsed: ParsedQuery
    ) -> SearchOutcome:
        limit = max(1, min(int(request.limit or 20), 500))
        if parsed.empty:
            return SearchOutcome(hits=[])
        query = _pg_tsquery_text(parsed)
        kinds = [k for k in request.kinds if k in KINDS]
        if request.kinds and not kinds:
            return SearchOutcome(hits=[])
        where = ["d.tsv @@ q.q"]
        params: dict[str, object] = {"q": query, "window": RANK_WINDOW, "limit": limit}
        if kinds:
            where.append("d.kind = ANY(%(kinds)s)")
            params["kinds"] = kinds
        if request.date_from:
            where.append("d.date >= %(date_from)s")
            params["date_from"] = request.date_from
        if request.date_to:
            where.append("d.date <= %(date_to)s")
            params["date_to"] = request.date_to
        if request.transcript_id:
            where.append("d.transcript_id = %(transcript_id)s::uuid")
            params["transcript_id"] = str(request.transcript_id)
        speaker = pg_speaker_tsquery(request.speaker or "")
        if speaker:
            where.append(f"{_pg_words_sql('d.speaker')} @@ to_tsquery('{PG_CONFIG}', %(speaker)s)")
            params["speaker"] = speaker
        committee = _words(request.committee or "")[:MAX_CHUNKS]
        if committee:  # the committee's name holds these words, in order
            where.append(
                f"{_pg_words_sql('d.committee')} @@ to_tsquery('{PG_CONFIG}', %(committee)s)"
            )
            params["committee"] = " <-> ".join(f"'{w}'" for w in committee)
        headline_options = _pg_literal(
            f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={SNIPPET_TOKENS}, "
            f"MinWords={SNIPPET_TOKENS // 2}, ShortWord=0, HighlightAll=false"
        )
        # 1. the RANK_WINDOW most recent matches (and one more, to know the window overflowed);
        # 2. ranked, the best `limit` of them; 3. snippets for those only
        sql = f"""
            WITH q AS MATERIALIZED (SELECT to_tsquery('{PG_CONFIG}', %(q)s) AS q),
            recent AS (
                SELECT d.doc_id FROM {DOCS} d, q WHERE {" AND ".join(where)}
                ORDER BY d.date DESC NULLS LAST, d.doc_id DESC LIMIT %(window)s + 1
            ),
            numbered AS (SELECT doc_id, row_number() OVER () AS n FROM recent),
            ranked AS (
                SELECT d.doc_id, d.kind, d.record_id, d.date, d.speaker_name, d.transcript_id,
                       d.body, ts_rank('{_pg_rank_weights()}', d.tsv, q.q, 1) AS score
                FROM {DOCS} d JOIN numbered USING (doc_id), q
                WHERE numbered.n <= %(window)s
                ORDER BY score DESC, d.date DESC NULLS LAST, d.doc_id DESC LIMIT %(limit)s
            )
            SELECT r.kind, r.record_id, r.date, r.speaker_name, r.transcript_id, r.body,
                   search_unmask(ts_headline('{PG_CONFIG}', search_mask(r.body), q.q,
                                             {headline_options})),
                   r.score, (SELECT count(*) FROM recent)
            FROM ranked r, q ORDER BY r.score DESC, r.date DESC NULLS LAST, r.doc_id DESC
        """
        rows = connection.execute(sql, params).fetchall()
        if not rows:
            return SearchOutcome(hits=[], matches_seen=0)
        seen = rows[0][-1]
        hits = [
            RawHit(
                kind=kind,
                record_id=_hex(record_id),
                date=date
                if isinstance(date, dt.date) or date is None
                else dt.date.fromisoformat(date),
                speaker=speaker_name or "",
                snippet=_with_ellipses(headline or "", body or ""),
                score=round(float(score), 4),
                transcript_id=_hex(transcript_id) if transcript_id else None,
            )
            for kind, record_id, date, speaker_name, transcript_id, body, headline, score, _ in rows
        ]
        return SearchOutcome(
            hits=hits, bounded=seen > RANK_WINDOW, matches_seen=min(seen, RANK_WINDOW)
        )

    def bare_search(self, connection: DbConnection, query: str, limit: int = 20) -> list[Row]:
        """The plain query the benchmark compares against: ``tsv @@ q``, ts_rank, ts_headline, LIMIT."""
        rows: list[Row] = connection.execute(
            f"SELECT doc_id, ts_headline('{PG_CONFIG}', body, q) FROM ("
            f"SELECT doc_id, body, q, ts_rank(tsv, q) AS rank FROM {DOCS}, "
            f"to_tsquery('{PG_CONFIG}', %(q)s) q WHERE tsv @@ q ORDER BY rank DESC LIMIT %(n)s) s",
            {"q": query, "n": limit},
        ).fetchall()
        return rows

    def verify(self, connection: DbConnection) -> list[str]:
        problems = []
        for table, spec in _SOURCES.items():
            missing = connection.execute(
                f"SELECT count(*) FROM {table} WHERE NOT EXISTS "
                f"(SELECT 1 FROM {DOCS} d WHERE d.record_id = {table}.id)"
            ).fetchone()[0]
            if missing:
                problems.append(
                    f"{missing} {spec['kind']} record(s) are missing from the search index"
                )
        orphans = connection.execute(
            f"SELECT count(*) FROM {DOCS} d WHERE "
            + " AND ".join(
                f"NOT EXISTS (SELECT 1 FROM {table} WHERE {table}.id = d.record_id)"
                for table in _SOURCES
            )
        ).fetchone()[0]
        if orphans:
            problems.append(f"the search index is out of step ({orphans} entries)")
        present = {
            name
            for (name,) in connection.execute(
                "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND NOT t.tgisinternal"
            ).fetchall()
        }
        absent = sorted(set(PG_TRIGGER_NAMES) - present)
        if absent:
            problems.append(
                f"{len(absent)} search trigger(s) are missing, so new records would not be found"
            )
        gin = connection.execute(
            "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = %(t)s AND indexdef ILIKE '%%USING gin%%(tsv)%%'",
            {"t": DOCS},
        ).fetchone()[0]
        if not gin:
            problems.append("the full-text index (GIN) of the search is missing")
        return problems


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


def pg_install_config(connection: DbConnection) -> bool:
    """The ``pcc_search`` configuration: ``simple``, with ``unaccent`` in front when the server has
    it (created in a savepoint: a login that may not create it leaves the rest of the migration
    alone). Returns whether accents are ignored."""
    exists = _fetch(connection, f"SELECT 1 FROM pg_ts_config WHERE cfgname = '{PG_CONFIG}'")
    schema = _pg_unaccent_schema(connection)
    if schema is None and _fetch(
        connection, "SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'"
    ):
        try:
            with _savepoint(connection):
                _execute(connection, "CREATE EXTENSION IF NOT EXISTS unaccent")
        except Exception:  # no privilege to create it: accents then count
            pass
        schema = _pg_unaccent_schema(connection)
    if not exists:
        _execute(connection, f"CREATE TEXT SEARCH CONFIGURATION {PG_CONFIG} (COPY = simple)")
    if schema is not None:
        _execute(
            connection,
            f"ALTER TEXT SEARCH CONFIGURATION {PG_CONFIG} ALTER MAPPING FOR "
            "asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, "
            f'hword_numpart WITH "{schema}".unaccent, simple',
        )
    return schema is not None


def _pg_unaccent_schema(connection: DbConnection) -> str | None:
    rows = _fetch(
        connection,
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'unaccent'",
    )
    return rows[0][0] if rows else None


@contextlib.contextmanager
def _savepoint(connection: DbConnection) -> Iterator[None]:
    if hasattr(connection, "begin_nested"):
        with connection.begin_nested():
            yield
    else:  # a psycopg connection
        with connection.transaction():
            yield


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


def dialect_of(connection: DbConnection) -> str:
    """``sqlite`` or ``postgresql``, for a SQLAlchemy connection or a driver (DB-API) connection."""
    dialect = getattr(connection, "dialect", None)
    if dialect is not None:
        return str(dialect.name)
    if isinstance(connection, sqlite3.Connection | sqlite3.Cursor):
        return "sqlite"
    return "postgresql" if type(connection).__module__.startswith("psycopg") else "sqlite"


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
