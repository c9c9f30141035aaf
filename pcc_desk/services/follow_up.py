"""Following an accepted ask through to its implementation: which progress updates are due, at the
cadence the Committee set (Settings: ``update_cadence_months``), with the target dates given."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from pcc_desk.model import Implementation, Position, Recommendation, Status
from pcc_desk.services.desk import Desk
from pcc_desk.services.register import latest_responses, next_update_due
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
        .where(Recommendation.status.in_((Status.RESPONSE_RECEIVED, Status.FOLLOW_UP_NEEDED)))
        .options(selectinload(Recommendation.theme))
    )
    rows = []
    with desk.reading() as session:
        recs = list(session.scalars(stmt))
        latest = latest_responses(session, [r.id for r in recs])
        for rec in recs:
            resp = latest.get(rec.id)
            due = next_update_due(rec, resp, cadence)
            if due is None or resp is None:
                continue
            rows.append(
                UpdateDue(
                    ref=rec.ref,
                    text=rec.text,
                    theme=rec.theme.name if rec.theme else "",
                    addressee=rec.addressee,
                    status=rec.status,
                    position=resp.position,
                    implementation=resp.implementation,
                    last_update=resp.received,
                    next_update=due,
                    target=rec.target,
                    target_passed=rec.target is not None and rec.target < today,
                )
            )
    return sorted(rows, key=lambda u: (u.next_update, u.ref))


def updates_due(desk: Desk, today: dt.date | None = None, within_days: int = 0) -> list[UpdateDue]:
    """The progress updates due by ``today`` (or within ``within_days`` after it), earliest first."""
    today = today or dt.date.today()
    until = today + dt.timedelta(days=max(0, within_days))
    return [u for u in progress_updates(desk, today) if u.next_update <= until]
