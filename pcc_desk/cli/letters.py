"""Letter and export commands: draft-letter, export, summary-of-actions."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from pcc_desk import lazy
from pcc_desk.cli.common import date_arg, print_json, slug_arg
from pcc_desk.dates import house_date
from pcc_desk.errors import InvalidInput
from pcc_desk.vocabulary import EXPORT_FORMATS, Status

if TYPE_CHECKING:
    from pcc_desk.services import letters
else:  # the services load SQLAlchemy: not for `pcc-desk --help` (pcc_desk.lazy)
    letters = lazy.module("pcc_desk.services.letters")


def _refs(text: str) -> tuple[str, ...]:
    refs = tuple(r.strip() for r in text.split(",") if r.strip())
    if not refs:
        raise argparse.ArgumentTypeError(
            "give at least one reference, e.g. PCC-2023-03-17/01,PCC-2023-03-17/02"
        )
    return refs


def _print_result(result) -> None:
    """JSON of a result dataclass; paths as strings."""
    values = {f.name: getattr(result, f.name) for f in dataclasses.fields(result)}
    print_json({k: str(v) if isinstance(v, Path) else v for k, v in values.items()})


def _selection_args(p, *, required: bool):
    group = p.add_mutually_exclusive_group(required=required)
    group.add_argument("--refs", type=_refs, help="comma-separated references")
    group.add_argument(
        "--status", type=slug_arg(Status), help="every recommendation with this status"
    )
    group.add_argument(
        "--overdue",
        action="store_true",
        help="every recommendation awaiting a response past its due date",
    )
    p.add_argument("--today", type=date_arg, help=argparse.SUPPRESS)
    return group


def _selection(args) -> letters.Selection:
    return letters.Selection(
        refs=args.refs or (),
        status=args.status,
        overdue=bool(args.overdue),
        updates_due=bool(getattr(args, "updates_due", False)),
    )


def add_commands(subparsers, parent) -> None:
    p = subparsers.add_parser(
        "draft-letter",
        parents=[parent],
        help="draft a follow-up letter in Word (.docx) with real footnotes",
    )
    _selection_args(p, required=True).add_argument(
        "--updates-due",
        action="store_true",
        help="a request for progress updates: the accepted asks whose update is due",
    )
    p.add_argument(
        "--to", dest="recipient", help="recipient's name (default: the recommendations' addressee)"
    )
    p.add_argument(
        "--role",
        dest="recipient_role",
        help="recipient's role (default: from settings or earlier letters)",
    )
    p.add_argument(
        "--salutation", help='e.g. "Dear Sir Mark," (default: derived from the recipient)'
    )
    p.add_argument(
        "--cc",
        action="append",
        help='a "Name, Role" to copy in (repeatable; default: from settings)',
    )
    p.add_argument("--no-cc", action="store_true", help="no CC line")
    p.add_argument("--subject", default="", help="subject line (default: from the original letter)")
    p.add_argument(
        "--date", dest="letter_date", type=date_arg, help="date of the letter (default today)"
    )
    p.add_argument(
        "--reply-by", type=date_arg, help="date a reply is asked for (default one month on)"
    )
    p.add_argument(
        "--template", help="letterhead .docx to use (default: from settings, else the shipped one)"
    )
    p.add_argument("--out", required=True, help="the .docx file to write")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_draft_letter)

    p = subparsers.add_parser(
        "export", parents=[parent], help="export the register as a Word table, .csv or .xlsx"
    )
    p.add_argument(
        "--format", dest="fmt", choices=EXPORT_FORMATS, help="default: from the file name"
    )
    _selection_args(p, required=False)
    p.add_argument("--out", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_export)

    p = subparsers.add_parser(
        "summary-of-actions",
        parents=[parent],
        help='the "Summary List of Actions" table for a meeting (.docx)',
    )
    _selection_args(p, required=False)
    p.add_argument("--meeting", type=date_arg, help="date of the meeting the papers are for")
    p.add_argument("--include-closed", action="store_true", help="also list closed recommendations")
    p.add_argument("--out", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_summary)


def cmd_draft_letter(args, desk) -> int:
    if args.no_cc and args.cc:
        raise InvalidInput("Give --cc or --no-cc, not both.")
    result = letters.draft_letter(
        desk,
        _selection(args),
        args.out,
        recipient=args.recipient,
        recipient_role=args.recipient_role,
        salutation=args.salutation,
        cc=() if args.no_cc else (tuple(args.cc) if args.cc else None),
        subject=args.subject,
        template=args.template,
        letter_date=args.letter_date,
        reply_by=args.reply_by,
        today=args.today,
    )
    if args.json:
        _print_result(result)
    else:
        print(
            f"{result.path}: letter to {result.recipient} about {len(result.refs)} recommendation(s) in "
            f"{len(result.themes)} theme(s), {result.quotes} quote(s), {result.footnotes} footnote(s); "
            f"{result.without_response} without a response."
        )
    return 0


def cmd_export(args, desk) -> int:
    selection = _selection(args) if (args.refs or args.status or args.overdue) else None
    result = letters.export_tracker(desk, args.out, args.fmt, selection, today=args.today)
    if args.json:
        _print_result(result)
    else:
        print(f"{result.path}: {result.rows} recommendation(s) exported as {result.format}.")
    return 0


def cmd_summary(args, desk) -> int:
    selection = _selection(args) if (args.refs or args.status or args.overdue) else None
    result = letters.summary_of_actions(
        desk,
        args.out,
        selection=selection,
        meeting=args.meeting,
        include_closed=args.include_closed,
        today=args.today,
    )
    if args.json:
        _print_result(result)
    else:
        when = f" for the meeting of {house_date(args.meeting)}" if args.meeting else ""
        print(f"{result.path}: Summary List of Actions{when}, {result.rows} action(s).")
    return 0
