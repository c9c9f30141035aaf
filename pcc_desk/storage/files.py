"""Files written whole or not at all: atomic writes, sha256, and a checked copy of a live SQLite file (the backups' and migrations' copy)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pcc_desk.errors import (
    BackupFailed,
)
from pcc_desk.storage.location import connect

log = logging.getLogger(__name__)

# --- files ------------------------------------------------------------------------------------


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file in the same folder and a replace."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces ``target``."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{target.stem}.", suffix=target.suffix or ".tmp", dir=target.parent
    )
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp_path, target)
    finally:
        with contextlib.suppress(OSError):
            tmp_path.unlink()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


BACKUP_STAMP = "%Y%m%d-%H%M%S-%f"


def backup_file(
    path: Path, backups_dir: Path, label: str = "backup", now: dt.datetime | None = None
) -> Path:
    """Copy a live SQLite database with SQLite's backup API (consistent even while in use).

    The copy is written beside its final name as ``.partial``, switched to a plain rollback journal
    (so it is one self-contained file), checked with ``PRAGMA quick_check``, and only then given its
    name ``<stem>-<YYYYmmdd-HHMMSS-ffffff>-<label>.sqlite3``. A copy that fails its check is removed
    and :class:`BackupFailed` raised; older backups are never touched here.
    """
    backups_dir.mkdir(parents=True, exist_ok=True)
    stamp = (now or dt.datetime.now()).strftime(BACKUP_STAMP)
    target = backups_dir / f"{path.stem}-{stamp}-{label}.sqlite3"
    tmp = target.with_suffix(".partial")
    try:
        source = connect(path)
        try:
            dest = connect(tmp, mode="rwc")
            try:
                source.backup(dest)
                try:
                    dest.execute("PRAGMA journal_mode=DELETE")
                    ok = dest.execute("PRAGMA quick_check").fetchall() == [("ok",)]
                except sqlite3.DatabaseError:  # the copy is too damaged to be checked at all
                    ok = False
            finally:
                dest.close()
        finally:
            source.close()
        if not ok:
            raise BackupFailed(
                f"The backup of {path.name} just taken fails its check; older backups were kept."
            )
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except (sqlite3.Error, OSError) as exc:
        raise BackupFailed(
            f"{path.name} could not be backed up ({getattr(exc, 'strerror', None) or exc})."
        ) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    log.info("backup written: %s", target.name)
    return target
