"""The PostgreSQL index of a team register: tsvector, GIN, PL/pgSQL triggers and
:class:`PostgresBackend`."""

from __future__ import annotations

import datetime as dt

from pcc_desk.search.common import (
    KINDS,
    MARK_END,
    MARK_START,
    MAX_CHUNKS,
    MIN_PREFIX,
    RANK_WINDOW,
    SNIPPET_TOKENS,
    DbConnection,
    RawHit,
    Row,
    SearchOutcome,
    SearchRequest,
    _execute,
    _fetch,
    _hex,
    _savepoint,
    _with_ellipses,
)
from pcc_desk.search.query import ParsedQuery, _words, left_out_note, parse_query
from pcc_desk.search.sqlite import _SOURCES, COLUMNS, DOCS, WEIGHTS

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
