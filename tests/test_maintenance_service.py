"""services.maintenance, the one door the desktop and the command line share for a register's
health, backups and lock: damaged files of several kinds are refused with the recovery offer and
left as they were; backups are found by path or by name; the answers are frozen values."""

from __future__ import annotations

import dataclasses
import hashlib
import random
from pathlib import Path

import pytest

from pcc_desk.errors import DatabaseDamaged, InvalidInput, NotFound
from pcc_desk.services import Desk, maintenance, register


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fill(path: Path, rows: int) -> maintenance.Location:
    location = maintenance.file_location(path)
    with Desk.open(path) as desk:
        for i in range(rows):
            register.add_recommendation(desk, f"Recommendation {i} " + "words " * (20 + i))
    return location


def _cut(path: Path, seed: int) -> None:
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size * random.Random(seed).randint(20, 80) // 100)


def _scribble(path: Path, seed: int) -> None:
    rng = random.Random(seed)
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.seek(rng.randint(size // 4, size // 2))
        handle.write(rng.randbytes(rng.choice([4096, 8192, 12000])))


@pytest.mark.parametrize("rows", [3, 60])
@pytest.mark.parametrize("damage", [_cut, _scribble])
@pytest.mark.parametrize("seed", [1, 2])
def test_a_damaged_register_is_refused_with_the_offer_and_left_as_it_was(
    tmp_path, rows, damage, seed
):
    path = tmp_path / f"reg-{rows}-{seed}" / "pcc-desk.sqlite3"
    location = _fill(path, rows)
    taken = maintenance.take_backup(location, "manual")
    assert maintenance.check_health(location).newest_backup.path == taken.path
    damage(path, seed)
    before = _digest(path)
    with pytest.raises(DatabaseDamaged) as info:
        maintenance.check_health(location)
    assert info.value.offer is not None and info.value.offer.backup.path == taken.path
    assert _digest(path) == before
    with pytest.raises(DatabaseDamaged) as opened:  # opening the register offers the same
        Desk.open(path)
    assert opened.value.offer.backup.path == taken.path
    result = maintenance.recover(location, maintenance.CHOICE_RESTORE_LATEST)
    assert maintenance.check_health(location).revision is not None
    with Desk.open(path) as desk:
        assert len(register.list_recommendations(desk)) == rows
    assert result.describe()


def test_health_backups_and_restore_by_name_or_path(tmp_path):
    path = tmp_path / "pcc-desk.sqlite3"
    location = maintenance.file_location(path)
    with pytest.raises(NotFound):
        maintenance.check_health(location)
    _fill(path, 2)
    first = maintenance.take_backup(location, "manual")
    with Desk.open(path) as desk:
        register.add_recommendation(desk, "After the first backup")
    second = maintenance.take_backup(location, "manual")
    health = maintenance.check_health(location)
    with pytest.raises(dataclasses.FrozenInstanceError):
        health.name = "other"  # type: ignore[misc]
    assert [b.path for b in maintenance.list_backups(location)] == [second.path, first.path]
    maintenance.restore_backup(location, first.path.name)  # its name in the backups folder
    with Desk.open(path) as desk:
        assert len(register.list_recommendations(desk)) == 2
    maintenance.restore_backup(location, second.path)  # or its path
    with Desk.open(path) as desk:
        assert len(register.list_recommendations(desk)) == 3
    assert maintenance.is_current(path)
    assert maintenance.clear_lock(location).state is maintenance.LockState.FREE
    assert "no lock" in maintenance.clear_lock(location).describe()


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("postgresql+psycopg://clerk@localhost/pcc", "team register is backed up on its server"),
        ("postgresql://clerk@db.example/pcc", "team register is backed up on its server"),
        ("mysql://clerk@localhost/pcc", "SQLite file"),
    ],
)
def test_server_databases_are_refused_in_one_line_for_file_jobs(url, words):
    with pytest.raises(InvalidInput, match=words) as info:
        maintenance.file_location(url)
    assert "\n" not in str(info.value)


def test_maintenance_loads_no_sqlalchemy(tmp_path):
    """The desktop starts the file's check while SQLAlchemy loads: the door must not pull it in."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from pcc_desk.services import maintenance\n"
        f"maintenance.early_health_check(maintenance.locate({str(tmp_path / 'x.sqlite3')!r}))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
