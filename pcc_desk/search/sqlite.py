"""The SQLite FTS5 index: its tables, the triggers that keep it in step, the rebuild, and
:class:`SqliteFts5Backend` (see the package's docstring for the design)."""

from __future__ import annotations

import datetime as dt
import re

from pcc_desk.search.common import (
    ELLIPSIS,
    KINDS,
    MARK_END,
    MARK_START,
    MAX_CHUNKS,
    RANK_WINDOW,
    SNIPPET_TOKENS,
    DbConnection,
    RawHit,
    Row,
    SearchOutcome,
    SearchRequest,
    _fetch,
)
from pcc_desk.search.query import (
    SEARCHED,
    _phrase_terms,
    _quote,
    _words,
    build_match,
    left_out_note,
    parse_query,
    speaker_match,
)
from pcc_desk.search.sqlite_labels import LABEL_COLUMNS, LABEL_JOINS, label

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

# FTS5 keeps the index as segments and merges those of one size into a bigger one when ``automerge``
# of them have piled up (FTS5's default is 4). At 8 an import pays for about a fifth less merging
# over a register's life (each word is rewritten on fewer levels); a search reads a few more segments,
# which measured as fast (README, "Transcripts", issue 16). Kept in the index's own config table: set
# when the index is made (:data:`SETTINGS`, in every install) and on older registers by migration 0012.
AUTOMERGE = 8
SETTINGS = [f"INSERT INTO {INDEX}({INDEX}, rank) VALUES ('automerge', {AUTOMERGE})"]

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


# the ranking: bm25 with each column weighed, as FTS5's rank (``rank MATCH``) so that FTS5 sorts by it
RANKING = f"bm25({', '.join(str(WEIGHTS[c]) for c in COLUMNS)})"

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
    statements.append(
        "CREATE TRIGGER IF NOT EXISTS search_transcripts_au AFTER UPDATE OF meeting_date, committee, title ON transcripts BEGIN "
        f"DELETE FROM {INDEX} WHERE rowid IN (SELECT doc_id FROM {DOCS} WHERE transcript_id = NEW.id AND kind = 'transcript'); "
        f"DELETE FROM {DOCS} WHERE transcript_id = NEW.id AND kind = 'transcript'; "
        + "; ".join(turns_sql("NEW.id", "NEW.meeting_date", order))
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


def turns_sql(transcript: str, day: str, order: str = SEGMENT_ORDER) -> list[str]:
    """Index every turn of a transcript at once (SQL for its id, and for its meeting's date): a key
    each under the meeting's day, in meeting order, then their text."""
    seg = _SOURCES["segments"]
    return [
        f"INSERT INTO {DOCS} ({_DOC_COLUMNS}) "
        f"SELECT {_next_key(day_base(day))} - 1 + row_number() OVER (ORDER BY segments.{order}), "
        f"'transcript', segments.id, {_doc_values(seg, 'segments')} "
        f"FROM segments WHERE segments.transcript_id = {transcript}",
        _index_rows_sql("segments", seg, f" WHERE segments.transcript_id = {transcript}"),
    ]


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
        return _TABLES + SETTINGS + _triggers(segment_order)

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
            labelled=relaxed.labelled,
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
        # 1. how many matches there are, up to RANK_WINDOW + 1, and the oldest of those: one row
        #    back, counted inside SQLite (no ranking work, no keys handed to Python)
        window_sql = (
            f"SELECT count(*), min(rowid) FROM (SELECT {INDEX}.rowid AS rowid FROM {INDEX}{join} "
            f"WHERE {INDEX} MATCH :match{extra} ORDER BY {INDEX}.rowid DESC LIMIT {RANK_WINDOW + 1})"
        )
        seen, oldest = connection.execute(window_sql, params).fetchone()
        if not seen:
            return SearchOutcome(hits=[], matches_seen=0)
        bounded = seen > RANK_WINDOW
        # the RANK_WINDOW newest matches are those newer than the one after them; with fewer
        # matches than that, all of them (no bound to check)
        window = f" AND {INDEX}.rowid > :oldest" if bounded else ""
        params["oldest"] = oldest
        params["limit"] = limit
        # 2. bm25 ranking within that window, each column weighed (WEIGHTS), as FTS5's own rank: it
        #    sorts inside FTS5 and makes snippets for the top hits only; then each top hit's key
        #    and label (sqlite_labels) joined to it, in the same statement
        sql = (
            f"SELECT d.kind, d.record_id, d.date, d.speaker_name, d.transcript_id, h.snippet, h.score, "
            f"{LABEL_COLUMNS} FROM (SELECT {INDEX}.rowid AS doc_id, {_snippet_expr()} AS snippet, "
            f"rank AS score FROM {INDEX}{join} WHERE {INDEX} MATCH :match AND rank MATCH '{RANKING}'"
            f"{window}{extra} ORDER BY rank LIMIT :limit) h "
            f"JOIN {DOCS} d ON d.doc_id = h.doc_id{LABEL_JOINS} ORDER BY h.score"
        )
        hits = []
        for (
            kind,
            record_id,
            date,
            speaker,
            transcript_id,
            snippet,
            score,
            *labels,
        ) in connection.execute(sql, params):
            hits.append(
                RawHit(
                    kind=kind,
                    record_id=record_id,
                    date=dt.date.fromisoformat(date) if date else None,
                    speaker=speaker or "",
                    snippet=" ".join((snippet or "").split()),
                    score=round(-float(score), 4),
                    transcript_id=transcript_id,
                    label=label(kind, labels),
                )
            )
        return SearchOutcome(
            hits=hits, bounded=bounded, matches_seen=min(seen, RANK_WINDOW), labelled=True
        )

    def bare_search(self, connection: DbConnection, match: str, limit: int = 20) -> list[Row]:
        """The plain FTS5 query the benchmark compares against: MATCH, rank, snippet, LIMIT."""
        rows: list[Row] = connection.execute(
            f"SELECT rowid, {_snippet_expr()} FROM {INDEX} WHERE {INDEX} MATCH ? ORDER BY rank LIMIT ?",
            (match, limit),
        ).fetchall()
        return rows
