"""An upgrade is one transaction, every migration with its version stamp: one that fails or is killed
part-way (in any of its migrations) leaves the register at the revision it had, intact; the next
start upgrades it; and attempts that did not finish do not pile up permanent backups (one backup per
upgrade, whatever happened)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from pcc_desk import backup, search, storage
from pcc_desk.services import Desk, register
from pcc_desk.services import search as search_service

REPO = Path(__file__).resolve().parent.parent
FIXTURE_0001 = Path(__file__).parent / "fixtures" / "db" / "register-0001.sqlite3"


def _register_at_0001(path: Path, n: int) -> None:
    """A register at revision 0001 (before full-text search) holding ``n`` recommendations: the
    stored register an 0001 version made, its rows replaced by ``n`` made like its first one (today's
    services write tables that 0001 does not have)."""
    shutil.copyfile(FIXTURE_0001, path)
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    first = dict(conn.execute("SELECT * FROM recommendations ORDER BY ref").fetchone())
    for table in ("status_changes", "responses", "recommendations"):
        conn.execute(f"DELETE FROM {table}")
    for i in range(n):
        row = first | {
            "id": uuid.uuid4().hex,
            "ref": f"PCC-2023-03-17/{i + 1:03d}",
            "text": f"Recommendation {i} about neighbourhood policing",
        }
        conn.execute(
            f"INSERT INTO recommendations ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            tuple(row.values()),
        )
    conn.commit()
    conn.close()
    assert storage.stored_revision(path) == "0001"


def _state(path: Path) -> tuple[str, int, set[str], list]:
    conn = sqlite3.connect(str(path))
    try:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        rows = conn.execute("SELECT count(*) FROM recommendations").fetchone()[0]
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        check = conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()
    return revision, rows, {n for n in names if n.startswith(("search_", "fts_"))}, check


def _backups(path: Path) -> list[backup.BackupInfo]:
    return backup.list_backups(storage.resolve_location(path))


def _open_and_die(path: Path, revision: str = "0002") -> int:
    env = dict(os.environ, PYTHONPATH=str(REPO), **{storage.ENV_TEST_EXIT_IN_MIGRATION: revision})
    proc = subprocess.run(
        [sys.executable, "-c", "import sys\nfrom pcc_desk.services import Desk\nDesk.open(sys.argv[1])", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    return proc.returncode


@pytest.mark.parametrize(
    ("n", "killed_in"),
    [(1, "0002"), (37, "0002"), (250, "0002"), (5, storage.HEAD_REVISION), (120, "*")],
)
def test_a_migration_killed_part_way_leaves_the_old_revision_and_one_backup(tmp_path, n, killed_in):
    path = tmp_path / "pcc-desk.sqlite3"
    _register_at_0001(path, n)
    for attempt in range(3):
        assert _open_and_die(path, killed_in) == 71, "killed inside the migration's transaction"
        revision, rows, search_tables, check = _state(path)
        assert (revision, rows, search_tables, check) == ("0001", n, set(), [("ok",)]), attempt
        (kept,) = _backups(path)  # not one more per attempt
        assert kept.label == "before-migration-from-0001-unfinished" and not kept.rotates
        assert _state(kept.path)[:2] == ("0001", n)
    with Desk.open(path) as desk:
        hits = search_service.search(desk, "neighbourhood policing")
        assert len(hits) == min(n, 20)
        assert len(register.list_recommendations(desk)) == n
    assert _state(path)[0] == storage.HEAD_REVISION
    (kept,) = _backups(path)
    assert kept.label == "before-migration-from-0001"
    assert _state(kept.path)[:2] == ("0001", n)


def test_a_migration_that_fails_part_way_is_rolled_back_whole(tmp_path, monkeypatch):
    """The index and its triggers are created, then the migration fails: nothing of it remains (the
    driver's own transaction handling would have committed each CREATE at once)."""
    path = tmp_path / "pcc-desk.sqlite3"
    _register_at_0001(path, 12)
    real_install = search.install

    class DiskFault(Exception):
        pass

    def install_then_fail(connection):
        real_install(connection)
        raise DiskFault

    monkeypatch.setattr(search, "install", install_then_fail)
    with pytest.raises(DiskFault):
        Desk.open(path)
    assert _state(path) == ("0001", 12, set(), [("ok",)])
    monkeypatch.undo()
    with Desk.open(path) as desk:
        assert len(search_service.search(desk, "policing")) == 12
    assert [b.label for b in _backups(path)] == ["before-migration-from-0001"]


def test_a_first_start_killed_while_the_register_is_made_leaves_nothing_under_its_name(tmp_path):
    path = tmp_path / "data" / "pcc-desk.sqlite3"
    path.parent.mkdir()
    for revision in ("0001", "0002"):
        assert _open_and_die(path, revision) == 71
        assert not path.exists()
        # (the dead process's register lock file may stay; the system has let go of the lock)
        assert [p.name for p in path.parent.iterdir() if not p.name.startswith(".")] in (
            [],
            ["pcc-desk.sqlite3.in-use"],
        )
    with Desk.open(path) as desk:
        register.add_recommendation(desk, "The first")
    assert _state(path)[:2] == (storage.HEAD_REVISION, 1)
    assert _backups(path) == []
