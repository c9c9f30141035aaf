"""Migration 0005: cc lists, footnote URLs and settings become JSON columns (values in, values out) and
the order numbers called ``position`` become ``ordinal``; stored registers upgrade with every value."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy import text as sa_text
from support.transcript_samples import write_la_txt

from pcc_desk import search as fts
from pcc_desk import storage
from pcc_desk.model import Base, Document, DocumentKind, Footnote, Recommendation, Segment, Setting
from pcc_desk.model import Theme as ThemeRow
from pcc_desk.services import Desk, register, settings, transcripts
from pcc_desk.services import search as search_service

FIXTURES = Path(__file__).parent / "fixtures" / "db"
ORDERED = {"themes": ThemeRow, "recommendations": Recommendation, "segments": Segment}

# what the damaged values of json-0004.sqlite3 hold after the upgrade (see make_json_fixture.py)
DAMAGED_URLS = {
    "": [],
    "not json https://www.example.org/a and http://example.com/b,": [
        "https://www.example.org/a",
        "http://example.com/b",
    ],
    '"https://www.example.org/only-one"': ["https://www.example.org/only-one"],
    '[1, null, "https://example.net/x"]': ["https://example.net/x"],
}


def _raw(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _alembic(path: Path, action: str, revision: str) -> None:
    from alembic import command

    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            getattr(command, action)(storage._alembic_config(connection), revision)
    finally:
        engine.dispose()


def _before(path: Path) -> dict:
    """Every JSON text and order number of a register at 0004, read with sqlite3 alone."""
    return {
        "cc": dict(_raw(path, "SELECT id, cc FROM documents")),
        "urls": dict(_raw(path, "SELECT id, urls FROM footnotes")),
        "settings": dict(_raw(path, "SELECT key, value FROM settings")),
        **{t: dict(_raw(path, f"SELECT id, position FROM {t}")) for t in ORDERED},
    }


def _expected_list(raw: str) -> list:
    return json.loads(raw) if raw.strip() else []


def _check_after(desk: Desk, before: dict, urls_expected=None) -> None:
    with desk.reading() as session:
        docs = {d.id.hex: d.cc for d in session.scalars(select(Document))}
        assert docs.keys() == before["cc"].keys()
        for ident, raw in before["cc"].items():
            assert docs[ident] == _expected_list(raw), raw
        notes = {n.id.hex: n.urls for n in session.scalars(select(Footnote))}
        assert notes.keys() == before["urls"].keys()
        for ident, raw in before["urls"].items():
            expected = (urls_expected or {}).get(raw)
            assert notes[ident] == (expected if expected is not None else _expected_list(raw)), raw
        stored = {s.key: s.value for s in session.scalars(select(Setting))}
        assert stored == {k: json.loads(v) for k, v in before["settings"].items()}
        for table, model in ORDERED.items():
            got = {row.id.hex: row.ordinal for row in session.scalars(select(model))}
            assert got == before[table], table


def test_the_stored_json_register_upgrades_with_every_value_and_its_index(tmp_path):
    path = tmp_path / "register.sqlite3"
    shutil.copyfile(FIXTURES / "json-0004.sqlite3", path)
    assert storage.stored_revision(path) == "0004"
    before = _before(path)
    assert set(before["urls"].values()) >= set(DAMAGED_URLS)  # the fixture holds what it should
    with Desk.open(path) as desk:
        assert storage.stored_revision(path) == storage.HEAD_REVISION
        _check_after(desk, before, DAMAGED_URLS)
        # the Committee's details arrive as they were saved
        details = settings.get_settings(desk)
        assert details.chair == "Léonie Ní Bhriain AM"
        assert details.default_cc == ("Дмитрий, Role", 'The "Chief", \\ Officer')
        assert details.wording == {"sign_off": "Yours faithfully, 🚓"}
        # the search triggers were made again for the rebuilt tables
        assert search_service.check_index(desk) == []
        assert search_service.search(desk, "Generated footnote", kinds="footnote")
        transcripts.import_transcript(desk, write_la_txt(tmp_path, "again.txt"))
        hits = search_service.search(desk, "privilege")
        assert hits and all(h.ordinal >= 1 for h in hits)
        ref = register.add_recommendation(desk, "Publish the vetting backlog monthly").ref
        assert search_service.search(desk, "vetting backlog")[0].ref == ref
        assert search_service.check_index(desk) == []


def test_the_upgraded_schema_is_the_models(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    path = tmp_path / "register.sqlite3"
    shutil.copyfile(FIXTURES / "json-0004.sqlite3", path)
    Desk.open(path).close()
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "include_name": lambda name, type_, _parents: (
                        not (type_ == "table" and name.startswith(("search_", "fts_")))
                    ),
                },
            )
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


PIECES = ["", " ", '"', "\\", "'", ",", ";", "[", "]", "{}", "null", "\n", "\t", "é", "Ő", "ß"]
PIECES += ["Дмитрий", "王小明", "🚓", "\u00a0", "\u200b", "https://x.org/?a=1&b=[2]", "123", "true"]


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 8)))


@pytest.mark.parametrize("seed", range(6))
def test_generated_registers_at_0004_keep_every_json_value_and_order_number(tmp_path, seed):
    rng = random.Random(seed)
    path = tmp_path / "register.sqlite3"
    _alembic(path, "upgrade", "0004")
    conn = sqlite3.connect(path)
    now = "2024-01-01 00:00:00.000000"
    for _ in range(rng.randint(1, 6)):
        doc = uuid.uuid4().hex
        cc = [_text(rng) for _ in range(rng.randint(0, 5))]
        conn.execute(
            "INSERT INTO documents (id, kind, title, subject, sender, sender_role, recipient, "
            "recipient_role, cc, salutation, file_name, created_at, updated_at) "
            "VALUES (?, 'letter', '', '', '', '', '', '', ?, '', '', ?, ?)",
            (
                doc,
                json.dumps(cc, ensure_ascii=rng.random() < 0.5) if cc or rng.random() < 0.5 else "",
                now,
                now,
            ),
        )
        for number in range(1, rng.randint(1, 5)):
            urls = [f"https://example.org/{_text(rng)}" for _ in range(rng.randint(0, 3))]
            conn.execute(
                "INSERT INTO footnotes (id, document_id, number, text, urls, committee, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, '', ?, ?)",
                (uuid.uuid4().hex, doc, number, _text(rng) or "x", json.dumps(urls), now, now),
            )
        for ordinal in rng.sample(range(1000), rng.randint(0, 3)):
            conn.execute(
                "INSERT INTO themes (id, name, position, document_id, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (uuid.uuid4().hex, _text(rng) or "t", ordinal, doc, now, now),
            )
    value = {
        _text(rng): [_text(rng), rng.randint(-5, 5), None, {"k": _text(rng)}] for _ in range(3)
    }
    conn.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)",
        (f"generated-{seed}", json.dumps(value, ensure_ascii=rng.random() < 0.5), now),
    )
    conn.commit()
    conn.close()
    before = _before(path)
    with Desk.open(path) as desk:
        _check_after(desk, before)


def test_json_columns_take_and_give_values_and_store_json_text(desk, db_path):
    rng = random.Random(7)
    cc = [_text(rng) for _ in range(6)]
    urls = [f"https://example.org/{_text(rng)}" for _ in range(3)]
    value = {"nested": {"list": [1, "two", None], "text": _text(rng)}, "flag": True}
    with desk.transaction() as session:
        doc = Document(kind=DocumentKind.LETTER, cc=cc)
        session.add(doc)
        session.flush()
        session.add(Footnote(document_id=doc.id, number=1, text="note", urls=urls))
        session.add(Setting(key="round-trip", value=value))
        bare = Document(kind=DocumentKind.OTHER)  # the defaults are empty lists
        session.add(bare)
    with desk.reading() as session:
        assert session.get(Document, doc.id).cc == cc
        assert session.get(Document, bare.id).cc == []
        assert session.scalars(select(Footnote)).one().urls == urls
        assert session.get(Setting, "round-trip").value == value
    raw = dict(_raw(db_path, "SELECT id, cc FROM documents"))
    assert json.loads(raw[doc.id.hex]) == cc and json.loads(raw[bare.id.hex]) == []
    assert json.loads(_raw(db_path, "SELECT urls FROM footnotes")[0][0]) == urls


def test_downgrade_to_0004_and_up_again_keeps_the_values(tmp_path):
    path = tmp_path / "register.sqlite3"
    shutil.copyfile(FIXTURES / "json-0004.sqlite3", path)
    Desk.open(path).close()
    with Desk.open(path) as desk, desk.reading() as session:
        cc = {d.id: d.cc for d in session.scalars(select(Document))}
        urls = {n.id: n.urls for n in session.scalars(select(Footnote))}
        ordinals = {s.id: s.ordinal for s in session.scalars(select(Segment))}
    _alembic(path, "downgrade", "0004")
    positions = dict(_raw(path, "SELECT id, position FROM segments"))
    assert {uuid.UUID(k): v for k, v in positions.items()} == ordinals
    assert fts.TRIGGER_NAMES and set(fts.TRIGGER_NAMES) <= {
        name for (name,) in _raw(path, "SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }
    with Desk.open(path) as desk, desk.reading() as session:
        assert {d.id: d.cc for d in session.scalars(select(Document))} == cc
        assert {n.id: n.urls for n in session.scalars(select(Footnote))} == urls
        assert search_service.check_index(desk) == []


def _pg_alembic(url: str, revision: str) -> None:
    from alembic import command

    from pcc_desk import postgres

    engine = postgres.make_engine(url)
    try:
        with engine.begin() as connection:
            command.upgrade(storage._alembic_config(connection), revision)
    finally:
        engine.dispose()


@pytest.mark.parametrize("seed", [3, 8])
def test_a_team_register_at_0004_keeps_every_json_value_and_order_number(pg_empty_database, seed):
    """The same migration on PostgreSQL: the columns altered in place, the values moved first."""
    from sqlalchemy.orm import Session
    from support.pg_support import pg_url

    from pcc_desk import postgres

    rng = random.Random(seed)
    url = pg_url(pg_empty_database)
    _pg_alembic(url, "0004")
    docs, notes, themes = {}, {}, {}
    engine = postgres.make_engine(url)
    try:
        with engine.begin() as conn:
            for n in range(rng.randint(2, 5)):
                doc = uuid.uuid4()
                cc = [_text(rng) for _ in range(rng.randint(0, 4))]
                raw = json.dumps(cc, ensure_ascii=rng.random() < 0.5) if cc or n % 2 else ""
                docs[doc] = _expected_list(raw)
                conn.execute(
                    sa_text(
                        "INSERT INTO documents (id, kind, title, subject, sender, sender_role, "
                        "recipient, recipient_role, cc, salutation, file_name, created_at, "
                        "updated_at) VALUES (:id, 'letter', '', '', '', '', '', '', :cc, '', '', "
                        "now(), now())"
                    ),
                    {"id": doc, "cc": raw},
                )
                for number, raw_urls in enumerate([*DAMAGED_URLS, json.dumps(["https://x.org/é"])]):
                    note = uuid.uuid4()
                    notes[note] = (
                        DAMAGED_URLS[raw_urls] if raw_urls in DAMAGED_URLS else json.loads(raw_urls)
                    )
                    conn.execute(
                        sa_text(
                            "INSERT INTO footnotes (id, document_id, number, text, urls, committee, "
                            "created_at, updated_at) VALUES (:id, :doc, :n, 'note', :urls, '', "
                            "now(), now())"
                        ),
                        {"id": note, "doc": doc, "n": number + 1, "urls": raw_urls},
                    )
                theme = uuid.uuid4()
                themes[theme] = rng.randint(0, 999)
                conn.execute(
                    sa_text(
                        "INSERT INTO themes (id, name, position, document_id, created_at, "
                        "updated_at) VALUES (:id, 't', :p, :doc, now(), now())"
                    ),
                    {"id": theme, "p": themes[theme], "doc": doc},
                )
            value = {_text(rng): [_text(rng), 1, None], "chair": "Léonie Ní Bhriain"}
            conn.execute(
                sa_text("INSERT INTO settings (key, value, updated_at) VALUES ('c', :v, now())"),
                {"v": json.dumps(value)},
            )
        _pg_alembic(url, "head")
        with Session(engine) as session:
            assert {d.id: d.cc for d in session.scalars(select(Document))} == docs
            assert {n.id: n.urls for n in session.scalars(select(Footnote))} == notes
            assert {t.id: t.ordinal for t in session.scalars(select(ThemeRow))} == themes
            assert session.get(Setting, "c").value == value
    finally:
        engine.dispose()
