"""A register in a folder (or a file) whose name holds URI and URL syntax: # ? % %25 & ' " ; spaces,
non-ASCII, a trailing dot or space. Every path that opens the file must open *that* file: the engine,
the read-only reads, the health check, backups, the backup scheduler's look-out, restore, recovery,
migrations and the start-up read-ahead. Each is checked by counting rows in the real file (through a
plain-path connection, which no URI syntax can misread), and nothing stray may appear beside it."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest

from pcc_desk import backup, storage
from pcc_desk.errors import DatabaseDamaged
from pcc_desk.services import Desk, register

FIXTURE_0001 = Path(__file__).parent / "fixtures" / "db" / "register-0001.sqlite3"

FOLDERS = [
    "PCC #2",
    "what?",
    "100%",
    "a%25b",
    "%2F%23%3F",
    "a&b=c",
    "O'Brien",
    'say "hi"',
    "semi;colon",
    "two  spaces",
    "Ünïcødé 文書",
    "trailing.",
    "trailing ",
    "plus+sign",
    "all #?%&'\"; at once ",
]


def _count(path: Path) -> int:
    conn = sqlite3.connect(str(path))  # a plain file name: no URI syntax involved
    try:
        return conn.execute("SELECT count(*) FROM recommendations").fetchone()[0]
    finally:
        conn.close()


def _add(path: Path, n: int, word: str) -> None:
    with Desk.open(path) as desk:
        for i in range(n):
            register.add_recommendation(desk, f"{word} {i}")


def _everything_under(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_opener_reads_and_writes_the_register_in_its_own_folder(tmp_path, folder):
    root = tmp_path / "parent"
    root.mkdir()
    path = root / folder / "pcc-desk.sqlite3"
    location = storage.resolve_location(path)
    assert location.path == path.resolve()

    # the engine: a new register, then rows written and read back
    _add(path, 3, "first")
    assert _count(path) == 3
    with Desk.open(path) as desk:
        assert len(register.list_recommendations(desk)) == 3
    # read-only reads (the register's table, read with the standard library)
    assert len(register.read_register_table(path).rows) == 3
    assert storage.stored_revision(path) == storage.HEAD_REVISION
    # backups: a copy of *this* register
    taken = backup.take_backup(location, "manual")
    assert _count(taken.path) == 3
    assert backup.newest_good_backup(location).path == taken.path
    # the scheduler notices another program's write to this file
    with Desk.open(path) as desk:
        policy = backup.BackupPolicy(desk)
        assert not policy.changed()
        _add(path, 2, "second")
        assert policy.changed()
        policy.close()
    assert _count(path) == 5
    # restore: the backup's 3 rows come back, the 5-row file is set aside beside it
    result = backup.restore(location, taken.path)
    assert _count(path) == 3 and _count(result.set_aside[0]) == 5
    assert result.set_aside[0].parent == path.parent
    # the health check looks at this file: damage it, and it is found (and recovery restores)
    storage.check_health(path)
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size // 2)
    with pytest.raises(DatabaseDamaged) as damaged:
        Desk.open(path)
    assert damaged.value.offer.backup.path == taken.path
    assert storage.thorough_check(path)
    backup.recover(location, "restore-latest")
    assert _count(path) == 3
    # nothing stray in the parent folder, where a cut-off address would have put a file
    assert sorted(p.name for p in root.iterdir()) == [folder]


@pytest.mark.parametrize("folder", ["PCC #2", "what?", "a%25b", "all #?%&'\"; at once "])
def test_an_old_register_in_such_a_folder_is_migrated_in_place_with_its_backup(tmp_path, folder):
    path = tmp_path / folder / "pcc-desk.sqlite3"
    path.parent.mkdir()
    shutil.copyfile(FIXTURE_0001, path)
    with Desk.open(path) as desk:
        assert len(register.list_recommendations(desk)) == 2
    assert storage.stored_revision(path) == storage.HEAD_REVISION
    (kept,) = backup.list_backups(storage.resolve_location(path))
    assert kept.label == "before-migration-from-0001" and _count(kept.path) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder]


@pytest.mark.parametrize("folder", ["PCC #2", "a%25b", "what?"])
def test_the_command_line_opens_the_register_in_such_a_folder(tmp_path, cli, folder):
    path = tmp_path / folder / "pcc-desk.sqlite3"
    cli("add", "--text", "From the command line", db=path, check_rc=0)
    proc = cli("list", db=path, check_rc=0)
    assert "From the command line" in proc.stdout and not proc.stderr
    cli("backup", db=path, check_rc=0)
    proc = cli("check", db=path, check_rc=0)
    assert "OK" in proc.stdout
    assert _count(path) == 1
    assert {p.name for p in tmp_path.iterdir()} - {"user-data"} == {folder}


@pytest.mark.parametrize("name", ["register #1.sqlite3", "what?.sqlite3", "x%25y.sqlite3"])
def test_the_file_name_itself_may_hold_such_characters(tmp_path, name):
    path = tmp_path / name
    _add(path, 2, "named")
    location = storage.resolve_location(path)
    taken = backup.take_backup(location)
    assert _count(path) == 2 and _count(taken.path) == 2
    storage.check_health(path)
    assert len(register.read_register_table(path).rows) == 2


@pytest.mark.parametrize("folder", ["PCC #2", "a%25b", "what?"])
def test_a_sqlite_url_naming_such_a_folder_opens_the_same_file(tmp_path, folder):
    path = tmp_path / folder / "pcc-desk.sqlite3"
    _add(path, 1, "by path")
    url = storage.sqlite_address(path, sqlalchemy=True)
    assert storage.resolve_location(url).path == path
    # SQLite's own URI inside a SQLAlchemy URL: SQLAlchemy decodes it once, SQLite once more
    uri = quote(storage.sqlite_address(path), safe=":/")
    assert storage.resolve_location(f"sqlite:///{uri}?uri=true").path == path
    with Desk.open(url) as desk:
        register.add_recommendation(desk, "by URL")
    assert _count(path) == 2


def test_no_module_opens_a_sqlite_file_but_through_the_one_address():
    """Every opener of a register file goes through storage.sqlite_address (storage.connect, the
    engine): a path written into a URI by hand misreads such folders (a laptop copy in "PCC #2" was
    read as schema "none" and never synced). Only an in-memory database is opened directly."""
    package = Path(__file__).resolve().parent.parent / "pcc_desk"
    direct = [
        f"{path.relative_to(package)}:{n}"
        for path in sorted(package.rglob("*.py"))
        if path.name != "location.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "sqlite3.connect(" in line and 'sqlite3.connect(":memory:")' not in line
    ]
    assert direct == []
