"""The register's table as the desktop loads it: every row, with the themes and addressees to filter
by, read in one query of plain columns (no ORM objects) so that a decade of asks loads fast. The rows
are the same :class:`RecommendationSummary` values :func:`.reading.list_recommendations` gives."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from pcc_desk.model import (
    Assessment,
    Position,
    Priority,
    Recommendation,
    RecommendationKind,
    Response,
    Status,
    Theme,
)
from pcc_desk.services.desk import Desk
from pcc_desk.services.dto import (
    RecommendationSummary,
)
from pcc_desk.services.records import addressee_lines, addressee_lines_of_text
from pcc_desk.services.register.reading import list_addressees, list_themes
from pcc_desk.services.sync_state import provisional_ids_in
from pcc_desk.storage import read_only_connection


def register_rows(desk: Desk) -> list[RecommendationSummary]:
    """Every row of the register, as :func:`list_recommendations` gives them, read in one query of
    plain columns (no ORM objects): what the desktop's table loads, fast on a decade of asks.

    A SQLite file is read with the standard library on a read-only connection (no SQLAlchemy result
    processing: about 40% faster on 20,000 rows); a database server through SQLAlchemy."""
    if desk.location.path is not None:
        return _register_rows_sqlite(desk.location.path)
    latest = (
        select(
            Response.recommendation_id.label("rid"),
            Response.assessment.label("assessment"),
            Response.position.label("position"),
            func.row_number()
            .over(
                partition_by=Response.recommendation_id,
                order_by=(Response.received.desc(), Response.created_at.desc()),
            )
            .label("rn"),
        )
    ).subquery()
    stmt = (
        select(
            Recommendation.id,
            Recommendation.ref,
            Recommendation.kind,
            Recommendation.text,
            Theme.name,
            Recommendation.addressee,
            Recommendation.made,
            Recommendation.due,
            Recommendation.status,
            Recommendation.priority,
            latest.c.assessment,
            latest.c.position,
            Recommendation.document_id,
            Recommendation.ordinal,
        )
        .select_from(Recommendation)
        .outerjoin(Theme, Recommendation.theme_id == Theme.id)
        .outerjoin(latest, (latest.c.rid == Recommendation.id) & (latest.c.rn == 1))
        .order_by(Recommendation.made, Recommendation.ref)
    )
    with desk.reading() as session:
        lines = addressee_lines(session)
        return [
            RecommendationSummary(
                id=rid,
                ref=ref,
                kind=kind,
                text=text,
                theme=theme or "",
                addressee=addressee,
                made=made,
                due=due,
                status=status,
                priority=priority,
                latest_assessment=assessment,
                latest_position=position,
                document_id=document_id,
                ordinal=ordinal,
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
                assessment,
                position,
                document_id,
                ordinal,
            ) in session.execute(stmt)
        ]


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


def register_table(desk: Desk) -> RegisterTable:
    """:func:`register_rows`, :func:`list_themes` and :func:`list_addressees` in one reading."""
    if desk.location.path is not None:
        return read_register_table(desk.location.path)
    return RegisterTable(register_rows(desk), list_themes(desk), list_addressees(desk))


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


def _register_rows_sqlite(path: Path) -> list[RecommendationSummary]:
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
    provisional = provisional_ids_in(conn)
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
