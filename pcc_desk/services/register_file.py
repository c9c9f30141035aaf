"""The register's table read straight from its SQLite file with the standard library alone (no
SQLAlchemy), so that the desktop can read it at start-up on a thread of its own while SQLAlchemy, the
model and the services are still being imported, and while the file's cheap checks run. The rows are
the same :class:`RecommendationSummary` values :func:`pcc_desk.services.register.register_rows` gives.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from pcc_desk.services.dto import AddresseeLine, RecommendationSummary
from pcc_desk.storage import HEAD_REVISION
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
# 32 hex digits and enumerations as their slugs (see ``pcc_desk.model``). The whole table comes back
# as one row of JSON texts made by SQLite (one step: Python's sqlite3 lets other threads run for all
# of it, so that at start-up the reading goes on while the app's modules are imported; row by row, or
# statement by statement, the reading thread would wait for the busy main thread at every step).
# Python's ``json`` then makes the values, a part in one call; the orders are Python's (SQLite's
# sorter would copy every row, text and all; and its BINARY order is Python's for text).
_TABLE_SQL = """
SELECT
  -- the schema the file is at (the reading ahead uses only a file at this version's)
  (SELECT version_num FROM alembic_version),
  -- the asks, in no order
  (SELECT json_group_array(json_array(
       r.id, r.ref, r.kind, r.text, t.name, r.addressee, r.made, r.due, r.status, r.priority,
       r.document_id, r.ordinal, r.theme_id))
   FROM recommendations AS r LEFT OUTER JOIN themes AS t ON r.theme_id = t.id),
  -- each ask's latest response (received last; of one day, recorded last, none first): its
  -- assessment and position, by the ask's id as stored. The received date is ISO text of 10
  -- characters, so the joined text orders as the pair (received, recorded); SQLite takes a bare
  -- column from the row whose max() it keeps. Not through the index on recommendation_id: one pass
  -- over the table is quicker.
  (SELECT json_group_object(rid, json_array(assessment, position))
   FROM (SELECT recommendation_id AS rid, assessment, position,
                max(received || '|' || coalesce(created_at, ''))
         FROM responses NOT INDEXED
         WHERE recommendation_id IS NOT NULL
         GROUP BY recommendation_id)),
  -- each joint ask's addressees (asks to one addressee left out), with the latest response's
  -- position, and their place in the ask
  (SELECT json_group_array(json_array(
       a.recommendation_id, a.name, a.status, a.due,
       (SELECT s.position FROM responses AS s WHERE s.addressee_id = a.id
        ORDER BY s.received DESC, s.created_at DESC LIMIT 1),
       a.ordinal))
   FROM addressees AS a
   WHERE a.recommendation_id IN
         (SELECT recommendation_id FROM addressees GROUP BY recommendation_id HAVING count(*) > 1)),
  -- every theme (a name may be used by several: one each); ordered from the asks (_themes_in_order)
  (SELECT json_group_array(json_array(id, name)) FROM themes),
  -- the addressees to filter by
  (SELECT json_group_array(name) FROM (SELECT DISTINCT name FROM addressees)),
  -- a laptop copy of a team register (its provisional references are read after)
  EXISTS (SELECT 1 FROM settings WHERE key = :sync_key)
"""


@dataclass(frozen=True)
class RegisterTable:
    """What the register's table shows: every row, and the themes and addressees to filter by."""

    rows: list[RecommendationSummary]
    themes: list[str]
    addressees: list[str]


@dataclass(frozen=True)
class Fetched:
    """The register's table as SQLite hands it back (before Python makes values of it): JSON texts
    (see ``_TABLE_SQL``), the schema revision the file is at, and a laptop copy's provisional asks."""

    revision: str | None
    rows: str
    latest: str
    lines: str
    themes: str
    addressees: str
    provisional: frozenset[uuid.UUID]

    @property
    def current(self) -> bool:
        """Whether the file is at this version's schema (opening it migrates nothing)."""
        return self.revision == HEAD_REVISION


def read_register_table(path: Path) -> RegisterTable:
    """The register's table read from the SQLite file at ``path`` on a read-only connection, in one
    read transaction (the parts agree), with the standard library alone: the desktop reads it at
    start-up while the file's health check runs, before the Desk is open. Raises ``sqlite3.Error``
    (and ``ValueError`` for a value that is not what this version stores)."""
    return table_of(fetch_register(path))


def fetch_register(path: Path, *, first_look: bool = False) -> Fetched:
    """SQLite's part of :func:`read_register_table`: the file is closed when it returns.
    ``first_look``: for a file that may not be opened after all (see ``read_only_connection``; the
    caller checks that it did not change meanwhile)."""
    with read_only_connection(path, first_look=first_look) as conn:
        conn.execute("BEGIN")
        revision, rows, latest, lines, themes, addressees, laptop = conn.execute(
            _TABLE_SQL, {"sync_key": SYNC_KEY}
        ).fetchone()
        provisional = _provisional_ids(conn) if laptop else frozenset()
        conn.execute("COMMIT")
    return Fetched(revision, rows, latest, lines, themes, addressees, provisional)


def table_of(fetched: Fetched) -> RegisterTable:
    """Python's part of :func:`read_register_table`: the values made from what SQLite handed back."""
    raw = _raw_rows(fetched.rows)
    rows = _rows_of(fetched, raw)
    themes = _themes_in_order(json.loads(fetched.themes), raw)
    addressees = sorted(name for name in json.loads(fetched.addressees) if name)
    return RegisterTable(rows, themes, addressees)


def register_rows_in(path: Path) -> list[RecommendationSummary]:
    """The register's rows alone (see :func:`read_register_table`)."""
    return read_register_table(path).rows


_SUMMARY_FIELDS = tuple(field.name for field in fields(RecommendationSummary))


def _uuid_of_hex(text: str) -> uuid.UUID:
    """``uuid.UUID(text)`` for the 32 hex digits SQLite stores, at half the cost (20,000 asks a
    start-up: ~10 ms); anything else goes through ``uuid.UUID`` (and its errors)."""
    if len(text) != 32 or not (text.isascii() and text.isalnum()):
        return uuid.UUID(text)
    value = object.__new__(uuid.UUID)
    object.__setattr__(value, "int", int(text, 16))  # (ValueError for a letter past f, as UUID())
    object.__setattr__(value, "is_safe", uuid.SafeUUID.unknown)  # (as UUID.__init__ sets them)
    return value


Raw = list[Any]  # an ask of _TABLE_SQL, as json gives it


def _raw_rows(text: str) -> list[Raw]:
    raw: list[Raw] = json.loads(text)
    raw.sort(key=_made_and_ref)  # (ISO dates and references compare as SQLite's BINARY order does)
    return raw


def _ask_and_place(line: list[Any]) -> tuple[str, int]:
    return line[0], line[5]


def _made_and_ref(row: Raw) -> tuple[str, str]:
    return row[6], row[1]


def _themes_in_order(theme_names: list[list[str]], raw: list[Raw]) -> list[str]:
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
    for theme_id, name in theme_names:
        made, ordinal = first.get(theme_id, ("", 0))  # no ask: first (SQL's NULLs), by name
        ordered.append((made, ordinal, name))
    ordered.sort()
    return [name for _made, _ordinal, name in ordered]


def _rows_of(fetched: Fetched, raw: list[Raw]) -> list[RecommendationSummary]:
    kinds = {k.value: k for k in RecommendationKind}
    statuses = {s.value: s for s in Status}
    priorities = {p.value: p for p in Priority}
    assessments = {a.value: a for a in Assessment}
    positions = {p.value: p for p in Position}
    day = dt.date.fromisoformat
    uid = _uuid_of_hex
    documents: dict[str, uuid.UUID] = {}  # a few letters hold every ask: one UUID object each
    latest: dict[str, list[str]] = json.loads(fetched.latest)
    lines = addressee_lines_of_text(
        (rid, name, status, due, position)
        for rid, name, status, due, position, _ordinal in sorted(
            json.loads(fetched.lines), key=_ask_and_place
        )
    )
    provisional = fetched.provisional
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
    """The asks still under a provisional reference, on a laptop copy of a team register."""
    from pcc_desk.services.sync_state import provisional_ids_in  # SQLAlchemy: laptop copies only

    return provisional_ids_in(conn)
