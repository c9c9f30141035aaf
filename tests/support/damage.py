"""Damage made on purpose to a register file, of the kind only the whole-file check finds."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

from pcc_desk import storage
from pcc_desk.errors import DatabaseDamaged


def fold(path: Path) -> None:
    """Every change into the main file, no write-ahead log left (as after a clean close)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    wal = storage.sidecars(path)[0]
    if wal.exists() and not wal.stat().st_size:
        wal.unlink()


def damage_a_page(path: Path, seed: int) -> None:
    """Random bytes over part of one b-tree page (not the first), chosen so that the cheap checks
    on opening pass and only the whole-file check (``PRAGMA quick_check``) finds it."""
    fold(path)
    data = path.read_bytes()
    page = int.from_bytes(data[16:18], "big")
    pages = len(data) // page
    rng = random.Random(seed)
    for _ in range(200):
        number = rng.randrange(2, pages)
        start = number * page + rng.randrange(0, 64)
        damaged = bytearray(data)
        damaged[start : start + 64] = rng.randbytes(64)
        path.write_bytes(bytes(damaged))
        try:
            storage.check_health(path, full=False)
        except DatabaseDamaged:
            continue
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            quick = conn.execute("PRAGMA quick_check").fetchall()
        except sqlite3.DatabaseError:
            quick = [("unreadable",)]
        finally:
            conn.close()
        if quick != [("ok",)]:
            return
    raise AssertionError("no damage of the kind wanted")
