"""Reading the register: find, list and filter recommendations, one recommendation in full, its
history; the themes and addressees to filter by. Each call reads in one session and returns records
(:mod:`pcc_desk.services.records`), never rows."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from pcc_desk.errors import NotFound
from pcc_desk.model import (
    Addressee,
    Recommendation,
    RecommendationKind,
    Response,
    Status,
    Theme,
)
from pcc_desk.services import journal
from pcc_desk.services.desk import Desk
from pcc_desk.services.dto import (
    RecommendationDetail,
    RecommendationSummary,
    StatusChangeRecord,
)
from pcc_desk.services.records import (
    addressee_lines,
    recommendation_detail,
    recommendation_summary,
)
from pcc_desk.services.register.rules import (
    clock_past_history,
    next_update_due,
    next_update_for,
)
from pcc_desk.services.settings import get_settings
from pcc_desk.services.sync_state import provisional_ids

# ``lock=True``: the row is locked for writing until the transaction ends (SELECT ... FOR NO KEY
# UPDATE on a team register; a file's write lock does this for SQLite), and read as last committed.
# A use case that changes a recommendation from what it reads of it (its status, the history's next
# link) locks it before reading, so two clerks' changes to one recommendation come one after the
# other: the second sees the first's status, and its history row's time is taken after the first's.
# It does not stop rows that only refer to it (a quote attached, a response's key share).
_FOR_WRITING = {"key_share": True}
_LOCKED = "pcc_desk_locked_recommendations"  # session.info: the ids locked in its transaction


def recommendation_by_ref(session: Session, ref: str, *, lock: bool = False) -> Recommendation:
    ref = (ref or "").strip()
    for where in (Recommendation.ref == ref, func.upper(Recommendation.ref) == ref.upper()):
        stmt = select(Recommendation).where(where)
        if lock:
            stmt = stmt.with_for_update(key_share=True).execution_options(populate_existing=True)
        rec = session.scalars(stmt).first()
        if rec is not None:
            if lock:
                session.info.setdefault(_LOCKED, set()).add(rec.id)
                clock_past_history(session, rec.id)
            return rec
    raise NotFound(f"There is no recommendation {ref!r} in the register.")


def recommendation_by_id(
    session: Session, ident: uuid.UUID | str, *, lock: bool = False
) -> Recommendation:
    key = journal.uid(ident)
    if lock and key not in session.info.get(_LOCKED, ()):
        rec = session.get(Recommendation, key, with_for_update=_FOR_WRITING, populate_existing=True)
        if rec is not None:
            session.info.setdefault(_LOCKED, set()).add(key)
            clock_past_history(session, rec.id)
    else:  # not to be locked, or locked already in this transaction
        rec = session.get(Recommendation, key)
    if rec is None:
        raise NotFound("That recommendation is no longer in the register.")
    return rec


def latest_responses(
    session: Session, ids: list[uuid.UUID] | None = None
) -> dict[uuid.UUID, Response]:
    stmt = select(Response).order_by(Response.received, Response.created_at)
    if ids is not None:
        if not ids:
            return {}
        stmt = stmt.where(Response.recommendation_id.in_(ids))
    latest: dict[uuid.UUID, Response] = {}
    for resp in session.scalars(stmt):
        latest[resp.recommendation_id] = resp
    return latest


@dataclass(frozen=True)
class RecommendationFilter:
    statuses: tuple[Status, ...] = ()
    theme: str | None = None
    addressee: str | None = None
    made_from: dt.date | None = None
    made_to: dt.date | None = None
    text: str | None = None
    kind: RecommendationKind | None = None
    overdue_on: dt.date | None = None  # only those awaiting a response past due on that day
    refs: tuple[str, ...] = ()
    document_id: uuid.UUID | None = None


def list_recommendations(
    desk: Desk, flt: RecommendationFilter | None = None
) -> list[RecommendationSummary]:
    flt = flt or RecommendationFilter()
    stmt = select(Recommendation).options(selectinload(Recommendation.theme))
    if flt.statuses:
        stmt = stmt.where(Recommendation.status.in_(flt.statuses))
    if flt.theme:
        stmt = stmt.join(Theme, Recommendation.theme_id == Theme.id).where(
            func.lower(Theme.name) == flt.theme.strip().lower()
        )
    if flt.addressee:
        stmt = stmt.where(
            Recommendation.addressee.icontains(flt.addressee.strip(), autoescape=True)
        )
    if flt.made_from:
        stmt = stmt.where(Recommendation.made >= flt.made_from)
    if flt.made_to:
        stmt = stmt.where(Recommendation.made <= flt.made_to)
    if flt.kind:
        stmt = stmt.where(Recommendation.kind == flt.kind)
    if flt.text:
        needle = flt.text.strip()
        stmt = stmt.where(
            or_(
                Recommendation.text.icontains(needle, autoescape=True),
                Recommendation.ref.icontains(needle, autoescape=True),
                Recommendation.context.icontains(needle, autoescape=True),
            )
        )
    if flt.overdue_on:
        stmt = stmt.where(
            Recommendation.status == Status.AWAITING_RESPONSE, Recommendation.due < flt.overdue_on
        )
    if flt.refs:
        stmt = stmt.where(Recommendation.ref.in_(flt.refs))
    if flt.document_id:
        stmt = stmt.where(Recommendation.document_id == flt.document_id)
    stmt = stmt.order_by(Recommendation.made, Recommendation.ref)
    with desk.reading() as session:
        recs = list(session.scalars(stmt))
        latest = latest_responses(session, None if len(recs) > 500 else [r.id for r in recs])
        provisional = provisional_ids(session)
        lines = addressee_lines(session, None if len(recs) > 500 else [r.id for r in recs])
        return [
            recommendation_summary(
                r, latest.get(r.id), provisional=r.id in provisional, lines=lines.get(r.id, ())
            )
            for r in recs
        ]


def overdue(desk: Desk, today: dt.date | None = None) -> list[RecommendationSummary]:
    """Awaiting a response past the latest due date, oldest due first."""
    rows = list_recommendations(desk, RecommendationFilter(overdue_on=today or dt.date.today()))
    return sorted(rows, key=lambda r: (r.due, r.ref))


def get_recommendation(desk: Desk, ref: str) -> RecommendationDetail:
    cadence = get_settings(desk).update_cadence_months
    with desk.reading() as session:
        rec = recommendation_by_ref(session, ref)
        latest = rec.responses[-1] if rec.responses else None
        updates = {}
        for row in rec.addressees:
            own = [r for r in rec.responses if r.addressee_id == row.id]
            updates[row.id] = next_update_for(row.status, own[-1] if own else None, cadence)
        return recommendation_detail(
            rec,
            next_update_due(rec, latest, cadence),
            updates,
            provisional=rec.id in provisional_ids(session),
        )


def history(desk: Desk, ref: str) -> tuple[StatusChangeRecord, ...]:
    return get_recommendation(desk, ref).history


def list_themes(desk: Desk) -> list[str]:
    with desk.reading() as session:
        rows = session.execute(
            select(Theme.name, func.min(Recommendation.made), func.min(Recommendation.ordinal))
            .join(Recommendation, Recommendation.theme_id == Theme.id, isouter=True)
            .group_by(Theme.id)
            .order_by(func.min(Recommendation.made), func.min(Recommendation.ordinal), Theme.name)
        )
        return [name for name, _made, _pos in rows]


def list_addressees(desk: Desk) -> list[str]:
    """Every addressee named, once (an ask to several gives each of them)."""
    with desk.reading() as session:
        rows = session.scalars(select(Addressee.name).distinct().order_by(Addressee.name))
        return [r for r in rows if r]


def status_counts_by_theme(desk: Desk) -> dict[str, dict[Status, int]]:
    """For the briefing chart: theme → status → count, themes in register order."""
    themes = list_themes(desk)
    counts: dict[str, dict[Status, int]] = {t: {} for t in themes}
    with desk.reading() as session:
        rows = session.execute(
            select(Theme.name, Recommendation.status, func.count())
            .select_from(Recommendation)
            .join(Theme, Recommendation.theme_id == Theme.id, isouter=True)
            .group_by(Theme.name, Recommendation.status)
        )
        for theme, status, n in rows:
            counts.setdefault(theme or "(no theme)", {})[status] = n
    return counts


def summaries_for(desk: Desk, refs: Iterable[str]) -> list[RecommendationSummary]:
    """The register rows of just these references (to refresh a few rows after an edit)."""
    refs = tuple(dict.fromkeys(r for r in refs if r))
    if not refs:
        return []
    return list_recommendations(desk, RecommendationFilter(refs=refs))
