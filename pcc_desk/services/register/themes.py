"""Themes as clerks type them: found by name whatever the case, made when new, dropped when nothing
uses them any more. On a team register two clerks typing the same new theme at the same moment make
one theme: the name is locked until the transaction ends (SQLite's write lock does this for a file)."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pcc_desk import postgres
from pcc_desk.model import Recommendation, Theme
from pcc_desk.model import RecordKind as R
from pcc_desk.services import journal


def get_or_create_theme(
    session: Session,
    name: str,
    *,
    document_id: uuid.UUID | None = None,
    ordinal: int = 0,
    op: journal.Pending | None = None,
) -> Theme | None:
    name = " ".join((name or "").split())
    if not name:
        return None
    if session.get_bind().dialect.name == "postgresql":
        postgres.lock_named(session.connection(), "theme", name.lower())
    theme = session.scalars(
        select(Theme).where(func.lower(Theme.name) == name.lower()).limit(1)
    ).first()
    if theme is None:
        theme = Theme(
            id=op.new_id(R.THEME) if op is not None else uuid.uuid4(),
            name=name,
            document_id=document_id,
            ordinal=ordinal,
        )
        session.add(theme)
        session.flush()
        if op is not None:
            op.created(R.THEME, theme.id)
    return theme


def drop_unused_theme(session: Session, theme: Theme) -> bool:
    """Delete ``theme`` when no recommendation uses it any more."""
    used = session.scalars(
        select(Recommendation.id).where(Recommendation.theme_id == theme.id).limit(1)
    ).first()
    if used is not None:
        return False
    session.delete(theme)
    return True
