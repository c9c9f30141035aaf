"""A damaged register (truncated, random bytes, a junk write-ahead log) is kept byte-for-byte, and
the clerk is offered the newest good backup, with its date, or a fresh start."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import shutil
from pathlib import Path

import pytest

from pcc_desk import backup, storage
from pcc_desk.errors import DatabaseDamaged, NotFound
from pcc_desk.services import Desk, register


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()
    }


@pytest.fixture
def filled(db_path) -> Path:
    """A register with a few rows and two backups (an older and a newer one)."""
    location = storage.resolve_location(db_path)
    with Desk.open(db_path) as desk:
        for i in range(40):
            register.add_recommendation(desk, f"Recommendation {i} " + "text " * 80)
        backup.take_backup(location, "auto", dt.datetime(2026, 5, 1, 9, 15))
        register.add_recommendation(desk, "In the newer backup only")
        backup.take_backup(location, "auto", dt.datetime(2026, 5, 4, 16, 40))
    return db_path


def _truncate(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


def _truncate_mid_page(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size - 100)


def _random_bytes(path: Path) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.seek(size // 2)
        handle.write(random.Random(7).randbytes(8192))


def _all_random(path: Path) -> None:
    path.write_bytes(random.Random(8).randbytes(path.stat().st_size))


def _junk_wal(path: Path) -> None:
    storage.sidecars(path)[0].write_bytes(random.Random(9).randbytes(20_000))


def _short_wal(path: Path) -> None:
    storage.sidecars(path)[0].write_bytes(b"\x37\x7f\x06\x82\x00")


DAMAGE = {
    "truncated": _truncate,
    "truncated-mid-page": _truncate_mid_page,
    "random-bytes-inside": _random_bytes,
    "all-random-bytes": _all_random,
    "junk-wal": _junk_wal,
    "short-wal": _short_wal,
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_register_is_kept_byte_for_byte_and_the_offer_names_the_newest_good_backup(
    filled, damage
):
    DAMAGE[damage](filled)
    before = _snapshot(filled.parent)
    with pytest.raises(DatabaseDamaged) as info:
        Desk.open(filled)
    assert _snapshot(filled.parent) == before, "nothing written, nothing created"
    message = str(info.value)
    assert filled.name in message and "\n" not in message
    offer = info.value.offer
    assert offer is not None
    assert offer.choices == ("restore-latest", "fresh")
    assert offer.backup.taken == dt.datetime(2026, 5, 4, 16, 40)
    assert "4 May 2026 at 16:40" in offer.describe()


def test_restoring_the_latest_good_backup_after_damage(filled):
    _truncate(filled)
    damaged_hash = hashlib.sha256(filled.read_bytes()).hexdigest()
    location = storage.resolve_location(filled)
    result = backup.recover(location, "restore-latest")
    with Desk.open(filled) as desk:
        texts = [r.text for r in register.list_recommendations(desk)]
    assert len(texts) == 41 and "In the newer backup only" in texts
    kept = result.set_aside[0]
    assert "damaged" in kept.name and kept.parent == filled.parent
    assert hashlib.sha256(kept.read_bytes()).hexdigest() == damaged_hash
    assert "kept as" in result.describe()


def test_a_damaged_newest_backup_is_skipped_for_the_older_good_one(filled):
    location = storage.resolve_location(filled)
    newest, older = backup.list_backups(location)
    _random_bytes(newest.path)
    _all_random(filled)
    with pytest.raises(DatabaseDamaged) as info:
        Desk.open(filled)
    assert info.value.offer.backup.path == older.path
    assert "1 May 2026 at 09:15" in info.value.offer.describe()
    backup.recover(location, "restore-latest")
    with Desk.open(filled) as desk:
        assert len(register.list_recommendations(desk)) == 40
    assert newest.path.exists(), "a damaged backup is not deleted either"


def test_a_fresh_start_sets_the_damaged_file_aside(filled):
    _junk_wal(filled)
    before = _snapshot(filled.parent)
    location = storage.resolve_location(filled)
    result = backup.recover(location, "fresh")
    assert {p.name.rsplit(".", 1)[-1] for p in result.set_aside} == {"sqlite3", "sqlite3-wal"}
    kept = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in result.set_aside}
    assert sorted(kept.values()) == sorted(
        v for k, v in before.items() if k.startswith("register.sqlite3")
    )
    with Desk.open(filled) as desk:
        assert register.list_recommendations(desk) == []


def test_without_backups_the_only_offer_is_a_fresh_start(tmp_path):
    path = tmp_path / "reg.sqlite3"
    path.write_bytes(b"not a database at all " * 50)
    with pytest.raises(DatabaseDamaged) as info:
        Desk.open(path)
    assert info.value.offer.choices == ("fresh",)
    assert "no good backup" in info.value.offer.describe()
    with pytest.raises(NotFound):
        backup.recover(storage.resolve_location(path), "restore-latest")
    assert path.read_bytes() == b"not a database at all " * 50


def test_a_healthy_register_after_a_crash_is_not_called_damaged(filled, tmp_path):
    """A write-ahead log left by a program that died mid-work is normal, not damage."""
    import subprocess
    import sys

    code = (
        "import os, sys\n"
        "from pcc_desk.services import Desk, register\n"
        "desk = Desk.open(sys.argv[1])\n"
        "register.add_recommendation(desk, 'Committed, then the program died')\n"
        "os._exit(9)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(filled)], check=False)
    assert storage.sidecars(filled)[0].stat().st_size > 0
    with Desk.open(filled) as desk:
        assert "Committed, then the program died" in [
            r.text for r in register.list_recommendations(desk)
        ]


def test_an_unreadable_file_is_reported_not_crashed_on(filled, monkeypatch):
    """As when another program holds the file or permissions forbid it (simulated: tests run as root)."""
    import builtins

    real_open = builtins.open

    def refusing_open(file, *args, **kwargs):
        if Path(file) == filled:
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing_open)
    with pytest.raises(DatabaseDamaged, match=r"cannot be read \(Permission denied") as info:
        Desk.open(filled)
    assert info.value.offer is not None


def test_cli_reports_damage_in_one_line_with_the_way_out(filled, run_cli):
    _truncate(filled)
    before = _snapshot(filled.parent)
    proc = run_cli("list", db=filled)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "damaged" in lines[0] and "pcc-desk check" in lines[0]
    assert _snapshot(filled.parent) == before


def test_recover_refuses_an_unknown_choice(filled):
    from pcc_desk.errors import InvalidInput

    with pytest.raises(InvalidInput):
        backup.recover(storage.resolve_location(filled), "shrug")


def test_copy_of_a_good_backup_restores_even_if_it_was_in_wal_mode(filled, tmp_path):
    """Backups written by older versions kept the WAL flag in their header; they restore too."""
    location = storage.resolve_location(filled)
    newest = backup.list_backups(location)[0]
    wal_mode = tmp_path / "copy.sqlite3"
    shutil.copyfile(newest.path, wal_mode)
    import sqlite3

    conn = sqlite3.connect(wal_mode)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    backup.restore(location, wal_mode)
    with Desk.open(filled) as desk:
        assert len(register.list_recommendations(desk)) == 41
