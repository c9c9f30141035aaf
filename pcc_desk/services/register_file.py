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
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

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

# The same rows as :func:`register_rows`, in SQLite's words. Dates are stored as ISO text, UUIDs as
# 32 hex digits and enumerations as their slugs (see ``pcc_desk.model``). Each ask's latest response
# is found in one pass over the responses (:func:`_latest_responses`): a look-up per ask, correlated
# in the query, cost half as much again as the query itself on 20,000 asks.
_REGISTER_ROWS_SQL = """
SELECT r.id, r.ref, r.kind, r.text, t.name, r.addressee, r.made, r.due, r.status, r.priority,
       r.document_id, r.ordinal, r.theme_id
FROM recommendations AS r
LEFT OUTER JOIN themes AS t ON r.theme_id = t.id
"""  # in the order of (made, ref): sorted here (SQLite's sorter would copy every row, text and all)


# every response of an ask (not an addressee's alone: those name no recommendation), unordered
_RESPONSES_SQL = """
SELECT s.recommendation_id, s.received, s.created_at, s.assessment, s.position
FROM responses AS s WHERE s.recommendation_id IS NOT NULL
"""


# every theme (a name may be used by several: one each); in the order of list_themes (themes without
# an ask first, then by their first ask's date, the lowest place in a letter, the name), worked out
# from the asks already read
_THEMES_SQL = "SELECT id, name FROM themes"


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
        raw = _raw_rows(conn)
        rows = _rows_of(conn, raw)
        themes = _themes_in_order(conn, raw)
        addressees = [name for (name,) in conn.execute(_ADDRESSEES_SQL) if name]
        conn.execute("COMMIT")
    return RegisterTable(rows, themes, addressees)


def register_rows_in(path: Path) -> list[RecommendationSummary]:
    """The register's rows alone (see :func:`read_register_table`)."""
    with read_only_connection(path) as conn:
        return _rows_of(conn, _raw_rows(conn))


_SUMMARY_FIELDS = tuple(field.name for field in fields(RecommendationSummary))


def _latest_responses(conn: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    """Each ask's latest response (received last; of one day, recorded last): its assessment and
    position slugs, by the ask's id as stored."""
    latest: dict[str, tuple[str, str, str, str]] = {}
    for rid, received, created, assessment, position in conn.execute(_RESPONSES_SQL):
        created = created or ""  # (none sorts first, as in SQL)
        known = latest.get(rid)
        if known is None or (received, created) > (known[0], known[1]):
            latest[rid] = (received, created, assessment, position)
    return {rid: (found[2], found[3]) for rid, found in latest.items()}


Raw = tuple[Any, ...]  # a row of _REGISTER_ROWS_SQL, as sqlite3 gives it


def _raw_rows(conn: sqlite3.Connection) -> list[Raw]:
    raw = conn.execute(_REGISTER_ROWS_SQL).fetchall()
    raw.sort(key=_made_and_ref)  # (ISO dates and references compare as SQLite's BINARY order does)
    return raw


def _made_and_ref(row: Raw) -> tuple[str, str]:
    return row[6], row[1]


def _themes_in_order(conn: sqlite3.Connection, raw: list[Raw]) -> list[str]:
    """The themes as :func:`pcc_desk.services.register.reading.list_themes` orders them (SQL's
    ``ORDER BY min(made), min(ordinal), name``, where a theme without asks has NULLs: first)."""
    first: dict[str, list[Any]] = {}  # theme id -> [earliest made, lowest ordinal]
    for row in raw:
        theme_id, made, ordinal = row[12], row[6], row[11]
        if theme_id is None:
            continue
        seen = first.get(theme_id)
        if seen is None:
            first[theme_id] = [made, ordinal]
        else:
            seen[0] = min(seen[0], made)
            seen[1] = min(seen[1], ordinal)
    ordered: list[tuple[str, int, str]] = []
    for theme_id, name in conn.execute(_THEMES_SQL):
        made, ordinal = first.get(theme_id, ("", 0))  # no ask: first (SQL's NULLs), by name
        ordered.append((made, ordinal, name))
    ordered.sort()
    return [name for _made, _ordinal, name in ordered]


def _rows_of(conn: sqlite3.Connection, raw: list[Raw]) -> list[RecommendationSummary]:
    kinds = {k.value: k for k in RecommendationKind}
    statuses = {s.value: s for s in Status}
    priorities = {p.value: p for p in Priority}
    assessments = {a.value: a for a in Assessment}
    positions = {p.value: p for p in Position}
    day = dt.date.fromisoformat
    uid = uuid.UUID
    documents: dict[str, uuid.UUID] = {}  # a few letters hold every ask: one UUID object each
    latest = _latest_responses(conn)
    lines = addressee_lines_of_text(conn.execute(_ADDRESSEE_LINES_SQL))
    provisional = _provisional_ids(conn)
    # Made as the dataclass's own __init__ makes them (every field set, nothing computed), without
    # its one object.__setattr__ call a field (frozen): half the cost on 20,000 rows.
    new, names = object.__new__, _SUMMARY_FIELDS
    rows = []
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
        document_id,
        ordinal,
        _theme_id,
    ) in raw:
        found = latest.get(rid)
        summary_id = uid(rid)
        summary = new(RecommendationSummary)
        summary.__dict__.update(
            zip(
                names,
                (
                    summary_id,
                    ref,
                    kinds[kind],
                    text,
                    theme or "",
                    addressee,
                    day(made),
                    day(due),
                    statuses[status],
                    priorities[priority],
                    assessments[found[0]] if found else None,
                    positions[found[1]] if found else None,
                    (
                        documents.get(document_id)
                        or documents.setdefault(document_id, uid(document_id))
                    )
                    if document_id is not None
                    else None,
                    ordinal,
                    bool(provisional) and summary_id in provisional,
                    lines.get(rid, ()),
                ),
                strict=True,
            )
        )
        rows.append(summary)
    return rows


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
