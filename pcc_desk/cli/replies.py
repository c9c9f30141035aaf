"""``pcc-desk import-response FILE [--letter DOCUMENT_OR_REF_PREFIX] [--received DATE] [--not-in-order]
[--dry-run] [--json]``: a reply to a Committee letter, matched ask by ask, logged as one undoable
import (see :mod:`pcc_desk.services.reply_import`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pcc_desk import lazy
from pcc_desk.cli.common import date_arg, fmt_date, print_json, shorten, slug_arg
from pcc_desk.errors import DuplicateImport
from pcc_desk.vocabulary import LinkKind

if TYPE_CHECKING:
    from pcc_desk.services import repeats, reply_import
    from pcc_desk.services.reply_import import ReplyPreview
else:  # the services load SQLAlchemy: not for `pcc-desk --help` (pcc_desk.lazy)
    reply_import = lazy.module("pcc_desk.services.reply_import")
    repeats = lazy.module("pcc_desk.services.repeats")


def add_commands(subparsers, parent) -> None:
    p = subparsers.add_parser(
        "import-response",
        parents=[parent],
        help="import a reply to a Committee letter: each ask's answer logged as its response",
    )
    p.add_argument("path", metavar="FILE", help="the reply: .docx, .pdf, .md or .txt")
    p.add_argument(
        "--letter",
        metavar="DOCUMENT_OR_REF_PREFIX",
        help="the letter it answers (its document id, or a prefix of its asks' references); "
        "default: found from the reply",
    )
    p.add_argument(
        "--received", type=date_arg, metavar="YYYY-MM-DD", help="default: the reply's date"
    )
    p.add_argument(
        "--not-in-order",
        dest="in_order",
        action="store_const",
        const=False,
        default=None,
        help="the reply does not follow the letter's order (default: decided from the text)",
    )
    p.add_argument("--dry-run", action="store_true", help="read and report, save nothing")
    p.add_argument("--json", action="store_true", help="print the matches as JSON")
    p.set_defaults(handler=cmd_import_response)
    r = subparsers.add_parser(
        "repeats",
        parents=[parent],
        help="list asks that likely repeat an ask of an earlier letter, for a clerk to confirm",
    )
    r.add_argument("--json", action="store_true", help="print the pairs as JSON")
    r.add_argument(
        "--confirm",
        nargs=2,
        metavar=("REF", "EARLIER_REF"),
        help="store that REF repeats EARLIER_REF (undo with 'pcc-desk undo')",
    )
    r.add_argument(
        "--as",
        dest="kind",
        type=slug_arg(LinkKind),
        default=LinkKind.REPEATS,
        help="with --confirm: repeats (default), supersedes, related or follows-up",
    )
    r.add_argument(
        "--unlink",
        nargs=2,
        metavar=("REF", "EARLIER_REF"),
        help="take out the link of REF to EARLIER_REF (undo with 'pcc-desk undo')",
    )
    r.set_defaults(handler=cmd_repeats)


def as_json(preview: ReplyPreview) -> dict:
    return {
        "letter": {
            "document_id": preview.letter.document_id,
            "title": preview.letter.title,
            "date": preview.letter.date,
        },
        "received": preview.received,
        "matches": [
            {
                "ref": s.ref,
                "passages": [{"text": p.text, "score": p.score} for p in s.passages],
                "position": s.position,
                "confidence": s.confidence,
            }
            for s in preview.suggestions
            if s.chosen is not None
        ],
        "unanswered": list(preview.unanswered),
        "unmatched_passages": [preview.passages[n] for n in preview.unmatched_passages],
    }


def _report(preview: ReplyPreview) -> str:
    lines = [
        f"{preview.file_name}: {preview.letter_reason}",
        f"  letter: {preview.letter.title} ({fmt_date(preview.letter.date)})",
        f"  received: {fmt_date(preview.received) or 'unknown'}"
        + ("" if preview.in_order else "  (matched out of the letter's order)"),
    ]
    for s in preview.suggestions:
        if s.chosen is None:
            lines.append(f"  {s.ref}: not answered in this reply")
        else:
            best = s.passages[0]
            lines.append(
                f"  {s.ref}: {s.position.label}, {s.confidence} ({best.score:.2f}) "
                f"passage {best.index + 1}: {shorten(best.text, 60)}"
            )
    unmatched = preview.unmatched_passages
    if unmatched:
        lines.append("  passages answering no ask: " + ", ".join(str(n + 1) for n in unmatched))
    lines += [f"  warning: {w}" for w in preview.warnings]
    return "\n".join(lines)


def cmd_import_response(args, desk) -> int:
    preview = reply_import.preview(
        desk,
        Path(args.path),
        letter=args.letter,
        received=args.received,
        in_order=args.in_order,
    )
    if args.dry_run:
        if args.json:
            print_json(as_json(preview))
        else:
            print(_report(preview))
        return 0
    try:
        result = reply_import.commit(desk, preview, received=args.received)
    except DuplicateImport as duplicate:  # as for letters: nothing to do is not a failure
        print(str(duplicate))
        return 0
    if args.json:
        out = as_json(preview)
        out["document_id"] = result.document_id
        out["logged"] = list(result.refs)
        print_json(out)
    else:
        print(_report(preview), file=sys.stderr)
        print(result.message)
    return 0


def cmd_repeats(args, desk) -> int:
    if args.unlink:
        ref, earlier = args.unlink
        asked = repeats.unlink(desk, ref, earlier)
        chain = repeats.chain_sentence(asked)
        print(
            f"{ref} is no longer linked to {earlier}" + (f"; its chain: {chain}." if chain else ".")
        )
        return 0
    if args.confirm:
        ref, earlier = args.confirm
        asked = repeats.confirm(desk, ref, earlier, args.kind)
        if args.json:
            print_json([{"ref": a.ref, "made": a.made, "kind": a.kind} for a in asked])
        else:
            print(
                f"{ref} linked to {earlier} ({args.kind.label.lower()}): {repeats.chain_sentence(asked)}."
            )
        return 0
    pairs = repeats.likely_repeats(desk)
    if args.json:
        print_json(
            [
                {
                    "ref": p.ref,
                    "made": p.made,
                    "repeats": {
                        "ref": p.earlier.ref,
                        "made": p.earlier.made,
                        "status": p.earlier.status,
                        "score": p.earlier.score,
                    },
                }
                for p in pairs
            ]
        )
        return 0
    if not pairs:
        print("No ask of the register looks like a repeat of an earlier one.")
        return 0
    for p in pairs:
        print(
            f"{p.ref} ({fmt_date(p.made)}) asked before: {p.earlier.ref} ({fmt_date(p.earlier.made)}), "
            f"{p.earlier.status.label}; similarity {p.earlier.score:.2f}"
        )
        print(f"    {shorten(p.text, 90)}")
        print(f"    {shorten(p.earlier.text, 90)}")
    print(f"{len(pairs)} likely repeat(s): confirm them in the register.")
    return 0
