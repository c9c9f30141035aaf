"""An existing register file that is empty or holds no register is damage, never a new register: it is
kept as it is, and the newest backup is offered (library, command line). A register from a newer
version is refused without a byte written and without a -wal or -shm left beside it, and ``check``
says where it came from."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import sqlite3
from pathlib import Path

import pytest

from pcc_desk import backup, storage
from pcc_desk.errors import DatabaseDamaged, DatabaseTooNew
from pcc_desk.services import Desk, register


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()
    }


@pytest.fixture
def kept(db_path) -> Path:
    """A register with 5 recommendations and a backup of them."""
    with Desk.open(db_path) as desk:
        for i in range(5):
            register.add_recommendation(desk, f"Kept {i}")
    backup.take_backup(storage.resolve_location(db_path), "auto", dt.datetime(2026, 5, 4, 16, 40))
    return db_path


def _zero_bytes(path: Path, rng: random.Random) -> None:
    path.write_bytes(b"")


def _zero_bytes_with_a_log(path: Path, rng: random.Random) -> None:
    path.write_bytes(b"")
    storage.sidecars(path)[0].write_bytes(rng.randbytes(rng.randrange(1, 9000)))


def _empty_sqlite(path: Path, rng: random.Random) -> None:
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA page_size={rng.choice([1024, 4096, 8192])}")
    conn.execute(rng.choice(["PRAGMA journal_mode=WAL", "PRAGMA user_version=1"]))
    conn.close()


def _interrupted_first_start(path: Path, rng: random.Random) -> None:
    """What an older version left when killed during a first start: tables, no version stamped."""
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM alembic_version")
    conn.commit()
    conn.close()


def _another_apps_file(path: Path, rng: random.Random) -> None:
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.executemany("INSERT INTO notes VALUES (?)", [(rng.random(),) for _ in range(50)])
    conn.commit()
    conn.close()


NOT_A_REGISTER = {
    "0 bytes": _zero_bytes,
    "0 bytes and a write-ahead log": _zero_bytes_with_a_log,
    "an empty SQLite database": _empty_sqlite,
    "a first start that was interrupted": _interrupted_first_start,
    "another program's SQLite file": _another_apps_file,
}


@pytest.mark.parametrize("kind", sorted(NOT_A_REGISTER))
@pytest.mark.parametrize("seed", [3, 4])
def test_a_file_that_holds_no_register_is_damage_and_the_newest_backup_is_offered(kept, kind, seed):
    NOT_A_REGISTER[kind](kept, random.Random(seed))
    before = _snapshot(kept.parent)
    with pytest.raises(DatabaseDamaged) as info:
        Desk.open(kept)
    assert _snapshot(kept.parent) == before, "left exactly as it was, nothing created beside it"
    message = str(info.value)
    assert kept.name in message and "\n" not in message
    assert info.value.offer.backup is not None
    assert info.value.offer.choices == ("restore-latest", "fresh")
    with pytest.raises(DatabaseDamaged):
        storage.stored_revision(kept)
    result = backup.recover(storage.resolve_location(kept), "restore-latest")
    with Desk.open(kept) as desk:
        assert len(register.list_recommendations(desk)) == 5
    assert hashlib.sha256(result.set_aside[0].read_bytes()).hexdigest() == before[kept.name]


def test_a_0_byte_register_on_the_command_line_offers_the_backup_and_restores_it(kept, run_cli):
    kept.write_bytes(b"")
    proc = run_cli("list", db=kept)
    assert proc.returncode == 2
    (line,) = proc.stderr.strip().splitlines()
    assert "empty (0 bytes)" in line and "4 May 2026 at 16:40" in line and "pcc-desk check" in line
    assert kept.read_bytes() == b""
    proc = run_cli("check", db=kept)
    assert proc.returncode == 2 and "--restore-latest" in proc.stderr
    run_cli("check", "--restore-latest", db=kept, check_rc=0)
    proc = run_cli("list", db=kept, check_rc=0)
    assert proc.stdout.count("Kept ") == 5
    (aside,) = kept.parent.glob("register.damaged-*.sqlite3")
    assert aside.read_bytes() == b""


def test_a_new_register_is_made_whole_never_as_an_empty_file(tmp_path, monkeypatch):
    """The first start builds the register beside its name and then names it: killed at any point
    before, it leaves no file that the next start would call damaged."""
    path = tmp_path / "new" / "pcc-desk.sqlite3"

    class Killed(Exception):
        pass

    def killed(*_args):
        assert not path.exists(), "nothing under the register's name while it is built"
        raise Killed

    monkeypatch.setattr(storage.migrations, "_place_new_file", killed)
    with pytest.raises(Killed):
        Desk.open(path)
    monkeypatch.undo()
    assert sorted(p.name for p in path.parent.iterdir()) == []
    with Desk.open(path) as desk:
        register.add_recommendation(desk, "First")
    assert storage.stored_revision(path) == storage.HEAD_REVISION


# --- a register from a newer version --------------------------------------------------------------


def _from_the_future(path: Path, revision: str, wal: bool) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    conn.commit()
    conn.execute("PRAGMA journal_mode=WAL" if wal else "PRAGMA journal_mode=DELETE")
    conn.close()
    assert not storage.sidecars(path)[0].exists()


@pytest.mark.parametrize("wal", [True, False], ids=["wal", "rollback"])
@pytest.mark.parametrize("revision", ["9999", "0003_future", "ffff"])
def test_a_newer_register_is_refused_leaving_no_sidecars(db_path, revision, wal):
    _from_the_future(db_path, revision, wal)
    before = _snapshot(db_path.parent)
    with pytest.raises(DatabaseTooNew, match=f"newer version of PCC Desk \\(schema {revision}\\)"):
        Desk.open(db_path)
    assert _snapshot(db_path.parent) == before, "no -wal, -shm, lock or backup left behind"
    assert not storage.quick_check(db_path)


@pytest.mark.parametrize("wal", [True, False], ids=["wal", "rollback"])
def test_check_says_a_register_is_from_a_newer_version(db_path, run_cli, wal):
    _from_the_future(db_path, "9999", wal)
    before = _snapshot(db_path.parent)
    proc = run_cli("check", db=db_path)
    assert proc.returncode == 2
    (line,) = proc.stderr.strip().splitlines()
    assert "newer version" in line and "9999" in line
    assert "OK" not in proc.stdout
    assert _snapshot(db_path.parent) == before
