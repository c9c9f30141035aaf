"""Following an accepted ask through to its implementation: which progress updates are due, at the
cadence the Committee set (Settings: ``update_cadence_months``), with the target dates given. An ask
to several addressees gives a row for each addressee whose own update is due (its own status, latest
response and target date)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from pcc_desk.model import Implementation, Position, Recommendation, Response, Status
from pcc_desk.services.desk import Desk
from pcc_desk.services.register import latest_responses, next_update_due
from pcc_desk.services.register.rules import next_update_for
from pcc_desk.services.settings import get_settings


@dataclass(frozen=True)
class UpdateDue:
    """An accepted ask, still open and not reported done, and when its next progress update is due."""

    ref: str
    text: str
    theme: str
    addressee: str
    status: Status
    position: Position
    implementation: Implementation
    last_update: dt.date  # the latest response or progress update
    next_update: dt.date
    target: dt.date | None
    target_passed: bool  # the target date is past and the ask is not reported done

    def is_due(self, today: dt.date) -> bool:
        return self.next_update <= today


def progress_updates(desk: Desk, today: dt.date | None = None) -> list[UpdateDue]:
    """Every ask with a next progress update date, the earliest first."""
    today = today or dt.date.today()
    cadence = get_settings(desk).update_cadence_months
    stmt = (
        select(Recommendation)
        .where(Recommendation.status.in_(OPEN))
        .options(selectinload(Recommendation.theme), selectinload(Recommendation.addressees))
    )
    rows = []
    with desk.reading() as session:
        recs = list(session.scalars(stmt))
        latest = latest_responses(session, [r.id for r in recs])
        for rec in recs:
            if len(rec.addressees) > 1:  # each addressee's own
                for row in rec.addressees:
                    own = [r for r in rec.responses if r.addressee_id == row.id]
                    resp = own[-1] if own else None
                    due = next_update_for(row.status, resp, cadence)
                    if due is not None and resp is not None:
                        rows.append(_row(rec, row.name, row.status, row.target, resp, due, today))
                continue
            resp = latest.get(rec.id)
            due = next_update_due(rec, resp, cadence)
            if due is not None and resp is not None:
                rows.append(_row(rec, rec.addressee, rec.status, rec.target, resp, due, today))
    return sorted(rows, key=lambda u: (u.next_update, u.ref, u.addressee))


OPEN = (Status.AWAITING_RESPONSE, Status.RESPONSE_RECEIVED, Status.FOLLOW_UP_NEEDED)


def _row(
    rec: Recommendation,
    addressee: str,
    status: Status,
    target: dt.date | None,
    resp: Response,
    due: dt.date,
    today: dt.date,
) -> UpdateDue:
    return UpdateDue(
        ref=rec.ref,
        text=rec.text,
        theme=rec.theme.name if rec.theme else "",
        addressee=addressee,
        status=status,
        position=resp.position,
        implementation=resp.implementation,
        last_update=resp.received,
        next_update=due,
        target=target,
        target_passed=target is not None and target < today,
    )


def updates_due(desk: Desk, today: dt.date | None = None, within_days: int = 0) -> list[UpdateDue]:
    """The progress updates due by ``today`` (or within ``within_days`` after it), earliest first."""
    today = today or dt.date.today()
    until = today + dt.timedelta(days=max(0, within_days))
    return [u for u in progress_updates(desk, today) if u.next_update <= until]
