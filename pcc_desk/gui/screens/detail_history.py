"""What the detail screen shows of a recommendation's course: its history (status changes, due-date
and target-date revisions, in time order) and the heading's dates (due, target, next update)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pcc_desk.dates import house_date
from pcc_desk.services.dto import RecommendationDetail


def history_rows(
    d: RecommendationDetail, tr: Callable[[str], str]
) -> list[tuple[dt.datetime, list[str]]]:
    """(when, [who, what, note]) of every change, oldest first."""
    events: list[tuple[dt.datetime, list[str]]] = []
    for change in d.history:
        what = (
            f"{change.from_status.label} → {change.to_status.label}"
            if change.from_status
            else f"→ {change.to_status.label}"
        )
        events.append((change.changed_at, [change.changed_by, what, change.note]))
    for rev in d.due_revisions:
        what = tr("Due %s → %s") % (house_date(rev.old_due), house_date(rev.new_due))
        events.append((rev.changed_at, [rev.changed_by, what, rev.reason]))
    for target in d.target_revisions:
        old, new = (
            house_date(x) if x else tr("none") for x in (target.old_target, target.new_target)
        )
        what = tr("Target %s → %s") % (old, new)
        events.append((target.changed_at, [target.changed_by, what, target.reason]))
    return sorted(events, key=lambda e: e[0])


def follow_up_words(d: RecommendationDetail, tr: Callable[[str], str]) -> str:
    """ " · target 31 March 2024 · next update due 1 May 2024" (empty when neither applies)."""
    words = ""
    if d.target:
        words += " · " + tr("target %s") % house_date(d.target)
    if d.next_update_due:
        words += " · " + tr("next update due %s") % house_date(d.next_update_due)
    return words
