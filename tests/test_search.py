"""One search over transcripts, recommendations, responses and footnotes: safe for any input, ranked,
filtered, kept in step by the database, surviving VACUUM and migrations."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from support.transcript_samples import UK_TEXT, write_la_txt

from pcc_desk import search as fts
from pcc_desk import storage
from pcc_desk.errors import InvalidInput
from pcc_desk.model import Document, DocumentKind, Footnote, Segment, Transcript
from pcc_desk.services import Desk, register, transcripts
from pcc_desk.services import search as search_service
from pcc_desk.services.search import search

# the same search on a laptop's file (FTS5) and on a team register (PostgreSQL's tsvector)
pytestmark = pytest.mark.backends("sqlite", "postgresql")

FIXTURE_DIR = Path(__file__).parent / "fixtures" / "db"
OCT_12 = dt.date(2022, 10, 12)
HOSTILE = [
    '"',
    "*",
    "Met's",
    "O'Brien",
    "-word",
    "a-b",
    "PCC-2024-017",
    "re:",
    "AND",
    "OR NOT",
    "NEAR(",
    "((",
    "😀",
    "",
    "   ",
    '"unbalanced phrase',
    'he said "',
    "body:police",
    "{body}",
    "^start",
    "a+b",
    "NOT police",
    "police AND",
    "x" * 5000,
    "police " * 300,
    '"' + "police " * 2000 + '"',
    "a\u0301\u200b\ufeff",
    "'",
    "\\",
    "%_",
    "Café",
    "\x00",
    "NEAR(a b, 2)",
    ")",
]


@pytest.fixture
def library(desk, tmp_path):
    """The October 2022 Q&A, a Home Affairs evidence session, two recommendations and a response."""
    la = transcripts.import_transcript(desk, write_la_txt(tmp_path)).transcript
    uk_path = tmp_path / "hac.txt"
    uk_path.write_text(UK_TEXT, encoding="utf-8")
    uk = transcripts.import_transcript(desk, uk_path).transcript
    first = register.add_recommendation(
        desk,
        "Publish the turnaround plan with timescales",
        made=dt.date(2023, 3, 17),
        context="The Commissioner promised a new era of neighbourhood policing.",
    ).ref
    second = register.add_recommendation(
        desk, "Report stop and search data every month", made=dt.date(2023, 3, 17)
    ).ref
    from pcc_desk.model import Assessment, Position

    register.log_response(
        desk,
        first,
        received=dt.date(2023, 5, 2),
        position=Position.ACCEPTED,
        assessment=Assessment.PARTLY_ADDRESSED,
        text="The Met accepts and will publish vetting figures.",
    )
    return {"la": la, "uk": uk, "first": first, "second": second}


@pytest.mark.parametrize("text", HOSTILE)
def test_any_input_gives_results_or_an_empty_list_never_an_error(desk, library, text):
    hits = search(desk, text)
    assert isinstance(hits, list)
    hits = search(desk, text, speaker=text, committee=text, kinds=["transcript"])
    assert isinstance(hits, list)


def test_hostile_inputs_that_hold_words_still_find_them(desk, library):
    assert {h.speaker for h in search(desk, "Met's")} >= {"Sir Mark Rowley"}
    assert [h.kind for h in search(desk, "O'Brien")] == ["transcript"]
    assert search(desk, "PCC-2024-017")[0].snippet.count("**") >= 2
    assert search(desk, "") == [] and search(desk, '"') == [] and search(desk, "😀") == []


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=80))
def test_every_built_query_is_valid_fts5(text):
    conn = sqlite3.connect(":memory:")
    for statement in fts._TABLES:
        conn.execute(statement)
    conn.execute(
        f"INSERT INTO {fts.INDEX} (rowid, body, title, speaker, facets) VALUES (1, 'the met''s plan', 'PCC-1', 'x', 'kindtranscript')"
    )
    match = fts.build_match(text)
    if match is not None:
        conn.execute(
            f"SELECT rowid FROM {fts.INDEX} WHERE {fts.INDEX} MATCH ?", (match,)
        ).fetchall()
    speaker = fts.speaker_match(text)
    if speaker is not None:
        conn.execute(
            f"SELECT rowid FROM {fts.INDEX} WHERE {fts.INDEX} MATCH ?", (speaker,)
        ).fetchall()


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=80))
def test_every_built_tsquery_is_valid_on_postgresql(pg_database, text):
    """Whatever the clerk types, the tsquery built from it is valid (PostgreSQL raises on a bad one)."""
    with pg_database.transaction(force_rollback=True):
        for query in (fts.pg_tsquery(text), fts.pg_speaker_tsquery(text)):
            if query is not None:
                pg_database.execute(
                    "SELECT to_tsvector('pcc_search', search_words('the met''s plan')) "
                    "@@ to_tsquery('pcc_search', %s)",
                    (query,),
                ).fetchall()


def test_tsquery_building_keeps_phrases_and_prefixes_the_last():
    assert fts.pg_tsquery("Met's neighb") == "('Met' <-> 's') & 'neighb':*"
    assert fts.pg_tsquery('"new era" promised') == "('new' <-> 'era') & 'promised':*"
    assert fts.pg_tsquery("plan ") == "'plan'"
    assert fts.pg_tsquery("OR NOT") == "'OR' & 'NOT':*"  # words, not operators
    assert fts.pg_tsquery("PCC-2024-017 ") == "('PCC' <-> '2024' <-> '017')"
    assert fts.pg_tsquery("*") is None and fts.pg_tsquery("!:&|<->") is None


def test_query_building_quotes_each_chunk_as_a_phrase_and_prefixes_the_last():
    C = fts.SEARCHED  # the text, labels and names columns
    assert fts.build_match("Met's neighb") == C + ' : "Met s" AND ' + C + ' : "neighb" *'
    assert fts.build_match("Met's") == C + ' : "Met s"'  # no one-letter prefix
    assert fts.build_match('"new era" promised') == C + ' : "new era" AND ' + C + ' : "promised" *'
    assert fts.build_match('promised "new era"') == C + ' : "promised" AND ' + C + ' : "new era"'
    assert fts.build_match("plan ") == C + ' : "plan"'  # a finished word is not a prefix
    assert fts.build_match("OR NOT") == C + ' : "OR" AND ' + C + ' : "NOT" *'
    assert fts.build_match("*") is None


def test_phrase_search_needs_the_words_together_in_order(desk, library):
    assert search(desk, '"neighbourhood policing"', kinds="transcript")
    assert search(desk, '"policing neighbourhood"') == []
    assert search(desk, "policing neighbourhood", kinds="transcript")


def test_prefix_search_as_you_type(desk, library):
    assert {h.speaker for h in search(desk, "turnar", kinds="transcript")} == {
        "Sir Mark Rowley",
        "Dame Diana Johnson",
    }
    assert search(desk, "turnar", prefix=False) == []


def test_hits_carry_kind_title_date_speaker_snippet_and_score(desk, library):
    hits = search(desk, "privilege")
    assert len(hits) == 1
    hit = hits[0]
    assert hit.kind == "transcript" and hit.date == OCT_12 and hit.speaker == "Sir Mark Rowley"
    assert hit.title.startswith(
        "Police and Crime Committee, 12 October 2022 – Transcript of Agenda Item 5"
    )
    assert "**privilege**" in hit.snippet
    assert hit.transcript_id == library["la"].id and hit.ordinal == 2 and hit.score > 0


def test_better_matches_rank_first(desk, library):
    hits = search(desk, "publish", kinds="transcript")
    assert len(hits) >= 3
    assert hits == sorted(hits, key=lambda h: -h.score)
    assert search(desk, "turnaround plan")[0].kind in ("recommendation", "transcript")


def test_filter_by_speaker_whatever_way_they_were_written(desk, library):
    hits = search(desk, "publish", speaker="Mark Rowley")  # publish, published, in both transcripts
    assert len(hits) == 4 and {h.speaker for h in hits} == {"Sir Mark Rowley"}
    # "The Commissioner:" turns count as his: filtering by role finds them too
    assert {h.speaker for h in search(desk, "stop search", speaker="Commissioner")} == {
        "Sir Mark Rowley"
    }
    assert search(desk, "publish", speaker="Caroline Russell") == []


def test_filter_by_date_range_committee_and_kind(desk, library):
    assert {
        h.date for h in search(desk, "plan", date_from=dt.date(2023, 1, 1), kinds="transcript")
    } == {dt.date(2023, 4, 19)}
    assert {
        h.date for h in search(desk, "plan", date_to=dt.date(2022, 12, 31), kinds="transcript")
    } == {OCT_12}
    assert {h.kind for h in search(desk, "vetting")} == {"transcript", "response"}
    assert [h.kind for h in search(desk, "vetting", kinds=["response"])] == ["response"]
    assert {h.date for h in search(desk, "vetting", committee="home affairs committee")} == {
        dt.date(2023, 4, 19)
    }
    assert {h.date for h in search(desk, "vetting", committee="Home Affairs")} == {
        dt.date(2023, 4, 19)
    }
    assert {
        h.date for h in search(desk, "plan", committee="police and crime", kinds="transcript")
    } == {OCT_12}
    assert search(desk, "vetting", committee="Transport Committee") == []
    with pytest.raises(InvalidInput, match="kind"):
        search(desk, "vetting", kinds="letters")
    with pytest.raises(InvalidInput):
        search(desk, "x", date_from=dt.date(2024, 1, 1), date_to=dt.date(2023, 1, 1))


def test_recommendations_are_found_by_words_context_and_reference(desk, library):
    hits = search(desk, "timescales")
    assert [(h.kind, h.ref) for h in hits] == [("recommendation", library["first"])]
    assert search(desk, "new era", kinds="recommendation")[0].ref == library["first"]
    by_ref = search(desk, library["first"])
    assert {(h.kind, h.ref) for h in by_ref} == {
        ("recommendation", library["first"]),
        ("response", library["first"]),
    }


def test_index_follows_edits_and_deletions_in_the_same_transaction(desk, library):
    register.edit_recommendation(
        desk, library["second"], text="Report custody deaths every quarter"
    )
    assert search(desk, "custody")[0].ref == library["second"]
    assert search(desk, "stop search every month", kinds="recommendation") == []
    with desk.transaction() as s:
        t = s.get(Transcript, library["uk"].id)
        t.meeting_date = dt.date(2023, 4, 20)
    assert {h.date for h in search(desk, "vetting", kinds="transcript")} == {dt.date(2023, 4, 20)}
    _index_consistent(desk.location.path or desk)
    transcripts.delete_transcript(desk, library["uk"].id)
    assert search(desk, "vetting", kinds="transcript") == []


def test_footnotes_are_searchable(desk, library):
    with desk.transaction() as s:
        doc = Document(
            kind=DocumentKind.LETTER, title="Letter of 17 March 2023", date=dt.date(2023, 3, 17)
        )
        s.add(doc)
        s.flush()
        s.add(
            Footnote(
                document_id=doc.id,
                number=6,
                text="Police and Crime Committee, 12 October 2022 – transcript",
                committee="Police and Crime Committee",
                meeting_date=OCT_12,
            )
        )
    hits = search(desk, "transcript", kinds="footnote")
    assert [(h.kind, h.date, h.title) for h in hits] == [
        ("footnote", OCT_12, "Footnote 6 of Letter of 17 March 2023")
    ]


def _index_consistent(path) -> None:
    """The index holds every record once, with its text (a register file, or a team register's
    desk)."""
    if isinstance(path, Desk):
        with path.engine.connect() as conn:
            docs = dict(conn.exec_driver_sql("SELECT doc_id, record_id FROM search_docs").all())
            assert len(set(docs.values())) == len(docs)
            texts = dict(conn.exec_driver_sql("SELECT id, text FROM segments").all())
            assert set(texts) <= set(docs.values())
            bodies = dict(conn.exec_driver_sql("SELECT record_id, body FROM search_docs").all())
            assert all(bodies[i] == text for i, text in texts.items())
            assert (
                conn.exec_driver_sql("SELECT count(*) FROM search_docs WHERE tsv IS NULL").scalar()
                == 0
            )
        return
    conn = sqlite3.connect(path)
    try:
        docs = dict(conn.execute("SELECT doc_id, record_id FROM search_docs").fetchall())
        fts_rows = {r for (r,) in conn.execute("SELECT rowid FROM search_index")}
        assert set(docs) == fts_rows
        # every key is its record's day << 24 (+ a sequence): a date range is a key range
        misplaced = conn.execute(
            "SELECT count(*) FROM search_docs "
            "WHERE (doc_id >> 24) != CAST(julianday(COALESCE(date, '0001-01-01')) AS INTEGER)"
        ).fetchone()[0]
        assert misplaced == 0
        segment_ids = {r for (r,) in conn.execute("SELECT id FROM segments")}
        assert segment_ids <= set(docs.values())
        for doc_id, record_id in docs.items():
            body = conn.execute(
                "SELECT body FROM search_index WHERE rowid = ?", (doc_id,)
            ).fetchone()[0]
            row = conn.execute("SELECT text FROM segments WHERE id = ?", (record_id,)).fetchone()
            if row:
                assert body == row[0]
    finally:
        conn.close()


@pytest.mark.backends("sqlite")  # VACUUM and batch migrations are SQLite's
def test_the_index_survives_vacuum(desk, library, db_path):
    # churn so that implicit rowids would be renumbered by VACUUM
    for i in range(5):
        register.add_recommendation(desk, f"Temporary {i}", made=dt.date(2023, 3, 18))
    with desk.transaction() as s:
        from pcc_desk.model import Recommendation

        for rec in s.scalars(
            select(Recommendation).where(Recommendation.text.startswith("Temporary"))
        ):
            s.delete(rec)
    desk.engine.dispose()
    conn = sqlite3.connect(db_path)
    conn.execute("VACUUM")
    conn.close()
    _index_consistent(db_path)
    hits = search(desk, "privilege")
    with desk.reading() as s:
        assert s.get(Segment, hits[0].id).text.startswith("Thank you, Chairman. It’s a privilege")
    transcripts.delete_transcript(desk, library["la"].id)
    assert search(desk, "privilege") == []
    _index_consistent(db_path)


def _batch_rebuild(db_path, table, suspend):
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{db_path}")
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            ops = Operations(MigrationContext.configure(conn))
            if suspend:
                with fts.triggers_suspended(conn), ops.batch_alter_table(table, recreate="always"):
                    pass
            else:
                with ops.batch_alter_table(table, recreate="always"):
                    pass
    finally:
        engine.dispose()


@pytest.mark.backends("sqlite")  # VACUUM and batch migrations are SQLite's
def test_a_bare_batch_migration_of_an_indexed_table_fails_and_changes_nothing(
    desk, library, db_path
):
    from sqlalchemy.exc import OperationalError

    desk.engine.dispose()
    with pytest.raises(OperationalError, match="error in trigger"):
        _batch_rebuild(db_path, "segments", suspend=False)
    assert search(desk, "privilege")


@pytest.mark.backends("sqlite")  # VACUUM and batch migrations are SQLite's
@pytest.mark.parametrize(
    "table", ["segments", "transcripts", "recommendations", "responses", "footnotes", "documents"]
)
def test_batch_migrations_inside_triggers_suspended_keep_the_index_in_step(
    desk, library, db_path, table
):
    desk.engine.dispose()
    _batch_rebuild(db_path, table, suspend=True)
    conn = sqlite3.connect(db_path)
    names = {r for (r,) in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    conn.close()
    assert names == set(fts.TRIGGER_NAMES)
    register.edit_recommendation(
        desk, library["second"], text="Report custody deaths every quarter"
    )
    assert search(desk, "custody")[0].ref == library["second"]
    transcripts.delete_transcript(desk, library["la"].id)
    assert search(desk, "privilege") == []
    _index_consistent(db_path)


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURE_DIR.glob("register-*.sqlite3")))
def test_search_works_after_upgrading_each_stored_old_schema(tmp_path, fixture):
    path = tmp_path / fixture
    shutil.copyfile(FIXTURE_DIR / fixture, path)
    with Desk.open(path) as desk:
        # rows written before the index existed were indexed by the migration
        assert [h.kind for h in search(desk, "timescales")] == ["recommendation"]
        assert [h.kind for h in search(desk, "accept")] == ["response"]
        transcripts.import_transcript(desk, write_la_txt(tmp_path))
        assert search(desk, "privilege")[0].speaker == "Sir Mark Rowley"
        register.add_recommendation(desk, "Neighbourhood wards plan", made=dt.date(2024, 1, 1))
        assert search(desk, "wards", kinds="recommendation")
    _index_consistent(path)


def test_fts5_is_checked_at_start_up_with_a_clear_message(tmp_path, db_path, monkeypatch):
    assert fts.fts5_available()
    monkeypatch.setattr(fts, "fts5_available", lambda connection=None: False)
    path = tmp_path / "new.sqlite3"
    with pytest.raises(fts.SearchUnavailable, match="no full-text search \\(FTS5\\)") as info:
        Desk.open(path)
    assert "\n" not in str(info.value)
    assert not path.exists()  # nothing half-made
    before = db_path.read_bytes()
    with pytest.raises(fts.SearchUnavailable):  # an existing register too, before any write
        Desk.open(db_path)
    assert db_path.read_bytes() == before


def test_the_migration_itself_refuses_without_fts5(tmp_path, monkeypatch):
    monkeypatch.setattr(fts, "fts5_available", lambda connection=None: False)
    path = tmp_path / "new.sqlite3"
    with pytest.raises(fts.SearchUnavailable):
        storage.migrate(storage.resolve_location(path))
    assert storage.stored_revision(path) is None


def test_common_words_rank_within_a_bounded_window_of_the_newest_matches(desk, monkeypatch):
    for i in range(12):
        register.add_recommendation(
            desk, f"Policing item number {i}" + " policing" * (i % 3), made=dt.date(2023, 1, 1 + i)
        )
    all_hits = search(desk, "policing", limit=50)
    assert len(all_hits) == 12
    for backend_module in (fts.sqlite, fts.postgresql):  # each backend reads its own
        monkeypatch.setattr(backend_module, "RANK_WINDOW", 5)
    bounded = search(desk, "policing", limit=50)
    assert len(bounded) == 5
    assert {h.date for h in bounded} == {
        dt.date(2023, 1, 1 + i) for i in range(7, 12)
    }  # the newest five
    assert bounded == sorted(bounded, key=lambda h: -h.score)


def test_limit_is_checked(desk):
    with pytest.raises(InvalidInput):
        search(desk, "x", limit=0)
    assert search(desk, "x", limit=500) == []


def test_cli_search_json_and_hostile_text(cli, tmp_path, register_db):
    db = register_db
    cli("import-transcript", str(write_la_txt(tmp_path)), db=db, check_rc=0)
    hits = json.loads(
        cli(
            "search", "Met's", "neighbourhood", "--speaker", "Rowley", "--json", db=db, check_rc=0
        ).stdout
    )
    assert len(hits) == 1
    assert set(hits[0]) >= {"kind", "id", "title", "date", "speaker", "snippet", "score"}
    for text in ('"', "*", "NEAR(", "re:", "OR NOT", "((", "😀"):
        out = cli("search", text, "--json", db=db, check_rc=0)
        assert isinstance(json.loads(out.stdout), list)
    cli("search", "--", "-word", db=db, check_rc=0)
    out = cli("search", "police", "--kind", "letters", db=db, check_rc=2)
    assert out.stderr.count("\n") == 1


def test_speaker_filter_takes_an_unfinished_name_and_ignores_accents(desk, library):
    assert {h.speaker for h in search(desk, "publish", speaker="Rowl")} == {"Sir Mark Rowley"}
    assert {h.speaker for h in search(desk, "stop", speaker="Caróline Russell")} == {
        "Caroline Russell"
    }


def test_search_within_one_transcript(desk, library):
    everywhere = search(desk, "plan", kinds="transcript")
    assert {h.transcript_id for h in everywhere} == {library["la"].id, library["uk"].id}
    within = search(desk, "plan", transcript_id=library["uk"].id)
    assert within and {h.transcript_id for h in within} == {library["uk"].id}


def test_a_damaged_index_is_reported_and_rebuilt_from_the_records(desk, library, register_db, cli):
    assert search_service.check_index(desk) == []
    with desk.engine.begin() as conn:
        if desk.location.path is not None:
            conn.exec_driver_sql("DROP TRIGGER search_segments_ai")
        else:
            conn.exec_driver_sql("DROP TRIGGER search_segments_sync ON segments")
        conn.exec_driver_sql("DELETE FROM search_docs WHERE kind = 'recommendation'")
    desk.engine.dispose()
    problems = search_service.check_index(desk)
    assert any("2 recommendation record(s) are missing" in p for p in problems)
    assert any("trigger" in p for p in problems)
    assert search(desk, "timescales") == []
    out = cli("search-index", db=register_db)
    assert out.returncode == 1 and "--rebuild" in out.stderr
    desk.engine.dispose()
    assert "rebuilt" in cli("search-index", "--rebuild", db=register_db, check_rc=0).stdout
    assert search_service.check_index(desk) == []
    assert search(desk, "timescales")[0].ref == library["first"]
    _index_consistent(desk.location.path or desk)
