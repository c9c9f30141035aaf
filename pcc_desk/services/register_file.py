"""The register's table read straight from its SQLite file with the standard library alone (no
SQLAlchemy), so that the desktop can read it at start-up on a thread of its own while SQLAlchemy, the
model and the services are still being imported, and while the file's cheap checks run. The rows are
the same :class:`RecommendationSummary` values :func:`pcc_desk.services.register.register_rows` gives.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pcc_desk.services.dto import AddresseeLine, RecommendationSummary
from pcc_desk.storage.health import read_only_connection
from pcc_desk.vocabulary import (
    SYNC_KEY,
    Assessment,
    Position,
    Priority,
    RecommendationKind,
    Status,
)

# The same query as :func:`register_rows`, in SQLite's words. Dates are stored as ISO text, UUIDs as
# 32 hex digits and enumerations as their slugs (see ``pcc_desk.model``).
_REGISTER_ROWS_SQL = """
SELECT r.id, r.ref, r.kind, r.text, t.name, r.addressee, r.made, r.due, r.status, r.priority,
       (SELECT s.assessment || ' ' || s.position FROM responses AS s WHERE s.recommendation_id = r.id
        ORDER BY s.received DESC, s.created_at DESC LIMIT 1),
       r.document_id, r.ordinal
FROM recommendations AS r
LEFT OUTER JOIN themes AS t ON r.theme_id = t.id
ORDER BY r.made, r.ref
"""  # the latest response by a correlated look-up in its index: faster here than the window function


_THEMES_SQL = """
SELECT t.name FROM themes AS t LEFT OUTER JOIN recommendations AS r ON r.theme_id = t.id
GROUP BY t.id ORDER BY min(r.made), min(r.ordinal), t.name
"""


# each joint ask's addressees (asks to one addressee left out), with its latest response's position
_ADDRESSEE_LINES_SQL = """
SELECT a.recommendation_id, a.name, a.status, a.due,
       (SELECT s.position FROM responses AS s WHERE s.addressee_id = a.id
        ORDER BY s.received DESC, s.created_at DESC LIMIT 1)
FROM addressees AS a
WHERE a.recommendation_id IN
      (SELECT recommendation_id FROM addressees GROUP BY recommendation_id HAVING count(*) > 1)
ORDER BY a.recommendation_id, a.ordinal
"""

_ADDRESSEES_SQL = "SELECT DISTINCT name FROM addressees ORDER BY name"


@dataclass(frozen=True)
class RegisterTable:
    """What the register's table shows: every row, and the themes and addressees to filter by."""

    rows: list[RecommendationSummary]
    themes: list[str]
    addressees: list[str]


def read_register_table(path: Path) -> RegisterTable:
    """The register's table read from the SQLite file at ``path`` on a read-only connection, in one
    read transaction (the three parts agree), with the standard library alone: the desktop reads it at
    start-up while the file's health check runs, before the Desk is open. Raises ``sqlite3.Error``."""
    with read_only_connection(path) as conn:
        conn.execute("BEGIN")
        rows = _register_rows_from(conn)
        themes = [name for (name,) in conn.execute(_THEMES_SQL)]
        addressees = [name for (name,) in conn.execute(_ADDRESSEES_SQL) if name]
        conn.execute("COMMIT")
    return RegisterTable(rows, themes, addressees)


def register_rows_in(path: Path) -> list[RecommendationSummary]:
    """The register's rows alone (see :func:`read_register_table`)."""
    with read_only_connection(path) as conn:
        return _register_rows_from(conn)


def _register_rows_from(conn: sqlite3.Connection) -> list[RecommendationSummary]:
    kinds = {k.value: k for k in RecommendationKind}
    statuses = {s.value: s for s in Status}
    priorities = {p.value: p for p in Priority}
    assessments = {a.value: a for a in Assessment}
    positions = {p.value: p for p in Position}
    day = dt.date.fromisoformat
    uid = uuid.UUID
    documents: dict[str, uuid.UUID] = {}  # a few letters hold every ask: one UUID object each
    raw = conn.execute(_REGISTER_ROWS_SQL).fetchall()
    lines = addressee_lines_of_text(conn.execute(_ADDRESSEE_LINES_SQL))
    provisional = _provisional_ids(conn)
    return [
        RecommendationSummary(
            id=uid(rid),
            ref=ref,
            kind=kinds[kind],
            text=text,
            theme=theme or "",
            addressee=addressee,
            made=day(made),
            due=day(due),
            status=statuses[status],
            priority=priorities[priority],
            latest_assessment=assessments[latest[0]] if latest else None,
            latest_position=positions[latest[1]] if latest else None,
            document_id=(
                documents.get(document_id) or documents.setdefault(document_id, uid(document_id))
            )
            if document_id is not None
            else None,
            ordinal=ordinal,
            provisional=bool(provisional) and uid(rid) in provisional,
            addressee_lines=lines.get(rid, ()),
        )
        for (
            rid,
            ref,
            kind,
            text,
            theme,
            addressee,
            made,
            due,
            status,
            priority,
            latest_text,
            document_id,
            ordinal,
        ) in raw
        for latest in (latest_text.split(" ") if latest_text else None,)
    ]


def addressee_lines_of_text(
    rows: Iterable[tuple[str, str, str, str, str | None]],
) -> dict[str, tuple[AddresseeLine, ...]]:
    """:func:`addressee_lines` from SQLite's plain columns (ask id as stored, name, status slug, ISO
    due date, position slug or None), for the register's table read in bulk."""
    found: dict[str, list[AddresseeLine]] = {}
    for rid, name, status, due, position in rows:
        found.setdefault(rid, []).append(
            AddresseeLine(
                name,
                Status(status),
                dt.date.fromisoformat(due),
                Position(position) if position else None,
            )
        )
    return {rid: tuple(lines) for rid, lines in found.items()}


def _provisional_ids(conn: sqlite3.Connection) -> frozenset[uuid.UUID]:
    """The asks still under a provisional reference, on a laptop copy of a team register (none on
    any other register: then nothing more is read, nor imported)."""
    if conn.execute("SELECT 1 FROM settings WHERE key = ?", (SYNC_KEY,)).fetchone() is None:
        return frozenset()
    from pcc_desk.services.sync_state import provisional_ids_in  # SQLAlchemy: laptop copies only

    return provisional_ids_in(conn)
