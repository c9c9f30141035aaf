"""Following through: the Committee's figures (stats) and the calendar of dates to keep."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING

from pcc_desk import lazy
from pcc_desk.cli.common import date_arg, print_json, shorten, table
from pcc_desk.dates import house_date

if TYPE_CHECKING:
    from pcc_desk.services import (
        calendar_export,
        follow_up,
        register,
        statistics,
        tracker_paper,
        verification,
    )
else:  # the services load SQLAlchemy: not for `pcc-desk --help` (pcc_desk.lazy)
    tracker_paper = lazy.module("pcc_desk.services.tracker_paper")
    verification = lazy.module("pcc_desk.services.verification")
    follow_up = lazy.module("pcc_desk.services.follow_up")
    register = lazy.module("pcc_desk.services.register")
    statistics = lazy.module("pcc_desk.services.statistics")
    calendar_export = lazy.module("pcc_desk.services.calendar_export")

GROUPINGS = ("all", "addressee", "theme", "year", "letter")  # statistics.GROUPINGS (a test checks)


def add_commands(subparsers, parent) -> None:
    p = subparsers.add_parser(
        "target",
        parents=[parent],
        help="set or revise the date an ask is to be done by, with the reason",
    )
    p.add_argument("ref")
    p.add_argument("target", type=_target_arg, metavar="DATE", help="YYYY-MM-DD, or 'none'")
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_target)

    p = subparsers.add_parser(
        "verify",
        parents=[parent],
        help="record that the Committee verified an ask was done: when, by whom, on what evidence",
    )
    p.add_argument("ref")
    p.add_argument("--note", required=True, help="what was seen (the check made)")
    p.add_argument(
        "--evidence", action="append", default=[], metavar="FILE", help="a file (repeatable)"
    )
    p.add_argument("--on", type=date_arg, help="the day it was verified (default today)")
    p.add_argument("--by", default="", help="who verified it (default: you)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_verify)

    p = subparsers.add_parser(
        "evidence", parents=[parent], help="keep a file as evidence for an ask (or its response)"
    )
    p.add_argument("ref")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--note", default="", help="what the file is")
    p.add_argument(
        "--latest-response", action="store_true", help="attach it to the latest response"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_evidence)

    p = subparsers.add_parser(
        "tracker-paper",
        parents=[parent],
        help="write the Committee's tracker paper for a meeting's agenda pack (.docx)",
    )
    p.add_argument("--meeting", type=date_arg, required=True, help="the meeting's date")
    p.add_argument("out", metavar="OUT.docx")
    p.add_argument("--report-of", default="Executive Director of Secretariat")
    p.set_defaults(handler=cmd_tracker_paper)

    p = subparsers.add_parser(
        "rag", parents=[parent], help="set an ask's RAG rating by hand, with the reason"
    )
    p.add_argument("ref")
    p.add_argument("rating", choices=["red", "amber", "green", "auto"], type=str.lower)
    p.add_argument("--reason", default="", help="why (required unless 'auto')")
    p.set_defaults(handler=cmd_rag)

    p = subparsers.add_parser(
        "close",
        parents=[parent],
        help="record the Committee's decision to close asks at a meeting (in their history)",
    )
    p.add_argument("refs", nargs="+", metavar="REF")
    p.add_argument("--meeting", type=date_arg, required=True)
    p.add_argument("--minute", help="the minute number")
    p.set_defaults(handler=cmd_close)

    p = subparsers.add_parser(
        "updates-due",
        parents=[parent],
        help="accepted asks whose progress update is due (at the cadence in settings)",
    )
    p.add_argument("--within", type=int, default=0, metavar="DAYS", help="or due within DAYS")
    p.add_argument("--all", action="store_true", help="every next update date, due or not")
    p.add_argument("--json", action="store_true")
    p.add_argument("--today", type=date_arg, help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_updates_due)

    p = subparsers.add_parser(
        "stats",
        parents=[parent],
        help="the Committee's figures: asks made, answered on time, accepted, implemented, open",
    )
    p.add_argument("--by", choices=GROUPINGS, default="all", help="one row per group")
    p.add_argument("--from", dest="made_from", type=date_arg, help="asks made on or after")
    p.add_argument("--to", dest="made_to", type=date_arg, help="asks made on or before")
    p.add_argument("--json", action="store_true")
    p.add_argument("--out", metavar="FILE", help="also write the table as .csv or .xlsx")
    p.add_argument("--today", type=date_arg, help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_stats)

    p = subparsers.add_parser(
        "calendar",
        parents=[parent],
        help="write the dates to keep (responses due) as an .ics file for Outlook",
    )
    p.add_argument("out", metavar="OUT.ics")
    p.set_defaults(handler=cmd_calendar)


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def cmd_stats(args, desk) -> int:
    stats = statistics.compute(
        desk,
        by=args.by,
        made_from=args.made_from,
        made_to=args.made_to,
        today=args.today or dt.date.today(),
    )
    if args.out:
        statistics.export_table(stats, args.out)
    if args.json:
        print_json(stats)
        return 0
    if not stats.total.asks:
        print("No asks were made in that period.")
        return 0
    rows = list(stats.groups) + ([stats.total] if stats.by != "all" else [])
    heading = statistics.GROUP_HEADINGS[stats.by].upper()
    print(
        table(
            [
                [
                    g.group,
                    str(g.asks),
                    _percent(g.on_time_percent),
                    _number(g.median_days_to_respond),
                    _percent(g.accepted_percent),
                    _percent(g.partly_accepted_percent),
                    _percent(g.not_accepted_percent),
                    _percent(g.reported_implemented_percent),
                    _percent(g.verified_percent),
                    str(g.open),
                    str(g.overdue),
                ]
                for g in rows
            ],
            [
                heading,
                "ASKS",
                "ON-TIME",
                "MEDIAN-DAYS",
                "ACCEPTED",
                "PARTLY",
                "NOT-ACCEPTED",
                "IMPLEMENTED",
                "VERIFIED",
                "OPEN",
                "OVERDUE",
            ],
        )
    )
    print(f"\nOpen asks by age on {house_date(stats.today)}:")
    print(
        table(
            [[g.group, *(str(n) for n in g.open_by_age)] for g in rows],
            [heading, *(band.upper() for band in stats.age_bands)],
        )
    )
    if args.out:
        print(f"\nTable written to {args.out}")
    return 0


def cmd_calendar(args, desk) -> int:
    result = calendar_export.export_calendar(desk, args.out)
    print(f"{result.path}: {len(result.events)} dates written")
    return 0


def _target_arg(text: str) -> dt.date | None:
    return None if text.strip().lower() == "none" else date_arg(text)


def cmd_target(args, desk) -> int:
    rev = register.revise_target(desk, args.ref, args.target, args.reason)
    old, new = (d.isoformat() if d else "none" for d in (rev.old_target, rev.new_target))
    print(f"{args.ref.strip()}: target {old} -> {new}")
    return 0


def cmd_updates_due(args, desk) -> int:
    today = args.today or dt.date.today()
    if args.all:
        rows = follow_up.progress_updates(desk, today)
    else:
        rows = follow_up.updates_due(desk, today, within_days=args.within)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("No progress updates are due.")
        return 0
    print(
        table(
            [
                [
                    u.ref,
                    u.next_update.isoformat(),
                    u.last_update.isoformat(),
                    u.target.isoformat() + (" (passed)" if u.target_passed else "")
                    if u.target
                    else "-",
                    u.implementation.value,
                    shorten(u.text, 50),
                ]
                for u in rows
            ],
            ["REF", "UPDATE-DUE", "LAST-UPDATE", "TARGET", "IMPLEMENTATION", "ASK"],
        )
    )
    return 0


def cmd_verify(args, desk) -> int:
    check = verification.verify(
        desk,
        args.ref,
        note=args.note,
        evidence=tuple(args.evidence),
        verified_on=args.on,
        verified_by=args.by,
    )
    if args.json:
        print_json(check)
        return 0
    files = f" with {len(check.evidence)} evidence file(s)" if check.evidence else ""
    print(
        f"{args.ref.strip()}: verified on {house_date(check.verified_on)} by "
        f"{check.verified_by}{files}"
    )
    return 0


def cmd_evidence(args, desk) -> int:
    record = verification.attach_evidence(
        desk, args.ref, args.file, note=args.note, latest_response=args.latest_response
    )
    if args.json:
        print_json(record)
    else:
        print(f"{args.ref.strip()}: {record.file_name} kept as {record.stored_path}")
    return 0


def cmd_tracker_paper(args, desk) -> int:
    written = tracker_paper.write_paper(desk, args.meeting, args.out, report_of=args.report_of)
    print(
        f"{written.path}: {written.asks} recommendation(s) from {written.letters} letter(s); "
        f"{len(written.proposed_for_closure)} proposed for closure"
    )
    for ref in written.proposed_for_closure:
        print(f"  {ref}")
    return 0


def cmd_rag(args, desk) -> int:
    rating = None if args.rating == "auto" else args.rating
    ref = tracker_paper.set_rag(desk, args.ref, rating, args.reason)
    print(f"{ref}: RAG {rating.capitalize() if rating else 'derived'}")
    return 0


def cmd_close(args, desk) -> int:
    changes = tracker_paper.close(desk, args.refs, args.meeting, args.minute)
    for ref, change in zip(args.refs, changes, strict=True):
        before = change.from_status.value if change.from_status else "new"
        print(f"{ref.strip()}: {before} -> {change.to_status.value}")
    return 0
