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
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from pcc_desk.errors import PccError

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
    def install_statements(self, segment_order: str = ...) -> list[str]: ...

    def trigger_statements(self, segment_order: str = ...) -> list[str]: ...

    def rebuild_statements(self, segment_order: str = ...) -> list[str]: ...

    def search(self, connection, request: SearchRequest) -> SearchOutcome: ...


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


def _doc_values(spec: dict, r: str, *, aliased: bool = False) -> str:
    cols = ["transcript_id", "date", "committee", "speaker_name", "speaker_role"]
    return ", ".join(spec[c].format(r=r) + (f" AS {c}" if aliased else "") for c in cols)


def _index_values(spec: dict, r: str) -> str:
    return ", ".join(spec[c].format(r=r) for c in COLUMNS)


_INDEX_COLUMNS = "rowid, " + ", ".join(COLUMNS)


_DOC_COLUMNS = "doc_id, kind, record_id, transcript_id, date, committee, speaker_name, speaker_role"


def _insert_sql(spec: dict, r: str) -> list[str]:
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


def _index_rows_sql(table: str, spec: dict, where: str = "") -> str:
    r = table
    return (
        f"INSERT INTO {INDEX} ({_INDEX_COLUMNS}) "
        f"SELECT d.doc_id, {_index_values(spec, r)} "
        f"FROM {table} JOIN {DOCS} d ON d.record_id = {r}.id{where}"
    )


# The column that numbers a transcript's turns: ``ordinal`` since schema 0005, ``position`` before it.
# The migrations up to 0004 run this module on a register of their own revision, so the functions that
# are handed a connection read which one the register has (:func:`_segment_order`).
SEGMENT_ORDER = "ordinal"


def _segment_order(connection) -> str:
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

    def _filters(self, request: SearchRequest) -> tuple[list[str], dict]:
        """SQL conditions beside the MATCH (kind, speaker and committee words are in the MATCH itself)."""
        where: list[str] = []
        params: dict = {}
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

    def search(self, connection, request: SearchRequest) -> SearchOutcome:
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
        left_out = ", ".join(f"“{' '.join(parsed.phrases[i])}”" for i in absent)
        note = f"No record holds {left_out}, so the search is for the other words."
        return SearchOutcome(
            hits=relaxed.hits,
            bounded=relaxed.bounded,
            matches_seen=relaxed.matches_seen,
            notes=[note],
        )

    def _search(self, connection, request: SearchRequest, match: str | None) -> SearchOutcome:
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

    def bare_search(self, connection, match: str, limit: int = 20) -> list[tuple]:
        """The plain FTS5 query the benchmark compares against: MATCH, rank, snippet, LIMIT."""
        return connection.execute(
            f"SELECT rowid, {_snippet_expr()} FROM {INDEX} WHERE {INDEX} MATCH ? ORDER BY rank LIMIT ?",
            (match, limit),
        ).fetchall()


_BACKENDS = {"sqlite": SqliteFts5Backend()}


def backend_for(dialect: str = "sqlite") -> SqliteFts5Backend:
    try:
        return _BACKENDS[dialect]
    except KeyError:
        raise SearchUnavailable(f"Search is not available on a {dialect} database yet.") from None


def install(connection) -> None:
    """Create the index, its triggers, and fill it from the existing rows (a migration's job).

    ``connection``: a SQLAlchemy connection (``op.get_bind()``) or a sqlite3 connection.
    """
    backend = backend_for("sqlite")
    order = _segment_order(connection)
    for statement in backend.install_statements(order) + backend.rebuild_statements(order):
        _execute(connection, statement)


def install_triggers(connection) -> None:
    """(Re-)create the sync triggers."""
    for statement in backend_for("sqlite").trigger_statements(_segment_order(connection)):
        _execute(connection, statement)


def drop_triggers(connection) -> None:
    for statement in backend_for("sqlite").drop_trigger_statements():
        _execute(connection, statement)


@contextlib.contextmanager
def triggers_suspended(connection):
    """Wrap every batch migration of segments, transcripts, recommendations, responses, footnotes or
    documents:

        with search.triggers_suspended(op.get_bind()):
            with op.batch_alter_table("segments") as batch: ...

    A batch migration rebuilds the table, which silently drops its own triggers, and SQLite refuses
    to rename the rebuilt table while a trigger on another table refers to it. The rows keep their
    UUIDs, so the index stays right; a migration that changes indexed text should call
    :func:`rebuild` inside the block as well.
    """
    drop_triggers(connection)
    yield
    install_triggers(connection)


def reinstall(connection) -> None:
    """Replace the index with this version's: drop every search trigger (whichever version made it) and
    both tables, then install and fill them from the records. A migration that changes the index's
    columns runs this; it is right whatever state an earlier migration left the index in.
    """
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


def rebuild(connection) -> None:
    for statement in backend_for("sqlite").rebuild_statements(_segment_order(connection)):
        _execute(connection, statement)


def verify(connection) -> list[str]:
    """What is wrong with the index, in words (empty when it is sound and complete).

    ``connection``: a sqlite3 connection (the FTS5 integrity check is written as an INSERT)."""
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


def uninstall(connection) -> None:
    for statement in backend_for("sqlite").uninstall_statements():
        _execute(connection, statement)


def _execute(connection, statement: str) -> None:
    if hasattr(connection, "exec_driver_sql"):
        connection.exec_driver_sql(statement)
    else:
        connection.execute(statement)


def _fetch(connection, statement: str) -> list[tuple]:
    if hasattr(connection, "exec_driver_sql"):
        return [tuple(row) for row in connection.exec_driver_sql(statement)]
    return connection.execute(statement).fetchall()
