"""The register's rules: what a reference looks like and which comes next, when a response is due,
how long a text may be, what status a response leaves, and what stops a recommendation from simply
going. No use case here: the use cases (:mod:`.reading`, :mod:`.writing`) and the letter import apply
these rules."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pcc_desk import postgres, storage
from pcc_desk.dates import house_date
from pcc_desk.errors import InvalidInput
from pcc_desk.model import (
    Assessment,
    DueDateRevision,
    Implementation,
    Position,
    Priority,
    Recommendation,
    RecommendationKind,
    Response,
    ResponseKind,
    Status,
    StatusChange,
    TargetDateRevision,
)
from pcc_desk.model.base import move_clock_on, utcnow
from pcc_desk.services import journal

RESPONSE_PERIOD_MONTHS = 2  # as for select committee reports


REF_PREFIX = "PCC"


MAX_TEXT = 100_000


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (31 Dec + 2 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def default_due(made: dt.date) -> dt.date:
    return add_months(made, RESPONSE_PERIOD_MONTHS)


def reference_prefix(made: dt.date) -> str:
    return f"{REF_PREFIX}-{made.isoformat()}/"


def next_reference(session: Session, made: dt.date, taken: Iterable[str] = ()) -> str:
    """``PCC-YYYY-MM-DD/NN``: the next free number for that date.

    On a team register two clerks may number the same date at the same moment: the date's numbers are
    taken under a lock held until the transaction ends (SQLite's write lock does this for a file).
    A read-only session (a letter's preview: its numbers are only shown, and taken again when it is
    saved) takes no lock, so it does not wait for another clerk's import of that date."""
    prefix = reference_prefix(made)
    numbers = [_highest(session, prefix)]
    numbers.extend(_number(prefix, r) for r in taken if r.startswith(prefix))
    return f"{prefix}{max(numbers) + 1:02d}"


class References:
    """The next free references for one use case's asks, in order (as :func:`next_reference` with
    the ones already given as ``taken``), reading each date's numbers from the register once."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._highest: dict[str, int] = {}

    def next(self, made: dt.date) -> str:
        prefix = reference_prefix(made)
        if prefix not in self._highest:
            self._highest[prefix] = _highest(self.session, prefix)
        self._highest[prefix] += 1
        return f"{prefix}{self._highest[prefix]:02d}"


def _number(prefix: str, ref: str) -> int:
    m = re.fullmatch(re.escape(prefix) + r"(\d+)", ref)
    return int(m.group(1)) if m else 0


def _after(prefix: str) -> str:
    """The first string after every string that starts with ``prefix`` (in binary order)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _highest(session: Session, prefix: str) -> int:
    """The highest number given under ``prefix`` in the register (0 for none)."""
    if session.get_bind().dialect.name == "postgresql":
        connection = session.connection()
        if not connection.get_execution_options().get(storage.READ_ONLY):
            postgres.lock_reference_prefix(connection, prefix)
        # (a range would follow the database's collation, which may ignore punctuation)
        where = Recommendation.ref.startswith(prefix)
    else:
        # on SQLite (binary order) a range rather than LIKE 'prefix%', so that the unique index on
        # ref is used (LIKE ignores case and cannot use it): the cost stays flat as the register grows
        where = (Recommendation.ref >= prefix) & (Recommendation.ref < _after(prefix))
    refs = session.scalars(select(Recommendation.ref).where(where))
    return max((_number(prefix, r) for r in refs), default=0)


def clean_text(value: str, what: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"The {what} cannot be empty.")
    if len(value) > MAX_TEXT:
        raise InvalidInput(
            f"The {what} is too long ({len(value):,} characters; at most {MAX_TEXT:,})."
        )
    return value


EDITABLE = ("text", "context", "theme", "addressee", "priority", "notes", "kind", "made")

# what a clerk calls each of them (a conflict between two clerks' edits names the fields so)
EDITABLE_LABELS = {
    "text": "The ask",
    "context": "Paragraph",
    "theme": "Theme",
    "addressee": "Addressee",
    "priority": "Priority",
    "notes": "Notes",
    "kind": "Kind",
    "made": "Date made",
}


def stored_field(rec: Recommendation, name: str) -> Any:
    """A field of :data:`EDITABLE` as the journal keeps it."""
    if name == "theme":
        return rec.theme.name if rec.theme else ""
    return journal.enc(getattr(rec, name))


def shown_value(name: str, value: Any) -> str:
    """A field of :data:`EDITABLE` as the journal keeps it (slugs, ISO dates), as a clerk reads it."""
    if value is None or value == "":
        return ""
    if name == "priority":
        return Priority(value).label
    if name == "kind":
        return RecommendationKind(value).label
    if name == "made":
        return house_date(value if isinstance(value, dt.date) else dt.date.fromisoformat(value))
    return str(value)


def edited_value(name: str, value: Any) -> Any:
    """An edited field's value, checked and in its stored form (text cleaned, slugs parsed)."""
    if name == "text":
        return clean_text(value, "text of the recommendation")
    if name in ("context", "notes"):
        return clean_text(value, name, required=False)
    if name == "theme":
        return " ".join((value or "").split())
    if name == "addressee":
        return (value or "").strip()
    if name == "priority":
        return value if isinstance(value, Priority) else Priority.parse(value)
    if name == "kind":
        return value if isinstance(value, RecommendationKind) else RecommendationKind.parse(value)
    if name == "made":
        if not isinstance(value, dt.date):
            raise InvalidInput("The date made must be a date.")
        return value
    raise InvalidInput(f"Cannot edit {name} this way.")


def default_status_after(assessment: Assessment, position: Position) -> Status:
    """What logging a response does to the status when the clerk does not say."""
    if assessment in (Assessment.NOT_ADDRESSED, Assessment.PARTLY_ADDRESSED):
        return Status.FOLLOW_UP_NEEDED
    return Status.RESPONSE_RECEIVED


def what_hangs_on(rec: Recommendation) -> str | None:
    """Why ``rec`` cannot simply go (what the clerk did with it since it was added), or None."""
    if rec.responses:
        return f"has {len(rec.responses)} response(s) logged"
    if rec.quote_links:
        return f"has {len(rec.quote_links)} quote(s) attached"
    if len(rec.status_changes) > 1:
        return "has had its status changed"
    if rec.due_revisions:
        return "has had its due date revised"
    if rec.target_revisions:
        return "has had a target date set"
    if rec.verifications:
        return "has been verified by the Committee"
    if rec.evidence:
        return f"has {len(rec.evidence)} evidence file(s) attached"
    return None


def removal_blocker(rec: Recommendation) -> str | None:
    """Why a recommendation cannot simply go, or None: what the clerk did with it since it was
    added, or that it is an ask of an imported letter (undo that import instead)."""
    reason = what_hangs_on(rec)
    if reason is None and rec.document_id is not None:
        reason = "came from an imported letter: undo that import instead"
    return reason


def edited_since_added(rec: Recommendation) -> bool:
    """True when the record was written after its first status row (an edit, even one undone since)."""
    first = rec.status_changes[0].created_at if rec.status_changes else rec.created_at
    return rec.updated_at > max(first, rec.created_at)


AGREED = (Position.ACCEPTED, Position.PARTLY_ACCEPTED)
UPDATE_CADENCE_MONTHS = 6  # the default of the Committee's settings (update_cadence_months)


def status_after_update(assessment: Assessment, current: Status) -> Status:
    """What a progress update does to the status when the clerk does not say: follow-up needed when
    the Committee judges it not or partly addressed; else it stays (an ask awaiting a response has
    one now)."""
    if assessment in (Assessment.NOT_ADDRESSED, Assessment.PARTLY_ADDRESSED):
        return Status.FOLLOW_UP_NEEDED
    return Status.RESPONSE_RECEIVED if current is Status.AWAITING_RESPONSE else current


def next_update_due(
    rec: Recommendation, latest: Response | None, cadence_months: int = UPDATE_CADENCE_MONTHS
) -> dt.date | None:
    """When the next progress update is due: ``cadence_months`` after the latest response or update,
    for an ask accepted (or partly) and still open that the addressee has not reported done."""
    return next_update_for(rec.status, latest, cadence_months)


def next_update_for(
    status: Status, latest: Response | None, cadence_months: int = UPDATE_CADENCE_MONTHS
) -> dt.date | None:
    """:func:`next_update_due` for a status (an ask's, or one addressee's) and its latest response."""
    if latest is None or not status.is_open or status is Status.AWAITING_RESPONSE:
        return None
    if latest.position not in AGREED or latest.implementation is Implementation.REPORTED_COMPLETE:
        return None
    return add_months(latest.received, cadence_months)


def status_after(
    kind: ResponseKind, assessment: Assessment, position: Position, current: Status
) -> Status:
    """What logging a response or a progress update does to the status when the clerk does not say."""
    if kind is ResponseKind.PROGRESS_UPDATE:
        return status_after_update(assessment, current)
    return default_status_after(assessment, position)


def position_for(rec: Recommendation, position: Position | None, kind: ResponseKind) -> Position:
    """The position a response records: the one given; for a progress update, else the latest's."""
    if position is None and kind is ResponseKind.PROGRESS_UPDATE:
        position = rec.responses[-1].position if rec.responses else Position.OTHER
    if position is None:
        raise InvalidInput("Give the position the response takes on the ask.")
    return position


def update_words(kind: ResponseKind) -> str:
    return "progress update" if kind is ResponseKind.PROGRESS_UPDATE else "response"


def merged_status(session: Session, change: StatusChange, started: str | None) -> Status:
    """For a status change made on another register (a sync): it keeps the status it started from
    there, and the recommendation's status is the latest of the merged history (by time)."""
    if started is not None:
        change.from_status = Status(started)
    latest = _latest(session, StatusChange, change.recommendation_id)
    return latest.to_status if latest is not None else change.to_status


H = TypeVar("H", StatusChange, DueDateRevision, TargetDateRevision)
_TICK = dt.timedelta(microseconds=1)


REPLAYING = "pcc_desk_replaying"  # session.info: it applies an operation made on another register
# session.info: and that register has the last word (a laptop's pull from the team register): a
# recommendation taken out there goes here too (apply_remove_recommendation)
FOLLOWING = "pcc_desk_following"


def clock_past_history(session: Session, recommendation_id: uuid.UUID) -> None:
    """Once a recommendation is locked for a change: the transaction's time moves on to just after
    the latest row of its history (status changes, due-date and target revisions) when that row is
    not earlier (a colleague's change landed after this transaction began, or their computer's clock
    runs ahead), before anything is written: so everything the transaction writes, and its journal
    row, carry one time, and the history read by time runs link by link. Not while an operation
    made on another register is applied (its time stays the one it was made at)."""
    if session.info.get(REPLAYING):
        return
    latest = max(
        (
            t
            for t in session.execute(
                select(func.max(StatusChange.changed_at))
                .where(StatusChange.recommendation_id == recommendation_id)
                .union_all(
                    select(func.max(DueDateRevision.changed_at)).where(
                        DueDateRevision.recommendation_id == recommendation_id
                    ),
                    select(func.max(TargetDateRevision.changed_at)).where(
                        TargetDateRevision.recommendation_id == recommendation_id
                    ),
                )
            ).scalars()
            if t is not None
        ),
        default=None,
    )
    if latest is not None and latest >= utcnow():
        move_clock_on(latest + _TICK)


def after_history(
    session: Session,
    op: journal.Pending,
    history: type[StatusChange | DueDateRevision | TargetDateRevision],
    recommendation_id: uuid.UUID,
) -> dt.datetime:
    """The time for ``op``'s new row in a recommendation's history: never before the row it follows.

    An operation takes its time when it begins, possibly before it locks the recommendation (see
    :func:`clock_past_history`, which moves the transaction's time on when it locks it); a
    colleague's change can land in between, and a colleague's computer's clock can run ahead.
    Ordered by time, the history must still run link by link (each change starting where the one
    before ended), so the operation's time moves on past the latest row when needed, and the
    transaction's with it. Not for an operation made on another register and applied here: its time
    stays the one it was made at (the merge orders by it)."""
    if not op.replayed:
        session.flush()
        latest = session.scalar(
            select(func.max(history.changed_at)).where(
                history.recommendation_id == recommendation_id
            )
        )
        if latest is not None and latest >= op.at:
            op.at = latest + _TICK
            move_clock_on(op.at)
    return op.at


def _latest(session: Session, history: type[H], recommendation_id: uuid.UUID) -> H | None:
    """The latest row of a recommendation's history (status changes, due-date revisions) by time."""
    session.flush()
    return session.scalars(
        select(history)
        .where(history.recommendation_id == recommendation_id)
        .order_by(history.changed_at.desc(), history.id.desc())
        .limit(1)
    ).first()


def merged_target(
    session: Session, revision: TargetDateRevision
) -> tuple[dt.date | None, dt.date | None]:
    """For a target revision made on another register (a sync): the target the latest revision of
    the merged history gives (by time), as :func:`merged_due` does for the due date; and the
    earliest first target given (a revision from no target to one)."""
    latest = _latest(session, TargetDateRevision, revision.recommendation_id)
    first = session.scalars(
        select(TargetDateRevision.new_target)
        .where(
            TargetDateRevision.recommendation_id == revision.recommendation_id,
            TargetDateRevision.old_target.is_(None),
            TargetDateRevision.new_target.is_not(None),
        )
        .order_by(TargetDateRevision.changed_at, TargetDateRevision.id)
        .limit(1)
    ).first()
    return (latest.new_target if latest is not None else revision.new_target), first


def merged_due(session: Session, revision: DueDateRevision, started: str | None) -> dt.date:
    """For a due-date revision made on another register (a sync): it keeps the date it started
    from there, and the recommendation's due date is the latest revision's of the merged history
    (by time), as :func:`merged_status` does for the status."""
    if started is not None:
        revision.old_due = dt.date.fromisoformat(started)
    latest = _latest(session, DueDateRevision, revision.recommendation_id)
    return latest.new_due if latest is not None else revision.new_due
