"""Backups: checked copies, Anki-like rotation over a fake year, the scheduler, listing, restore."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pcc_desk import backup, storage
from pcc_desk.backup import BackupInfo, BackupPolicy, Limits
from pcc_desk.errors import DatabaseDamaged, NotFound
from pcc_desk.services import Desk, register


def _refs(path: Path) -> list[str]:
    with Desk.open(path) as desk:
        return [r.ref for r in register.list_recommendations(desk)]


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- rotation over a fake year ------------------------------------------------------------------


def _expected_kept(backups: list[BackupInfo], now: dt.datetime, limits: Limits) -> set[Path]:
    """The rule, computed independently by grouping: newest of each of the 12 latest days, then of
    each of the 10 weeks before the last of those days' week, then of each of the 9 months before the
    last kept week's month; plus everything from today."""
    newest_first = sorted(backups, key=lambda b: b.taken, reverse=True)

    def newest_per(key):
        groups: dict = {}
        for b in newest_first:
            groups.setdefault(key(b), b)
        return groups

    days = newest_per(lambda b: b.taken.date())
    kept_days = sorted(days, reverse=True)[: limits.daily]
    kept = {days[d].path for d in kept_days}
    last_week = backup.week_of(kept_days[-1])
    last_month = (kept_days[-1].year, kept_days[-1].month)
    weeks = newest_per(lambda b: backup.week_of(b.taken.date()))
    kept_weeks = sorted((w for w in weeks if w < last_week), reverse=True)[: limits.weekly]
    kept |= {weeks[w].path for w in kept_weeks}
    if kept_weeks:
        w = weeks[kept_weeks[-1]].taken
        last_month = (w.year, w.month)
    months = newest_per(lambda b: (b.taken.year, b.taken.month))
    kept_months = sorted((m for m in months if m < last_month), reverse=True)[: limits.monthly]
    kept |= {months[m].path for m in kept_months}
    kept |= {b.path for b in backups if b.taken.date() == now.date()}
    return kept


def test_rotation_over_a_fake_year_keeps_exactly_12_daily_10_weekly_9_monthly():
    """Backups taken as a clerk works (weekdays, a few a day, a holiday gap), rotated after each one."""
    limits = backup.LIMITS
    start = dt.datetime(2025, 1, 6, 9, 0)
    alive: list[BackupInfo] = []
    every: list[BackupInfo] = []
    now = start
    for day in range(400):
        date = start + dt.timedelta(days=day)
        if date.weekday() >= 5 or dt.date(2025, 8, 1) <= date.date() <= dt.date(2025, 8, 20):
            continue
        for hour in (9, 12, 16):
            now = date.replace(hour=hour, minute=day % 60)
            info = BackupInfo(Path(f"b-{now:%Y%m%d-%H%M}"), now, "auto")
            alive.append(info)
            every.append(info)
            keep = backup.backups_to_keep(alive, now, limits)
            alive = [b for b in alive if b.path in keep]
            assert len(alive) <= limits.daily + limits.weekly + limits.monthly + 3
    kept = {b.path for b in alive}
    assert kept == _expected_kept(every, now, limits)
    assert kept == backup.backups_to_keep(every, now, limits), "rotating each time = rotating once"
    days = {b.taken.date() for b in alive}
    assert len([b for b in alive if b.taken.date() == now.date()]) == 3  # all of today's
    assert len(days) == limits.daily + limits.weekly + limits.monthly
    weeks = {backup.week_of(d) for d in days}
    months = {(d.year, d.month) for d in days}
    assert len(weeks) >= limits.weekly + 1 and len(months) >= limits.monthly + 1
    oldest = min(b.taken for b in alive)
    assert (now - oldest).days > 300  # the monthly backups reach back most of a year
    # the newest backup of each kept day is the one kept
    for b in alive:
        if b.taken.date() != now.date():
            assert b.taken == max(x.taken for x in every if x.taken.date() == b.taken.date())


def test_backups_taken_before_a_migration_are_never_rotated_out():
    now = dt.datetime(2026, 6, 1, 12)
    old = BackupInfo(Path("m"), dt.datetime(2020, 1, 1), "before-migration-from-0001")
    recent = [BackupInfo(Path(f"d{i}"), now - dt.timedelta(days=i), "auto") for i in range(400)]
    keep = backup.backups_to_keep([old, *recent], now)
    assert Path("m") in keep
    assert len(keep) == 1 + 12 + 10 + 9


def test_real_backup_files_rotate_on_disk(desk):
    """Six weeks of real checked backups through take_backup: the folder holds the kept set."""
    register.add_recommendation(desk, "Backed up")
    start = dt.datetime(2026, 1, 1, 10)
    taken = []
    for day in range(45):
        now = start + dt.timedelta(days=day)
        taken.append(
            backup.take_backup(desk.location, "auto", now, Limits(daily=3, weekly=2, monthly=1))
        )
    on_disk = backup.list_backups(desk.location)
    expected = _expected_kept(taken, now, Limits(daily=3, weekly=2, monthly=1))
    assert {b.path for b in on_disk} == expected
    assert len(on_disk) == 6
    assert [b.taken for b in on_disk] == sorted((b.taken for b in on_disk), reverse=True)
    assert not list(desk.location.backups_dir.glob("*.partial"))


# --- a backup is a checked, self-contained copy ---------------------------------------------------


def test_backup_is_a_complete_copy_of_the_live_database(desk):
    register.add_recommendation(desk, "Written before the backup")
    info = backup.take_backup(desk.location)  # while the Desk is open (WAL not yet checkpointed)
    assert info.path.parent == desk.location.backups_dir
    assert storage.quick_check(info.path)
    conn = sqlite3.connect(info.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("SELECT text FROM recommendations").fetchall() == [
        ("Written before the backup",)
    ]
    conn.close()
    listed = backup.list_backups(desk.location)
    assert [b.path for b in listed] == [info.path]
    assert "at" in listed[0].describe() and str(info.taken.year) in listed[0].describe()


def test_a_backup_that_fails_its_check_is_discarded_and_older_backups_kept(db_path):
    location = storage.resolve_location(db_path)
    with Desk.open(db_path) as desk:
        for i in range(60):
            register.add_recommendation(desk, f"Recommendation number {i} " + "x" * 400)
    first = backup.take_backup(location, now=dt.datetime(2026, 1, 1))
    # damage a page of an index (whatever the layout of the file: quick_check reports a damaged index
    # page, where a damaged table page can stop it with an error): the backup API copies it faithfully
    conn = sqlite3.connect(db_path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    (page,) = conn.execute(
        "SELECT max(pageno) FROM dbstat WHERE name = 'ix_status_changes_recommendation_id'"
    ).fetchone()
    conn.close()
    with open(db_path, "r+b") as handle:
        handle.seek((page - 1) * page_size)
        handle.write(b"\xff" * page_size)
    from pcc_desk.errors import BackupFailed

    with pytest.raises(BackupFailed, match="fails its check"):
        backup.take_backup(location, now=dt.datetime(2027, 6, 1))
    assert [b.path for b in backup.list_backups(location)] == [first.path]
    assert list(location.backups_dir.iterdir()) == [first.path]


# --- the scheduler --------------------------------------------------------------------------------


def test_policy_backs_up_only_after_changes_and_at_most_every_30_minutes(desk):
    t0 = dt.datetime(2026, 3, 2, 9, 0)
    policy = BackupPolicy(desk)
    assert policy.maybe_backup(t0) is None, "nothing changed since opening"
    register.add_recommendation(desk, "First change")
    first = policy.maybe_backup(t0)
    assert first is not None and first.label == "auto"
    assert policy.maybe_backup(t0 + dt.timedelta(minutes=5)) is None, "nothing changed since"
    register.add_recommendation(desk, "Second change")
    assert policy.maybe_backup(t0 + dt.timedelta(minutes=29)) is None, "too soon"
    second = policy.maybe_backup(t0 + dt.timedelta(minutes=30))
    assert second is not None
    assert policy.on_exit(t0 + dt.timedelta(minutes=31)) is None, "no change since the last backup"
    assert len(backup.list_backups(desk.location)) == 2


def test_policy_takes_a_backup_on_exit_when_something_changed(desk):
    t0 = dt.datetime(2026, 3, 2, 9, 0)
    policy = BackupPolicy(desk)
    register.add_recommendation(desk, "Changed")
    assert policy.maybe_backup(t0) is not None
    register.add_recommendation(desk, "Changed again, just before closing")
    info = policy.on_exit(t0 + dt.timedelta(minutes=2))
    assert info is not None and info.label == "on-exit"
    conn = sqlite3.connect(info.path)
    assert conn.execute("SELECT count(*) FROM recommendations").fetchone()[0] == 2
    conn.close()


def test_policy_notices_changes_made_by_another_program(desk, run_cli):
    policy = BackupPolicy(desk)
    run_cli("add", "--text", "Added from the command line", db=desk.location.path, check_rc=0)
    assert desk.change_count == 0
    assert policy.changed()
    assert policy.maybe_backup(dt.datetime(2026, 3, 2, 9)) is not None


def test_policy_counts_the_interval_from_the_newest_backup_on_disk(desk):
    t0 = dt.datetime(2026, 3, 2, 9, 0)
    backup.take_backup(desk.location, "auto", t0)
    policy = BackupPolicy(desk)
    register.add_recommendation(desk, "Changed soon after restarting")
    assert policy.maybe_backup(t0 + dt.timedelta(minutes=10)) is None
    assert policy.maybe_backup(t0 + dt.timedelta(minutes=31)) is not None


def test_a_backup_dated_in_the_future_does_not_stop_backups(desk):
    """The laptop's clock was wrong once: a backup named for next year must not block them all."""
    backup.take_backup(desk.location, "auto", dt.datetime(2030, 1, 1, 9))
    policy = BackupPolicy(desk)
    register.add_recommendation(desk, "Changed")
    assert policy.maybe_backup(dt.datetime(2026, 3, 2, 9)) is not None


# --- restore ----------------------------------------------------------------------------------------


def test_restore_round_trips_and_sets_the_current_file_aside(db_path):
    with Desk.open(db_path) as desk:
        register.add_recommendation(desk, "In the backup")
        saved = backup.take_backup(desk.location, now=dt.datetime(2026, 4, 1, 10))
        register.add_recommendation(desk, "Added after the backup")
    current_hash = _hash(db_path)
    location = storage.resolve_location(db_path)
    result = backup.restore(location, saved.path, now=dt.datetime(2026, 4, 2, 11))
    assert result.restored_from == saved.path
    with Desk.open(db_path) as desk:
        assert [r.text for r in register.list_recommendations(desk)] == ["In the backup"]
    aside = result.set_aside[0]
    assert aside.parent == db_path.parent and "replaced-20260402-110000" in aside.name
    assert _hash(aside) == current_hash, "the previous file is kept byte-for-byte"
    with Desk.open(aside) as desk:
        assert len(register.list_recommendations(desk)) == 2
    assert saved.path.exists(), "the backup itself stays"


def test_restore_after_a_crash_sets_aside_the_write_ahead_log_with_the_file(db_path):
    saved = backup.take_backup(storage.resolve_location(db_path))
    # a program that commits and dies leaves its changes in the -wal
    code = (
        "import os, sys\n"
        "from pcc_desk.services import Desk, register\n"
        "desk = Desk.open(sys.argv[1])\n"
        "register.add_recommendation(desk, 'Only in the WAL')\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(db_path)], check=True)
    wal, _shm = storage.sidecars(db_path)
    assert wal.stat().st_size > 0
    wal_hash = _hash(wal)
    result = backup.restore(storage.resolve_location(db_path), saved.path)
    by_ending = {p.name.rsplit(".", 1)[-1]: p for p in result.set_aside}
    assert set(by_ending) == {"sqlite3", "sqlite3-wal", "sqlite3-shm"}
    assert _hash(by_ending["sqlite3-wal"]) == wal_hash
    assert _refs(db_path) == []
    assert _refs(by_ending["sqlite3"]) == ["PCC-" + dt.date.today().isoformat() + "/01"]


def test_restoring_a_damaged_backup_changes_nothing(db_path, tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x10\x00" + b"\x00" * 200)
    before = _hash(db_path)
    with pytest.raises(DatabaseDamaged, match="Nothing was changed"):
        backup.restore(storage.resolve_location(db_path), bad)
    assert _hash(db_path) == before
    assert not list(db_path.parent.glob("register.replaced-*"))
    with pytest.raises(NotFound):
        backup.restore(storage.resolve_location(db_path), tmp_path / "missing.sqlite3")


def test_a_half_written_backup_left_by_a_crash_is_cleared_later_but_not_at_once(desk):
    folder = desk.location.backups_dir
    folder.mkdir(parents=True)
    old = folder / "register-20260101-100000-000000-auto.partial"
    fresh = folder / "register-20260101-110000-000000-auto.partial"
    old.write_bytes(b"half")
    fresh.write_bytes(b"being written by another copy")
    import os as _os
    import time as _time

    _os.utime(old, (_time.time() - 7200, _time.time() - 7200))
    backup.take_backup(desk.location)
    assert not old.exists() and fresh.exists()
    assert all(b.path.suffix == ".sqlite3" for b in backup.list_backups(desk.location))


def test_a_restore_that_fails_half_way_puts_the_previous_file_back(db_path, monkeypatch):
    location = storage.resolve_location(db_path)
    saved = backup.take_backup(location)
    with Desk.open(db_path) as desk:
        register.add_recommendation(desk, "Must not be lost")
    before = _hash(db_path)

    def disk_full(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup.shutil, "copyfile", disk_full)
    with pytest.raises(DatabaseDamaged, match=r"No space left on device.*put back"):
        backup.restore(location, saved.path)
    assert _hash(db_path) == before
    assert not list(db_path.parent.glob("register.replaced-*"))
    with Desk.open(db_path) as desk:
        assert "Must not be lost" in [r.text for r in register.list_recommendations(desk)]
