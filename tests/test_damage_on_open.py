"""Damage that SQLite would open and write to, caught when the register is opened by cheap checks
(no whole-file scan): a damaged frame in the write-ahead log before a later commit (SQLite would
silently drop every change saved after it, and the next save would overwrite them), the header's fixed
fields, a page count or free-page list that does not fit the file, a schema that still parses but is
not the register's. Damage inside rows, which only the full integrity check finds, is met by SQLite
when a save touches it: the save is refused in one line, and the next opening runs the full check."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import shutil
import sqlite3
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from pcc_desk import backup, storage
from pcc_desk.errors import DatabaseDamaged
from pcc_desk.model import Status
from pcc_desk.services import Desk, register

REPO = Path(__file__).resolve().parent.parent

WRITER = r"""
import os, sys
from pcc_desk.services import Desk, register
desk = Desk.open(sys.argv[1])
for i in range(int(sys.argv[2])):
    register.add_recommendation(desk, f"Saved {i} " + "words " * (i % 7 * 30))
os._exit(0)  # no checkpoint: every change is still in the write-ahead log
"""


def _snapshot(folder: Path) -> dict[str, str]:
    """The folder's files (the register's lock, left by the writer that died, is cleared on opening)."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.iterdir()
        if p.is_file() and not p.name.endswith(".in-use")
    }


def _count(path: Path) -> int:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute("SELECT count(*) FROM recommendations").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def without_quick_check(monkeypatch):
    """As it will be once the full quick_check runs in the background: the cheap checks alone."""
    monkeypatch.setattr(storage.health, "_quick_check_problem", lambda path: "")


# --- the write-ahead log ----------------------------------------------------------------------------


def _with_a_log(db_path: Path, n: int) -> list[tuple[int, bool]]:
    """Write ``n`` recommendations in ``n`` transactions, leave them in the log; returns the log's
    frames as (offset, is a commit)."""
    subprocess.run([sys.executable, "-c", WRITER, str(db_path), str(n)], check=True, timeout=120)
    wal = storage.sidecars(db_path)[0].read_bytes()
    page_size = struct.unpack(">I", wal[8:12])[0]
    frames = []
    for offset in range(32, len(wal) - 24 - page_size + 1, 24 + page_size):
        if wal[offset + 8 : offset + 16] != wal[16:24]:
            break
        frames.append((offset, bool(int.from_bytes(wal[offset + 4 : offset + 8], "big"))))
    return frames


def _flip(path: Path, offset: int, bit: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 1 << bit
    path.write_bytes(bytes(data))


WHERE_IN_A_FRAME = {
    "page data": lambda rng, page: 24 + rng.randrange(page),
    "page number": lambda rng, page: rng.randrange(0, 4),
    "commit size": lambda rng, page: rng.randrange(4, 8),
    "salt": lambda rng, page: rng.randrange(8, 16),
    "checksum": lambda rng, page: rng.randrange(16, 24),
}


@pytest.mark.parametrize("where", sorted(WHERE_IN_A_FRAME))
@pytest.mark.parametrize("seed", [11, 12, 13])
def test_a_damaged_log_frame_before_a_later_commit_is_damage(
    db_path, tmp_path, where, seed, without_quick_check
):
    rng = random.Random(seed)
    n = rng.randrange(6, 25)
    frames = _with_a_log(db_path, n)
    assert sum(commit for _, commit in frames) == n
    last_commits = [i for i, (_, commit) in enumerate(frames) if commit]
    k = rng.randrange(0, last_commits[-2] + 1)  # in a transaction that is not the last
    wal = storage.sidecars(db_path)[0]
    page_size = struct.unpack(">I", wal.read_bytes()[8:12])[0]
    _flip(wal, frames[k][0] + WHERE_IN_A_FRAME[where](rng, page_size), rng.randrange(8))
    # what SQLite alone would do: open it, without the changes saved after the damaged frame
    alone = tmp_path / "alone"
    alone.mkdir()
    for part in (db_path, wal):
        shutil.copyfile(part, alone / part.name)
    assert _count(alone / db_path.name) < n
    before = _snapshot(db_path.parent)
    with pytest.raises(DatabaseDamaged, match="write-ahead log is damaged") as info:
        Desk.open(db_path)
    assert info.value.offer is not None
    assert _snapshot(db_path.parent) == before, "left as it was, log included"


@pytest.mark.parametrize("seed", [21, 22, 23, 24])
def test_a_torn_last_save_is_not_damage(db_path, seed):
    """The last transaction cut short (a crash while writing it) is lost, as SQLite means it to be."""
    rng = random.Random(seed)
    n = rng.randrange(4, 15)
    frames = _with_a_log(db_path, n)
    assert sum(commit for _, commit in frames) == n
    commits = [i for i, (_, commit) in enumerate(frames) if commit]
    k = rng.randrange(commits[-2] + 1, commits[-1] + 1)  # a frame of the last transaction
    wal = storage.sidecars(db_path)[0]
    _flip(wal, frames[k][0] + 24 + rng.randrange(100), rng.randrange(8))
    with Desk.open(db_path) as desk:
        assert len(register.list_recommendations(desk)) == n - 1


def test_an_intact_log_of_many_saves_opens_with_every_save(db_path):
    _with_a_log(db_path, 60)
    with Desk.open(db_path) as desk:
        assert len(register.list_recommendations(desk)) == 60


# --- the header, the page count, the free-page list -------------------------------------------------


def _folded(db_path: Path, n: int, deleted: int = 0) -> None:
    with Desk.open(db_path) as desk:
        refs = [
            register.add_recommendation(desk, f"Row {i} " + "text " * 200).ref for i in range(n)
        ]
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA foreign_keys=OFF")
    for ref in refs[:deleted]:  # free pages, for a free-page list
        conn.execute(
            "DELETE FROM status_changes WHERE recommendation_id = "
            "(SELECT id FROM recommendations WHERE ref = ?)",
            (ref,),
        )
        conn.execute("DELETE FROM recommendations WHERE ref = ?", (ref,))
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()


HEADER_FIELDS = {
    "file format versions": (18, 20),
    "payload fractions": (21, 24),
    "free-page count": (36, 40),
    "schema format": (44, 48),
    "text encoding": (56, 60),
    "reserved for expansion": (72, 92),
    "page count (past the end of the file)": (28, 29),
}


@pytest.mark.parametrize("field", sorted(HEADER_FIELDS))
@pytest.mark.parametrize("seed", [31, 32])
def test_a_damaged_header_field_is_caught_without_reading_the_file(
    db_path, field, seed, without_quick_check
):
    rng = random.Random(seed)
    _folded(db_path, 30, deleted=20)
    start, end = HEADER_FIELDS[field]
    if field == "free-page count":
        data = bytearray(db_path.read_bytes())
        data[36:40] = (int.from_bytes(data[28:32], "big") + rng.randrange(0, 50)).to_bytes(4, "big")
        db_path.write_bytes(bytes(data))
    else:
        _flip(db_path, rng.randrange(start, end), rng.randrange(8) if end - start > 1 else 7)
    before = _snapshot(db_path.parent)
    with pytest.raises(DatabaseDamaged):
        Desk.open(db_path)
    assert _snapshot(db_path.parent) == before


@pytest.mark.parametrize("seed", [41, 42, 43])
def test_a_damaged_free_page_list_is_caught(db_path, seed, without_quick_check):
    """A free-page list pointing at pages in use makes the next save overwrite them."""
    rng = random.Random(seed)
    _folded(db_path, 40, deleted=30)
    data = bytearray(db_path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    trunk = int.from_bytes(data[32:36], "big")
    assert trunk, "the deleted rows left free pages"
    at = (trunk - 1) * page_size
    how = rng.choice(["next trunk", "leaf count", "list length"])
    if how == "next trunk":
        data[at : at + 4] = rng.choice([trunk, 10**6 + rng.randrange(999)]).to_bytes(4, "big")
    elif how == "leaf count":
        data[at + 4 : at + 8] = (page_size // 4 + rng.randrange(1, 99)).to_bytes(4, "big")
    else:
        free = int.from_bytes(data[36:40], "big")
        data[36:40] = (free + rng.choice([-1, 1, 3])).to_bytes(4, "big")
    db_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseDamaged, match="free pages"):
        Desk.open(db_path)


# --- the schema ------------------------------------------------------------------------------------

SCHEMA_CHANGES = [
    ("table", "recommendations", "addressee", "addresseX"),
    ("table", "responses", "received", "receivex"),
    ("table", "themes", "name", "nama"),
    ("table", "recommendations", "VARCHAR", "VARCHAQ"),
    ("table", "status_changes", "NOT NULL", ""),
    ("index", "ix_recommendations_due", "(due)", "(made)"),
    ("index", "ix_responses_recommendation_id", "recommendation_id)", "received)"),
]


@pytest.mark.parametrize("change", SCHEMA_CHANGES, ids=lambda c: f"{c[1]}:{c[3]}")
def test_a_schema_that_still_parses_but_is_not_the_registers_is_damage(
    db_path, change, without_quick_check
):
    kind, name, old, new = change
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA writable_schema=ON")
    changed = conn.execute(
        "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = ? AND name = ? AND instr(sql, ?)",
        (old, new, kind, name, old),
    ).rowcount
    conn.commit()
    conn.close()
    assert changed == 1
    conn = sqlite3.connect(db_path)  # SQLite itself still reads it
    assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    conn.close()
    with pytest.raises(DatabaseDamaged, match="tables are not those of a PCC Desk register"):
        Desk.open(db_path)


def test_the_schema_fingerprint_matches_registers_built_and_upgraded_by_the_scripts(tmp_path):
    from alembic import command
    from sqlalchemy import create_engine

    built = tmp_path / "built.sqlite3"
    engine = create_engine(f"sqlite:///{built}")
    with engine.begin() as connection:
        command.upgrade(storage._alembic_config(connection), "head")
    engine.dispose()
    with storage.read_only_connection(built) as conn:
        assert storage.schema_fingerprint(conn) == storage.HEAD_SCHEMA_FINGERPRINT, (
            "the schema changed: update storage.HEAD_SCHEMA_FINGERPRINT"
        )
    stored = sorted((Path(__file__).parent / "fixtures" / "db").glob("*.sqlite3"))
    assert len(stored) >= 2
    for old in stored:  # registers made by earlier versions, upgraded
        path = tmp_path / old.name
        shutil.copyfile(old, path)
        Desk.open(path).close()
        with storage.read_only_connection(path) as conn:
            assert storage.schema_fingerprint(conn) == storage.HEAD_SCHEMA_FINGERPRINT, old.name


def test_the_known_revisions_match_the_migration_scripts():
    assert storage.known_revisions() == [*storage.EARLIER_REVISIONS, storage.HEAD_REVISION]


# --- damage inside rows: met when a save touches it ---------------------------------------------------


def _index_damage(db_path: Path, index: str) -> int:
    """Flip bytes in ``index``'s pages until the full check sees a row missing from it while
    ``quick_check`` still passes; returns that row's rowid."""
    conn = sqlite3.connect(db_path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (index,)).fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    original = db_path.read_bytes()
    start = (root - 1) * page_size
    cells = int.from_bytes(original[start + 3 : start + 5], "big")
    content = int.from_bytes(original[start + 5 : start + 7], "big")
    for offset in range(start + page_size - 1, start + content, -1):
        data = bytearray(original)
        data[offset] ^= 0x01
        db_path.write_bytes(bytes(data))
        conn = sqlite3.connect(db_path)
        quick = conn.execute("PRAGMA quick_check").fetchall()
        full = conn.execute("PRAGMA integrity_check").fetchall()
        conn.close()
        if quick == [("ok",)] and full != [("ok",)] and "missing from index" in full[0][0]:
            return int(full[0][0].split()[1])
    raise AssertionError(f"no single flip in {cells} cells made the damage wanted")


def test_damage_met_while_saving_is_refused_then_offered_for_recovery_at_the_next_start(db_path):
    _folded(db_path, 25)
    location = storage.resolve_location(db_path)
    backup.take_backup(location, "auto", dt.datetime(2026, 5, 4, 16, 40))
    rowid = _index_damage(db_path, "ix_recommendations_status")
    conn = sqlite3.connect(db_path)
    ref = conn.execute("SELECT ref FROM recommendations WHERE rowid = ?", (rowid,)).fetchone()[0]
    conn.close()
    desk = Desk.open(db_path)  # the cheap checks and quick_check do not see it
    try:
        assert len(register.list_recommendations(desk)) == 25
        before = _snapshot(db_path.parent)
        with pytest.raises(DatabaseDamaged, match="Nothing of this change was saved") as info:
            register.change_status(desk, ref, Status.CLOSED_IMPLEMENTED, "Verified")
        assert "\n" not in str(info.value)
        assert storage.damage_mark(db_path).exists()
        assert {k: v for k, v in _snapshot(db_path.parent).items() if k in before} == before
    finally:
        desk.close()
    with pytest.raises(DatabaseDamaged, match="integrity check") as info:
        Desk.open(db_path)
    assert info.value.offer.backup is not None
    backup.recover(location, "restore-latest")
    assert not storage.damage_mark(db_path).exists()
    with Desk.open(db_path) as desk:
        register.change_status(desk, ref, Status.CLOSED_IMPLEMENTED, "Verified")


def test_damage_met_while_saving_on_the_command_line_is_one_line(db_path, run_cli):
    _folded(db_path, 25)
    rowid = _index_damage(db_path, "ix_recommendations_status")
    conn = sqlite3.connect(db_path)
    ref = conn.execute("SELECT ref FROM recommendations WHERE rowid = ?", (rowid,)).fetchone()[0]
    conn.close()
    proc = run_cli("status", ref, "closed-implemented", "--note", "Verified", db=db_path)
    assert proc.returncode == 2
    (line,) = proc.stderr.strip().splitlines()
    assert "damaged" in line and "Traceback" not in proc.stderr
    proc = run_cli("list", db=db_path)
    assert proc.returncode == 2 and "pcc-desk check" in proc.stderr
