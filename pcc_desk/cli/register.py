"""Register commands: add, list, show, respond, status, due, overdue, edit, addressees."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING

from pcc_desk import lazy
from pcc_desk.cli.common import (
    date_arg,
    fmt_date,
    print_json,
    read_text_file,
    shorten,
    slug_arg,
    table,
)
from pcc_desk.dates import house_date
from pcc_desk.errors import InvalidInput
from pcc_desk.vocabulary import (
    Assessment,
    Implementation,
    Position,
    Priority,
    RecommendationKind,
    ResponseKind,
    Status,
)

if TYPE_CHECKING:
    from pcc_desk.services import register
    from pcc_desk.services.dto import (
        AddresseeRecord,
        RecommendationDetail,
        RecommendationSummary,
    )
else:  # the services load SQLAlchemy: not for `pcc-desk --help` (pcc_desk.lazy)
    register = lazy.module("pcc_desk.services.register")


def add_commands(subparsers, parent) -> None:
    p = subparsers.add_parser(
        "add", parents=[parent], help="add a recommendation; prints its reference"
    )
    p.add_argument("--text", required=True, help="the ask, as the Committee worded it")
    p.add_argument("--theme", help="the section heading it sits under")
    p.add_argument(
        "--addressee",
        action="append",
        default=[],
        help="who it is addressed to (repeat for several: --addressee Met --addressee MOPAC)",
    )
    p.add_argument("--made", type=date_arg, help="date made (default today)")
    p.add_argument("--due", type=date_arg, help="response due (default two months after made)")
    p.add_argument(
        "--kind", type=slug_arg(RecommendationKind), default=RecommendationKind.RECOMMENDATION
    )
    p.add_argument("--priority", type=slug_arg(Priority), default=Priority.NORMAL)
    p.add_argument("--context", default="", help="the paragraph around the ask")
    p.add_argument("--notes", default="")
    p.set_defaults(handler=cmd_add)

    p = subparsers.add_parser("list", parents=[parent], help="list recommendations")
    p.add_argument(
        "--status", type=slug_arg(Status), action="append", help="only this status (repeatable)"
    )
    p.add_argument("--theme")
    p.add_argument("--addressee")
    p.add_argument("--from", dest="made_from", type=date_arg, help="made on or after")
    p.add_argument("--to", dest="made_to", type=date_arg, help="made on or before")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)

    p = subparsers.add_parser(
        "addressees",
        parents=[parent],
        help="list an ask's addressees, each with its status and clock; add or take one off",
    )
    p.add_argument("ref")
    p.add_argument("--add", action="append", metavar="NAME", help="add an addressee (repeatable)")
    p.add_argument(
        "--remove",
        action="append",
        metavar="NAME",
        help="take an addressee off (refused while it has a response)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_addressees)

    p = subparsers.add_parser("show", parents=[parent], help="show one recommendation in full")
    p.add_argument("ref")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)

    p = subparsers.add_parser(
        "edit",
        parents=[parent],
        help="change a recommendation's text, theme, addressee, priority or notes",
    )
    p.add_argument("ref")
    p.add_argument("--text")
    p.add_argument("--context")
    p.add_argument("--theme")
    p.add_argument("--addressee")
    p.add_argument("--priority", type=slug_arg(Priority))
    p.add_argument("--kind", type=slug_arg(RecommendationKind))
    p.add_argument("--notes")
    p.add_argument(
        "--if-version",
        dest="if_version",
        type=int,
        metavar="N",
        help="save only if the recommendation is still at version N (from show --json); "
        "otherwise say who changed it and exit with code 3",
    )
    p.set_defaults(handler=cmd_edit)

    p = subparsers.add_parser(
        "respond", parents=[parent], help="log a response to a recommendation"
    )
    p.add_argument("ref")
    p.add_argument("--received", type=date_arg, required=True)
    p.add_argument(
        "--position",
        type=slug_arg(Position),
        help="the addressee's position (required, except for --update: the latest one's)",
    )
    p.add_argument(
        "--update",
        action="store_true",
        help="a progress update on doing what was asked (what was done, the state reported)",
    )
    p.add_argument("--target", type=date_arg, help="the date it will be done by, as given")
    p.add_argument("--assessment", type=slug_arg(Assessment), default=Assessment.NOT_YET_ASSESSED)
    p.add_argument(
        "--implementation", type=slug_arg(Implementation), default=Implementation.NOT_STATED
    )
    p.add_argument(
        "--from",
        dest="from_whom",
        default="",
        help="who responded: on an ask to several addressees, which of them (its name)",
    )
    p.add_argument(
        "--evidence", default="", help="a quote from the response or a note backing the assessment"
    )
    p.add_argument(
        "--status",
        type=slug_arg(Status),
        help="new status (default: follow-up-needed when not addressed, else response-received)",
    )
    p.add_argument("--note", default="", help="note for the status history")
    text = p.add_mutually_exclusive_group(required=True)
    text.add_argument("--text")
    text.add_argument("--text-file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_respond)

    p = subparsers.add_parser(
        "status", parents=[parent], help="change a recommendation's status, with a note"
    )
    p.add_argument("ref")
    p.add_argument("new_status", type=slug_arg(Status))
    p.add_argument("--note", required=True)
    p.set_defaults(handler=cmd_status)

    p = subparsers.add_parser(
        "due", parents=[parent], help="revise a recommendation's response due date"
    )
    p.add_argument("ref")
    p.add_argument("new_due", type=date_arg)
    p.add_argument("--reason", required=True)
    p.add_argument(
        "--addressee", help="on an ask to several addressees: revise this one's due date only"
    )
    p.set_defaults(handler=cmd_due)

    p = subparsers.add_parser(
        "overdue", parents=[parent], help="recommendations awaiting a response past their due date"
    )
    p.add_argument("--json", action="store_true")
    p.add_argument("--today", type=date_arg, help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_overdue)


def cmd_add(args, desk) -> int:
    rec = register.add_recommendation(
        desk,
        args.text,
        theme=args.theme,
        addressees=args.addressee,
        made=args.made,
        due=args.due,
        kind=args.kind,
        priority=args.priority,
        context=args.context,
        notes=args.notes,
    )
    print(rec.ref)
    return 0


def _print_rows(rows: list[RecommendationSummary]) -> None:
    if not rows:
        print("No recommendations match.")
        return
    print(
        table(
            [
                [
                    r.shown_ref,
                    r.status.value,
                    fmt_date(r.due),
                    shorten(r.theme, 24),
                    shorten(r.text, 60),
                ]
                for r in rows
            ],
            ["REF", "STATUS", "DUE", "THEME", "ASK"],
        )
    )


def cmd_list(args, desk) -> int:
    rows = register.list_recommendations(
        desk,
        register.RecommendationFilter(
            statuses=tuple(args.status or ()),
            theme=args.theme,
            addressee=args.addressee,
            made_from=args.made_from,
            made_to=args.made_to,
        ),
    )
    if args.json:
        print_json(rows)
    else:
        _print_rows(rows)
    return 0


def _print_detail(d: RecommendationDetail) -> None:
    print(f"{d.shown_ref}  [{d.status.label}]  {d.kind.label}")
    print(
        f"Theme: {d.theme or '-'}   Addressee: {d.addressee or '-'}   Priority: {d.priority.label}"
    )
    print(
        f"Made: {house_date(d.made)}   Due: {house_date(d.due)}"
        + (
            f" (originally {house_date(d.original_due)})"
            if d.original_due is not None and d.original_due != d.due
            else ""
        )
    )
    print(f"\n{d.text}\n")
    if d.context and d.context != d.text:
        print(f"Context: {d.context}\n")
    for n in d.footnotes:
        print(f"  [{n.number}] {n.text}")
    for q in d.quotes:
        print(f"  Quote ({q.speaker}): “{q.text}” — {q.citation}")
    if len(d.addressees) > 1:
        for a in d.addressees:
            print(_addressee_line(a))
    for r in d.responses:
        who = r.from_whom or r.addressee or "-"
        print(
            f"{r.kind.label} {house_date(r.received)} from {who}: {r.position.label}; implementation {r.implementation.label.lower()}; assessed {r.assessment.label.lower()}"
        )
        print(f"  {shorten(r.text, 200)}")
    for rev in d.due_revisions:
        print(f"Due date {house_date(rev.old_due)} → {house_date(rev.new_due)}: {rev.reason}")
    for t in d.target_revisions:
        old, new = (house_date(x) if x else "none" for x in (t.old_target, t.new_target))
        print(f"Target date {old} → {new}: {t.reason}")
    if d.next_update_due:
        print(f"Next progress update due: {house_date(d.next_update_due)}")
    for v in d.verifications:
        print(f"Verified {house_date(v.verified_on)} by {v.verified_by}: {v.note}")
    for e in d.evidence:
        print(f"Evidence: {e.file_name} ({e.stored_path}){': ' + e.note if e.note else ''}")
    for c in d.history:
        start = c.from_status.label if c.from_status else "new"
        print(f"{c.changed_at:%Y-%m-%d %H:%M} {start} → {c.to_status.label}: {c.note}")
    if d.notes:
        print(f"\nNotes: {d.notes}")


def _addressee_line(a: AddresseeRecord) -> str:
    parts = [f"{a.name or '-'}: {a.status.label}", f"due {house_date(a.due)}"]
    if a.position is not None:
        parts.append(a.position.label.lower())
    if a.target is not None:
        parts.append(f"target {house_date(a.target)}")
    if a.next_update_due is not None:
        parts.append(f"next update {house_date(a.next_update_due)}")
    parts.append(f"{len(a.responses)} response(s)")
    return "  Addressee " + "; ".join(parts)


def cmd_addressees(args, desk) -> int:
    for name in args.add or ():
        register.add_addressee(desk, args.ref, name)
    for name in args.remove or ():
        register.remove_addressee(desk, args.ref, name)
    detail = register.get_recommendation(desk, args.ref)
    if args.json:
        print_json(detail.addressees)
        return 0
    print(f"{detail.ref}  [{detail.status.label}]")
    for a in detail.addressees:
        print(_addressee_line(a))
    return 0


def cmd_show(args, desk) -> int:
    detail = register.get_recommendation(desk, args.ref)
    if args.json:
        print_json(detail)
    else:
        _print_detail(detail)
    return 0


def cmd_edit(args, desk) -> int:
    changes = {
        k: getattr(args, k)
        for k in ("text", "context", "theme", "addressee", "priority", "kind", "notes")
        if getattr(args, k) is not None
    }
    if not changes:
        raise InvalidInput(
            "Nothing to change: give at least one of --text, --context, --theme, --addressee, --priority, --kind, --notes."
        )
    detail = register.edit_recommendation(
        desk, args.ref, expected_version=args.if_version, **changes
    )
    print(detail.ref)
    return 0


def cmd_respond(args, desk) -> int:
    text = args.text if args.text is not None else read_text_file(args.text_file)
    record = register.log_response(
        desk,
        args.ref,
        received=args.received,
        position=args.position,
        text=text,
        from_whom=args.from_whom,
        implementation=args.implementation,
        assessment=args.assessment,
        evidence=args.evidence,
        new_status=args.status,
        note=args.note,
        kind=ResponseKind.PROGRESS_UPDATE if args.update else ResponseKind.RESPONSE,
        target=args.target,
    )
    if args.json:
        print_json(record)
    else:
        status = register.get_recommendation(desk, record.ref).status
        words = "progress update" if args.update else "response"
        print(
            f"{record.ref}: {words} of {house_date(record.received)} logged; status {status.value}"
        )
    return 0


def cmd_status(args, desk) -> int:
    change = register.change_status(desk, args.ref, args.new_status, args.note)
    print(
        f"{args.ref.strip()}: {change.from_status.value if change.from_status else 'new'} -> {change.to_status.value}"
    )
    return 0


def cmd_due(args, desk) -> int:
    rev = register.revise_due(desk, args.ref, args.new_due, args.reason, args.addressee)
    print(f"{args.ref.strip()}: due {rev.old_due.isoformat()} -> {rev.new_due.isoformat()}")
    return 0


def cmd_overdue(args, desk) -> int:
    rows = register.overdue(desk, args.today or dt.date.today())
    if args.json:
        print_json(rows)
    else:
        _print_rows(rows)
    return 0
