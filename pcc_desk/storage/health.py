"""Is the file a sound register? Read-only looks at it: the stamped revision, the header and the
write-ahead log parsed by hand, ``PRAGMA quick_check``/``integrity_check``, the schema's fingerprint.
Nothing here writes to the register."""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import struct
from collections.abc import Iterator
from pathlib import Path

from pcc_desk.errors import (
    DatabaseDamaged,
    DatabaseTooNew,
)
from pcc_desk.storage.location import connect

# --- schema version ---------------------------------------------------------------------------

# The revisions this version can open: older ones are upgraded, a revision not listed here comes
# from a newer PCC Desk. A test checks them against the migration scripts, so that opening needs no
# Alembic (start-up skips importing it when the register is current).
HEAD_REVISION = "0012"
EARLIER_REVISIONS = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
)


def _is_known(revision: str) -> bool:
    return revision == HEAD_REVISION or revision in EARLIER_REVISIONS


def _not_a_register(name: str, tables: set[str]) -> DatabaseDamaged:
    if not tables:
        return DatabaseDamaged(
            f"{name} is damaged: it is an empty SQLite database, not a PCC Desk register "
            "(a copy that failed, or a file overwritten)."
        )
    return DatabaseDamaged(f"{name} is a SQLite file but not a PCC Desk register.")


def _read_revision(conn: sqlite3.Connection, name: str) -> str:
    try:
        return _revision_in(conn, name)
    except UnicodeDecodeError:  # the schema's page was overwritten with bytes that are not text
        raise DatabaseDamaged(
            f"{name} is damaged: the part of the file that describes its tables cannot be read "
            "(it has been overwritten)."
        ) from None


def _revision_in(conn: sqlite3.Connection, name: str) -> str:
    tables = {
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
    }
    if "alembic_version" not in tables:
        raise _not_a_register(name, tables)
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    if not row or not row[0]:
        raise DatabaseDamaged(
            f"{name} is damaged: it is not a complete PCC Desk register (its schema version is "
            "missing; a first start that was interrupted?)."
        )
    return str(row[0])


@contextlib.contextmanager
def _look(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection for a first look at the file. Without a -wal no one is writing it, so
    it is read as it is on disk (``immutable``), and no -wal or -shm is left beside a file that is
    then refused (a newer version's, or a damaged one)."""
    conn = connect(path, immutable=not sidecars(path)[0].exists())
    try:
        yield conn
    finally:
        conn.close()


def _empty_file(name: str) -> DatabaseDamaged:
    return DatabaseDamaged(
        f"{name} is damaged: the file is empty (0 bytes), as after a copy or a sync that failed, "
        "or a disk fault."
    )


def stored_revision(path: Path) -> str | None:
    """The Alembic revision stamped in the file, read without writing anything (and without leaving
    a -wal or -shm). None: there is no file yet. A file that is there but empty, not SQLite, or not a
    register raises :class:`DatabaseDamaged`."""
    path = Path(path)
    try:
        if path.stat().st_size == 0:
            raise _empty_file(path.name)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DatabaseDamaged(f"{path.name} cannot be read ({exc.strerror or exc}).") from None
    try:
        with _look(path) as conn:
            return _read_revision(conn, path.name)
    except sqlite3.DatabaseError as exc:
        raise DatabaseDamaged(f"{path.name} is not a readable database ({exc}).") from exc


@contextlib.contextmanager
def read_only_connection(path: Path, *, first_look: bool = False) -> Iterator[sqlite3.Connection]:
    """A standard-library connection that can only read the SQLite file at ``path`` (for the few
    bulk reads where SQLAlchemy's result processing costs more than the query). ``first_look``: as
    the health check's first look (:func:`_look`), for a file that may not be opened after all (a
    newer version's, read ahead at start-up before it is refused, stays untouched); the file is then
    read without locks when no one has it open, so the caller must check afterwards that it did not
    change meanwhile."""
    if first_look:
        with _look(path) as looking:
            yield looking
        return
    conn = connect(path)
    try:
        yield conn
    finally:
        conn.close()


def _too_new(name: str, revision: str) -> DatabaseTooNew:
    return DatabaseTooNew(
        f"{name} was saved by a newer version of PCC Desk (schema {revision}); "
        "it has not been changed. Please install the latest PCC Desk to open it."
    )


def check_revision(path: Path) -> str | None:
    """Raise :class:`DatabaseTooNew` for a revision this version does not know."""
    revision = stored_revision(path)
    if revision is not None and not _is_known(revision):
        raise _too_new(path.name, revision)
    return revision


DAMAGE_MARK_SUFFIX = ".damage-seen"


def damage_mark(path: Path) -> Path:
    """``<db>.damage-seen``: left when SQLite met damage while reading or saving, so that the next
    opening runs the full integrity check and offers the recovery (see :func:`check_health`)."""
    return Path(f"{path}{DAMAGE_MARK_SUFFIX}")


# --- health -----------------------------------------------------------------------------------

SQLITE_MAGIC = b"SQLite format 3\x00"
WAL_MAGICS = (0x377F0682, 0x377F0683)
WAL_VERSION = 3007000
WAL_HEADER = 32
WAL_FRAME_HEADER = 24
WAL_FRAMES_CHECKED = 4096  # a longer log (16 MB and more) is left to SQLite and the full check


def sidecars(path: Path) -> tuple[Path, Path]:
    """The write-ahead log and shared-memory files that belong with a database file."""
    return Path(f"{path}-wal"), Path(f"{path}-shm")


def _page_size(header: bytes) -> int:
    size = int.from_bytes(header[16:18], "big")
    return 65536 if size == 1 else size


def wal_checksum(data: bytes, big_endian: bool, s0: int = 0, s1: int = 0) -> tuple[int, int]:
    """SQLite's WAL checksum (Fletcher-like, over 32-bit words)."""
    words = struct.unpack(f"{'>' if big_endian else '<'}{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def _wal_problem(wal: Path, page_size: int | None) -> str:
    """What is wrong with the write-ahead log, in words ("" when nothing is).

    Besides its header: SQLite reads the log's frames up to the first one whose checksum fails and
    silently ignores the rest, so a damaged frame before later committed saves would make the
    register open without them, and the next save would overwrite them. A frame that fails while
    the frames after it still check (against the failing frame's stored checksum, or the one it
    should have had) and hold a later save's commit is that damage; a torn last save (a crash
    while writing it) is not."""
    with open(wal, "rb") as handle:
        header = handle.read(WAL_HEADER)
        if len(header) < WAL_HEADER:
            return "its write-ahead log is cut short"
        magic, version, wal_page_size = struct.unpack(">III", header[:12])
        if magic not in WAL_MAGICS or version != WAL_VERSION:
            return "its write-ahead log is not one SQLite wrote"
        big_endian = bool(magic & 1)
        s0, s1 = wal_checksum(header[:24], big_endian)
        if (s0, s1) != struct.unpack(">II", header[24:32]):
            return "its write-ahead log header is damaged"
        if page_size and wal_page_size != page_size:
            return "its write-ahead log belongs to another database"
        salts = header[16:24]
        frame_size = WAL_FRAME_HEADER + wal_page_size
        chain: list[tuple[int, int]] = [(s0, s1)]  # where the next frame's checksum may start from
        broken = False
        commits_to_damage = 0  # commits after the damaged frame that mean a whole save is lost
        for _ in range(WAL_FRAMES_CHECKED):
            frame = handle.read(frame_size)
            if len(frame) < frame_size:
                return ""  # the end of the log
            stored = struct.unpack(">II", frame[16:24])
            commit = bool(int.from_bytes(frame[4:8], "big"))
            sound = frame[8:16] == salts and any(
                _frame_checksum(frame, big_endian, start) == stored for start in chain
            )
            if not broken:
                if not sound:
                    if frame[8:16] != salts and not _near(frame[8:16], salts):
                        return ""  # an older log's frames: the end of this one
                    # The first frame SQLite would not read. Losing the save it belongs to is
                    # what a crash while writing the last save looks like; losing a later,
                    # complete save is damage.
                    broken = True
                    commits_to_damage = 1 if commit else 2
                    chain = [stored, _frame_checksum(frame, big_endian, chain[0])]
                    continue
            elif not sound:
                return ""  # the log ends here (a torn end), not damage in the middle
            elif commit:
                commits_to_damage -= 1
                if not commits_to_damage:
                    return "its write-ahead log is damaged (changes saved after the damage would be lost)"
            chain = [stored]
    return ""


def _frame_checksum(frame: bytes, big_endian: bool, start: tuple[int, int]) -> tuple[int, int]:
    s0, s1 = wal_checksum(frame[:8], big_endian, *start)
    return wal_checksum(frame[WAL_FRAME_HEADER:], big_endian, s0, s1)


def _near(a: bytes, b: bytes) -> bool:
    """Do two salts differ in a single bit (one flipped by damage)?"""
    return bin(int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).count("1") == 1


_HEADER_DAMAGED = "{name} is damaged (its header is not valid)."


def _header_problem(name: str, header: bytes, size: int, wal_frames: bool) -> str:
    """Cheap checks of the database header (the first 100 bytes; see SQLite's file format)."""
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        return f"{name} is not a SQLite database, or its first page is damaged."
    page_size = _page_size(header)
    if page_size < 512 or page_size & (page_size - 1):
        return _HEADER_DAMAGED.format(name=name)
    write_version, read_version, reserved = header[18], header[19], header[20]
    if write_version not in (1, 2) or read_version not in (1, 2) or page_size - reserved < 480:
        return _HEADER_DAMAGED.format(name=name)
    if header[21:24] != b"\x40\x20\x20" or header[72:92] != bytes(20):
        return _HEADER_DAMAGED.format(name=name)
    if size % page_size:
        return f"{name} is damaged: it has been cut short (truncated)."
    if wal_frames:
        return ""  # the rest of page 1 may be newer in the write-ahead log
    if int.from_bytes(header[44:48], "big") not in (1, 2, 3, 4) or header[56:60] not in (
        b"\0\0\0\1",
        b"\0\0\0\2",
        b"\0\0\0\3",
    ):
        return _HEADER_DAMAGED.format(name=name)
    pages = int.from_bytes(header[28:32], "big")
    if pages and header[24:28] == header[92:96]:  # the page count is valid
        if pages * page_size > size:
            return f"{name} is damaged: it has been cut short (truncated)."
        trunk = int.from_bytes(header[32:36], "big")
        free = int.from_bytes(header[36:40], "big")
        if free >= pages or trunk > pages or bool(trunk) != bool(free):
            return f"{name} is damaged: its list of free pages is not valid."
    return ""


def _freelist_problem(path: Path, name: str, header: bytes) -> str:
    """Walk the free-page list's trunk pages (a few pages at most): a damaged list makes the next
    save reuse pages that are still in use, which spreads the damage."""
    page_size = _page_size(header)
    pages = int.from_bytes(header[28:32], "big")
    trunk = int.from_bytes(header[32:36], "big")
    free = int.from_bytes(header[36:40], "big")
    if not trunk or header[24:28] != header[92:96]:
        return ""
    seen, counted = set(), 0
    with open(path, "rb") as handle:
        while trunk:
            if trunk in seen or trunk > pages or counted > free:
                return f"{name} is damaged: its list of free pages is not valid."
            seen.add(trunk)
            handle.seek((trunk - 1) * page_size)
            page = handle.read(8)
            if len(page) < 8:
                return f"{name} is damaged: it has been cut short (truncated)."
            trunk, leaves = int.from_bytes(page[:4], "big"), int.from_bytes(page[4:8], "big")
            if leaves > page_size // 4 - 2:
                return f"{name} is damaged: its list of free pages is not valid."
            counted += 1 + leaves
    if counted != free:
        return f"{name} is damaged: its list of free pages is not valid."
    return ""


def schema_fingerprint(conn: sqlite3.Connection) -> str:
    """A digest of the register's structure as SQLite reads it from the schema: its tables with their
    columns (names, declared types, constraints), indexes and foreign keys. A flipped byte there that
    still reads as valid SQL changes it. Not included: the full-text index's tables and triggers
    (``pcc-desk search-index`` checks and rebuilds those) and any other trigger; letter case in
    names (SQLite ignores it)."""
    parts = []
    tables = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'search_%' AND name != 'alembic_version' ORDER BY name"
    ).fetchall()
    for (name,) in tables:
        quoted = '"' + name.replace('"', '""') + '"'
        columns = conn.execute(f"PRAGMA table_xinfo({quoted})").fetchall()
        indexes = []
        for _seq, index, unique, origin, partial in conn.execute(f"PRAGMA index_list({quoted})"):
            quoted_index = '"' + index.replace('"', '""') + '"'
            cols = [str(c[2]).lower() for c in conn.execute(f"PRAGMA index_info({quoted_index})")]
            indexes.append(((index if origin == "c" else origin).lower(), unique, partial, cols))
        keys = conn.execute(f"PRAGMA foreign_key_list({quoted})").fetchall()
        parts.append(
            (
                name.lower(),
                [(c[1].lower(), str(c[2]).upper(), c[3], c[5], c[6]) for c in columns],
                sorted(indexes, key=repr),
                sorted(
                    (k[2].lower(), str(k[3]).lower(), str(k[4]).lower(), k[5], k[6]) for k in keys
                ),
            )
        )
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


# The structure of a sound register at the head revision (see :func:`schema_fingerprint`). A test
# builds a register from the migration scripts and upgrades each stored old one, and compares both
# with it. Older revisions are not compared: what an older version made may differ in ways that do
# not matter (the next migrations rebuild them), and a sound register must never be called damaged.
HEAD_SCHEMA_FINGERPRINT = "08f2a59871ebca9373d8147208887d8616535e40d21d312a8443755595f54ff2"


def _schema_problem(conn: sqlite3.Connection, name: str, revision: str) -> str:
    if revision == HEAD_REVISION and schema_fingerprint(conn) != HEAD_SCHEMA_FINGERPRINT:
        return (
            f"{name} is damaged: its tables are not those of a PCC Desk register "
            "(the part of the file that describes them has changed)."
        )
    return ""


def _remove_created(existed: dict[Path, bool]) -> None:
    """Leave the folder as it was found: remove the -wal and -shm a look at the file created."""
    wal = next(iter(existed))
    try:
        if not existed[wal] and wal.exists() and wal.stat().st_size:
            return  # someone has written to it meanwhile: not ours to remove
    except OSError:
        return
    for sidecar, was_there in existed.items():
        if not was_there:
            with contextlib.suppress(OSError):
                sidecar.unlink()


def check_health(path: Path, *, full: bool = True) -> None:
    """Raise :class:`DatabaseDamaged` unless ``path`` is absent or a sound PCC Desk register, and
    :class:`DatabaseTooNew` for one from a newer version.

    ``full=False``: the cheap checks only (no whole-file read; milliseconds on any size of file):
    what opening does when the full check is not due or runs in the background
    (:mod:`pcc_desk.storage.checking`).

    Reads only, cheapest first: the file's size and header (page size, fixed fields, page count
    against the file's size, the free-page list), the write-ahead log (its header, and a damaged
    frame before a commit), the schema version and the register's structure, then ``PRAGMA
    quick_check``; and the full ``PRAGMA integrity_check`` when SQLite has met damage in this file
    since it was last checked (:func:`damage_mark`). An existing file that is empty, or holds no
    register, is damage. A damaged or refused file (and its -wal) is left byte-for-byte as it was.
    """
    path = Path(path)
    name = path.name
    wal, shm = sidecars(path)
    existed = {p: p.exists() for p in (wal, shm)}
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return  # no register yet: one is made
    except OSError as exc:
        raise DatabaseDamaged(f"{name} cannot be read ({exc.strerror or exc}).") from None
    if size == 0:
        raise _empty_file(name)
    try:
        wal_size = wal.stat().st_size if existed[wal] else 0
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise DatabaseDamaged(f"{name} cannot be read ({exc.strerror or exc}).") from None
    wal_frames = wal_size > WAL_HEADER
    problem = _header_problem(name, header, size, wal_frames)
    if not problem and not wal_frames:
        try:
            problem = _freelist_problem(path, name, header)
        except OSError as exc:
            problem = f"{name} cannot be read ({exc.strerror or exc})."
    if problem:
        raise DatabaseDamaged(problem)
    if wal_size:
        try:
            problem = _wal_problem(wal, _page_size(header))
        except OSError as exc:
            problem = f"its write-ahead log cannot be read ({exc.strerror or exc})"
        if problem:
            raise DatabaseDamaged(f"{name} is damaged: {problem}.")
    try:
        try:
            with _look(path) as conn:
                revision = _read_revision(conn, name)
                if not _is_known(revision):
                    raise _too_new(name, revision)
                problem = _schema_problem(conn, name, revision)
            if problem:
                raise DatabaseDamaged(problem)
            if full:
                problem = full_check_problem(path)
        except sqlite3.Error as exc:
            problem = "it cannot be read ({})".format(" ".join(str(exc).split()))
        except UnicodeDecodeError:  # damage inside the part that names the tables
            problem = "the part of the file that describes its tables cannot be read"
        if problem:
            raise DatabaseDamaged(f"{name} is damaged: {problem}.")
    except (DatabaseDamaged, DatabaseTooNew):
        _remove_created(existed)
        raise


def full_check_problem(path: Path) -> str:
    """The whole-file part of the health check, in words ("" when sound): ``PRAGMA quick_check``,
    and the full ``integrity_check`` when SQLite has met damage in this file since it was last
    checked (:func:`damage_mark`, removed when it passes). Reads only. May raise
    :class:`sqlite3.Error` for a file too damaged to be read."""
    problem = _quick_check_problem(path)
    if not problem and damage_mark(path).exists():
        found = thorough_check(path)
        if found:
            problem = f"it fails its integrity check ({found[0][:120]})"
        else:
            with contextlib.suppress(OSError):
                damage_mark(path).unlink()
    return problem


def _quick_check_problem(path: Path) -> str:
    conn = connect(path)
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    finally:
        conn.close()
    if rows == [("ok",)]:
        return ""
    lines = [
        ln.strip()
        for row in rows
        for ln in str(row[0]).splitlines()
        if ln.strip() and not ln.startswith("***")
    ]
    return f"it fails its integrity check ({(lines or ['no detail'])[0][:120]})"


def thorough_check(path: Path) -> list[str]:
    """``PRAGMA integrity_check`` and ``foreign_key_check`` (slower than the check on open; for
    ``pcc-desk check``). Returns the problems found, read-only; an empty list means sound."""
    try:
        conn = connect(path)
    except sqlite3.Error as exc:
        return [" ".join(str(exc).split())]
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        problems = [] if rows == [("ok",)] else [" ".join(str(r[0]).split()) for r in rows]
        for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check").fetchall():
            problems.append(f"a row in {table} (rowid {rowid}) refers to a missing row in {parent}")
    except sqlite3.Error as exc:
        problems = [" ".join(str(exc).split())]
    finally:
        conn.close()
    return problems


def quick_check(path: Path) -> bool:
    """True when the SQLite file at ``path`` passes the health check (read-only)."""
    try:
        check_health(path)
    except (DatabaseDamaged, DatabaseTooNew):
        return False
    return True
