"""Moving a laptop's register to the team register and back: `pcc-desk team upload` and `team
download` on a real PostgreSQL. Every table of the model is copied with the same ids (a register with a
row in every table, dumped record by record), the search finds the same records, the originals open
from the copy; a second upload does nothing; a team register holding other records is refused."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import shutil
import sqlite3
import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, select
from support.pg_support import PG_HOST, PG_PORT, PG_USER, pg_url
from support.register_dump import busy_register, canonical

from pcc_desk import storage
from pcc_desk.errors import Conflict, DatabaseTooNew, InvalidInput
from pcc_desk.model import Base, Document
from pcc_desk.services import Desk, originals, register, team, team_copy
from pcc_desk.services import search as search_service

QUERIES = ["trust", "vetting", "neighbourh", '"we will"', "Rowley", "café", "publish data", "Desai"]

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def laptop(tmp_path, template_db, request):
    """A laptop's register with a row in every table of the model (seed: the test's parameter)."""
    seed = getattr(request, "param", 1)
    path = tmp_path / "laptop" / "pcc-desk.sqlite3"
    path.parent.mkdir()
    shutil.copyfile(template_db, path)
    with Desk.open(path) as desk:
        busy_register(desk, tmp_path / f"files-{seed}", seed)
    return path


def _dump(db) -> dict:
    location = storage.resolve_location(db)
    engine = storage.make_engine(location)
    try:
        return canonical(engine)
    finally:
        engine.dispose()


def _hits(db) -> dict[str, list[tuple]]:
    with Desk.open(db) as desk:
        return {
            q: sorted(
                (h.kind, h.id.hex, h.snippet) for h in search_service.search(desk, q, limit=500)
            )
            for q in QUERIES
        }


def test_every_table_of_the_model_is_copied(laptop, tmp_path):
    """The copy is generic over the model's tables: a table added later is copied too. A new table
    must get rows in support.register_dump.busy_register, or this test fails naming it."""
    original = _dump(laptop)
    empty = [
        name for name, rows in original.items() if not rows and name not in team_copy.LOCAL_TABLES
    ]
    assert not empty, f"busy_register leaves these tables empty: {empty}"
    assert set(original) == set(Base.metadata.tables)
    copy = tmp_path / "copy.sqlite3"
    storage.migrate(storage.resolve_location(copy))
    source = create_engine(f"sqlite:///{laptop}")
    target = storage.make_engine(storage.resolve_location(copy))
    try:
        with source.connect() as src, target.begin() as dst:
            rows = team_copy.copy_register(src, dst)
    finally:
        source.dispose()
        target.dispose()
    assert rows == {
        name: len(found) for name, found in original.items() if name not in team_copy.LOCAL_TABLES
    }
    assert _dump(copy) == original


@pytest.mark.parametrize("laptop", [1, 2], indirect=True)
def test_upload_then_download_gives_back_the_very_same_register(laptop, pg_register, tmp_path):
    original = _dump(laptop)
    hits = _hits(laptop)
    done = team_copy.upload(laptop, pg_register)
    assert done.copied and done.rows["recommendations"] == len(original["recommendations"])
    assert _dump(pg_register) == original
    # the server's own search (tsvector) finds the very same records
    with Desk.open(pg_register) as team:
        for q in QUERIES:
            found = sorted((h.kind, h.id.hex) for h in search_service.search(team, q, limit=500))
            assert found == [(kind, ident) for kind, ident, _ in hits[q]], q
    copy = tmp_path / "train" / "copy.sqlite3"
    back = team_copy.download(pg_register, copy)
    assert back.copied and copy.is_file()
    assert [p.name for p in copy.parent.iterdir()] == ["copy.sqlite3"]  # nothing half-written left
    assert _dump(copy) == original
    assert _hits(copy) == hits  # the copy's own index, built from the rows
    with Desk.open(copy) as desk, desk.reading() as session:
        docs = [(d.id, d.sha256) for d in session.query(Document) if d.sha256]
    assert len(docs) == 5  # the transcript, three letters and an evidence file
    with Desk.open(copy) as desk:
        for ident, sha in docs:  # every original opens from the copy alone
            assert (
                hashlib.sha256(originals.open_original(desk, ident).read_bytes()).hexdigest() == sha
            )
        assert search_service.check_index(desk) == []


def test_a_second_upload_does_nothing_twice(laptop, pg_register, cli):
    first = cli("team", "upload", str(laptop), pg_register, check_rc=0)
    assert "copied to" in first.stdout
    after = _dump(pg_register)
    again = cli("team", "upload", str(laptop), pg_register, check_rc=0)
    assert "already uploaded" in again.stdout
    assert _dump(pg_register) == after


def test_a_team_register_with_other_records_is_refused_and_left_unchanged(
    laptop, pg_register, run_cli
):
    with Desk.open(pg_register) as team:
        register.add_recommendation(team, "A clerk's own ask on the server")
    before = _dump(pg_register)
    out = run_cli("team", "upload", str(laptop), pg_register, check_rc=2)
    assert "already holds other records" in out.stderr and "nothing was uploaded" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr
    assert _dump(pg_register) == before


def test_a_laptop_register_of_an_older_version_is_upgraded_first_with_a_backup(
    tmp_path, pg_register
):
    old = tmp_path / "old" / "register.sqlite3"
    old.parent.mkdir()
    shutil.copy(FIXTURES / "db" / "register-0005.sqlite3", old)
    done = team_copy.upload(old, pg_register)
    assert done.copied and done.rows["recommendations"] == 2
    backups = list((old.parent / "register-backups").iterdir())
    assert [b.name for b in backups if "before-migration-from-0005" in b.name]
    assert _dump(pg_register) == _dump(old)


def test_a_laptop_register_of_a_newer_version_is_refused_unchanged(laptop, pg_register):
    conn = sqlite3.connect(laptop)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    before = laptop.read_bytes()
    with pytest.raises(DatabaseTooNew):
        team_copy.upload(laptop, pg_register)
    assert laptop.read_bytes() == before
    with Desk.open(pg_register) as team:
        assert register.list_recommendations(team) == []


def test_download_refuses_to_overwrite_a_file_unless_forced(laptop, pg_register, tmp_path, cli):
    team_copy.upload(laptop, pg_register)
    copy = tmp_path / "mine.sqlite3"
    copy.write_bytes(b"a clerk's own file")
    out = cli("team", "download", pg_register, str(copy), check_rc=2)
    assert "exists already" in out.stderr and copy.read_bytes() == b"a clerk's own file"
    cli("team", "download", pg_register, str(copy), "--force", check_rc=0)
    assert _dump(copy) == _dump(laptop)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".mine")) == []


def test_wrong_addresses_are_one_line(tmp_path, pg_register):
    with pytest.raises(InvalidInput, match="no such register file"):
        team_copy.upload(tmp_path / "missing.sqlite3", pg_register)
    assert not (tmp_path / "missing.sqlite3").exists()  # never made by asking for it
    with pytest.raises(InvalidInput, match="not the address of a team register"):
        team_copy.upload(FIXTURES / "db" / "register-0005.sqlite3", str(tmp_path / "x.sqlite3"))
    with pytest.raises(Conflict):
        existing = tmp_path / "there.sqlite3"
        existing.write_bytes(b"")
        team_copy.download(pg_register, existing)


def test_a_clerk_uploads_into_a_register_made_by_team_init_and_a_reader_downloads_it(
    laptop, pg_empty_database, tmp_path
):
    """The roles `team init` makes are enough: a clerk's login uploads (the history only grows), a
    read-only login downloads."""
    name = pg_empty_database
    team.init_team_register(pg_url(name))
    with psycopg.connect(
        host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=name, autocommit=True
    ) as conn:
        conn.execute(f'CREATE ROLE "{name}_alice" LOGIN IN ROLE "{name}_clerk"')
        conn.execute(f'CREATE ROLE "{name}_staff" LOGIN IN ROLE "{name}_reader"')
    assert team_copy.upload(laptop, pg_url(name, user=f"{name}_alice")).copied
    copy = tmp_path / "archive.sqlite3"
    team_copy.download(pg_url(name, user=f"{name}_staff"), copy)
    assert _dump(copy) == _dump(laptop)


@pytest.mark.parametrize("seed", range(5))
def test_rows_of_a_table_that_refers_to_itself_are_copied_parents_first(tmp_path, seed):
    """Chains of edited letters (each document superseding the one before) and undo/redo rows, their
    ids in any order: every row is written after the row it names, whatever the ids' order."""
    rng = random.Random(seed)
    db = tmp_path / "chains.sqlite3"
    storage.migrate(storage.resolve_location(db))
    source = storage.make_engine(storage.resolve_location(db))
    ids = [uuid.uuid4() for _ in range(rng.randint(3, 12))]
    documents = Base.metadata.tables["documents"]
    now = dt.datetime(2024, 1, 1)
    rows = [
        {
            "id": ident,
            "kind": "letter",
            "supersedes_id": ids[n - 1] if n else None,
            "created_at": now,
            "updated_at": now,
        }
        for n, ident in enumerate(ids)
    ]
    rng.shuffle(rows)
    with source.begin() as conn:
        conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
        conn.execute(documents.insert(), rows)
    copy = tmp_path / "copy.sqlite3"
    storage.migrate(storage.resolve_location(copy))
    target = storage.make_engine(storage.resolve_location(copy))
    try:
        with source.connect() as src, target.begin() as dst:
            assert team_copy.copy_register(src, dst, [documents]) == {"documents": len(ids)}
        with target.connect() as conn:
            chain = dict(conn.execute(select(documents.c.id, documents.c.supersedes_id)).all())
    finally:
        source.dispose()
        target.dispose()
    assert chain == {row["id"]: row["supersedes_id"] for row in rows}
