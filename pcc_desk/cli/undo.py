"""Undo and redo from the command line, through the operations journal (the services do the work).

``pcc-desk undo`` takes back the last change this user made on this register (an edit, a status
change, a due date revision, a logged response, a quote, an import...); ``pcc-desk redo`` brings back
what was undone last. ``undo --list`` shows the recent changes. A refused undo or redo (something was
done since with what the change made) exits with code 2 and one line saying why; nothing changes.

``pcc-desk undo-import DOCUMENT_ID_OR_FILE`` takes one import out again, named by its file or id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pcc_desk import lazy
from pcc_desk.cli.common import print_json, shorten, table
from pcc_desk.vocabulary import DocumentKind, RecordKind

if TYPE_CHECKING:
    from pcc_desk.services import journal, letter_import, transcripts, undo
    from pcc_desk.services.journal import OperationRecord
else:  # the services load SQLAlchemy: not for `pcc-desk --help` (pcc_desk.lazy)
    journal = lazy.module("pcc_desk.services.journal")
    letter_import = lazy.module("pcc_desk.services.letter_import")
    transcripts = lazy.module("pcc_desk.services.transcripts")
    undo = lazy.module("pcc_desk.services.undo")


def add_commands(subparsers, parent) -> None:
    p = subparsers.add_parser(
        "undo",
        parents=[parent],
        help="undo your last change on this register (or the changes named); --list shows the recent ones",
    )
    p.add_argument(
        "ids",
        nargs="*",
        metavar="CHANGE_ID",
        help="undo these changes (ids from --list, or their first 8 characters) instead of the last",
    )
    p.add_argument("--list", action="store_true", help="list the recent changes instead")
    p.add_argument("--all", action="store_true", help="with --list: everyone's changes")
    p.add_argument("--limit", type=int, default=20, help="with --list: how many (default 20)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_undo)

    p = subparsers.add_parser(
        "redo", parents=[parent], help="redo the change you undid last (or the changes named)"
    )
    p.add_argument("ids", nargs="*", metavar="CHANGE_ID", help="redo these undone changes")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_redo)

    p = subparsers.add_parser(
        "undo-import",
        parents=[parent],
        help="undo one import of a letter, minutes or transcript (while nothing was done with it since)",
    )
    p.add_argument(
        "ident",
        metavar="DOCUMENT_ID_OR_FILE",
        help="the imported file, or the document's id (or its first 8 characters)",
    )
    p.set_defaults(handler=cmd_undo_import)


def _json_row(op: OperationRecord) -> dict:
    return {
        "id": op.id,
        "at": op.at,
        "actor": op.actor,
        "kind": op.kind,
        "summary": op.summary,
        "state": op.state,
        "undoes": op.undoes,
    }


def _report(outcomes, as_json: bool) -> int:
    if as_json:
        print_json(
            [
                {
                    "message": o.message,
                    "operation": _json_row(o.operation),
                    "target": _json_row(o.target),
                    "refs": list(o.refs),
                }
                for o in outcomes
            ]
        )
    else:
        for outcome in outcomes:
            print(outcome.message)
    return 0


def cmd_undo(args, desk) -> int:
    if args.list:
        return _list(args, desk)
    return _report(undo.undo(desk, args.ids or None), args.json)


def cmd_redo(args, desk) -> int:
    return _report(undo.redo(desk, args.ids or None), args.json)


def _list(args, desk) -> int:
    rows = undo.recent(desk, limit=max(1, args.limit), everyone=args.all)
    if args.json:
        print_json([_json_row(r) for r in rows])
        return 0
    if not rows:
        print(
            "No changes recorded on this register yet."
            if args.all
            else "No changes of yours on this register yet."
        )
        return 0
    next_undo, next_redo = undo.next_undo(desk), undo.next_redo(desk)
    marks = {}
    if next_undo is not None:
        marks[next_undo.id] = "undo →"
    if next_redo is not None:
        marks[next_redo.id] = "redo →"
    print(
        table(
            [
                [
                    marks.get(r.id, ""),
                    r.id.hex[:8],
                    journal.when(r.at),
                    r.actor,
                    r.state,
                    shorten(r.summary, 70),
                ]
                for r in rows
            ],
            ["", "id", "when", "who", "state", "change"],
        )
    )
    return 0


def cmd_undo_import(args, desk) -> int:
    found = letter_import.find_import(desk, args.ident)
    made = [
        op
        for op in undo.operations_that_created(desk, RecordKind.DOCUMENT, found.document_id)
        if not op.undone
    ]
    if made:  # the journal holds the import: undo it as an operation (so that it can be redone)
        return _report(undo.undo(desk, [made[0].id]), False)
    if found.kind == DocumentKind.TRANSCRIPT and found.transcript_id is not None:
        record = transcripts.delete_transcript(desk, found.transcript_id)
        print(
            f"{found.file_name}: import undone; the transcript of {record.citation.removesuffix(' – transcript')} "
            f"({record.segment_count} turn(s)) and the kept copy of the file removed."
        )
        return 0
    print(letter_import.undo_import(desk, found.document_id).message)
    return 0
