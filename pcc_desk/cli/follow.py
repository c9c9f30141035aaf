"""Following through: the Committee's figures (stats) and the calendar of dates to keep."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING

from pcc_desk import lazy
from pcc_desk.cli.common import date_arg, print_json, table
from pcc_desk.dates import house_date

if TYPE_CHECKING:
    from pcc_desk.services import calendar_export, statistics
else:  # the services load SQLAlchemy: not for `pcc-desk --help` (pcc_desk.lazy)
    statistics = lazy.module("pcc_desk.services.statistics")
    calendar_export = lazy.module("pcc_desk.services.calendar_export")

GROUPINGS = ("all", "addressee", "theme", "year", "letter")  # statistics.GROUPINGS (a test checks)


def add_commands(subparsers, parent) -> None:
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
