"""Opening, migrating and refusing databases."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from pcc_desk import storage
from pcc_desk.errors import DatabaseDamaged, DatabaseTooNew
from pcc_desk.services import Desk, register

FIXTURE_DIR = Path(__file__).parent / "fixtures" / "db"


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_head_revision_constant_matches_the_migration_scripts():
    assert storage.known_revisions()[-1] == storage.HEAD_REVISION


def test_fresh_database_is_created_and_migrated(tmp_path):
    path = tmp_path / "new" / "pcc-desk.sqlite3"
    with Desk.open(path) as desk:
        assert register.list_recommendations(desk) == []
    assert storage.stored_revision(path) == storage.HEAD_REVISION
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_engine_enforces_foreign_keys(desk):
    with desk.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_default_location_is_the_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("PCC_DESK_DATA_DIR", str(tmp_path / "data"))
    loc = storage.resolve_location(None)
    assert loc.path == tmp_path / "data" / "pcc-desk.sqlite3"
    monkeypatch.setenv("PCC_DESK_DB", str(tmp_path / "elsewhere.sqlite3"))
    assert storage.resolve_location(None).path == tmp_path / "elsewhere.sqlite3"
    url = storage.resolve_location(f"sqlite:///{tmp_path / 'u.sqlite3'}")
    assert url.path == tmp_path / "u.sqlite3"


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURE_DIR.glob("register-*.sqlite3")))
def test_upgrade_of_each_stored_old_schema_keeps_rows(tmp_path, fixture):
    path = tmp_path / fixture
    shutil.copyfile(FIXTURE_DIR / fixture, path)
    old_revision = storage.stored_revision(path)
    with Desk.open(path) as desk:
        rows = register.list_recommendations(desk)
        assert [r.ref for r in rows] == ["PCC-2023-03-17/01", "PCC-2023-03-17/02"]
        detail = register.get_recommendation(desk, "PCC-2023-03-17/01")
        assert detail.responses and detail.responses[0].text == "We accept this."
        # the upgraded database still takes new rows
        register.add_recommendation(desk, "After upgrade")
    assert storage.stored_revision(path) == storage.HEAD_REVISION
    backups = list(storage.resolve_location(path).backups_dir.glob("*.sqlite3"))
    if old_revision != storage.HEAD_REVISION:
        assert len(backups) == 1, "a backup is taken before migrating"
        assert storage.stored_revision(backups[0]) == old_revision
    else:
        assert backups == []


def test_database_from_a_newer_version_is_refused_untouched(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    conn.commit()
    conn.close()
    before = _hash(db_path)
    siblings = set(db_path.parent.iterdir())
    with pytest.raises(DatabaseTooNew, match="newer version"):
        Desk.open(db_path)
    assert _hash(db_path) == before
    assert set(db_path.parent.iterdir()) == siblings  # no -wal, -shm or backup left behind


def test_not_a_database_is_refused_untouched(tmp_path):
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is not sqlite at all" * 100)
    before = _hash(path)
    with pytest.raises(DatabaseDamaged):
        Desk.open(path)
    assert _hash(path) == before


def test_another_apps_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseDamaged, match="not a PCC Desk register"):
        Desk.open(path)


def test_atomic_write_leaves_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "out.bin"
    storage.atomic_write_bytes(target, b"old")

    class Boom(Exception):
        pass

    def boom(*_a, **_k):
        raise Boom

    monkeypatch.setattr(storage.files.os, "replace", boom)
    with pytest.raises(Boom):
        storage.atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]


def test_reads_are_not_held_up_by_a_writer(desk):
    """A long write (an import) holds the write lock; searches and lists still read."""
    import threading

    register.add_recommendation(desk, "Before the import")
    started, release = threading.Event(), threading.Event()

    def long_write():
        with desk.transaction(("recommendations",)) as session:
            from pcc_desk.model import Recommendation

            session.get(
                Recommendation, register.list_recommendations(desk)[0].id
            ).notes = "being written"
            session.flush()
            started.set()
            release.wait(10)

    writer = threading.Thread(target=long_write)
    writer.start()
    try:
        assert started.wait(10)
        rows = register.list_recommendations(desk)  # would wait 5 s and fail if reads took the lock
        assert [r.text for r in rows] == ["Before the import"]
    finally:
        release.set()
        writer.join()
