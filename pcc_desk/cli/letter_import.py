"""``pcc-desk import-letter FILE_OR_FOLDER... [--dry-run] [--json] [--minutes]``.

A thin caller of :func:`pcc_desk.services.batch_import.import_letters`: each file is read, checked and
saved in its own transaction; folders are walked with the skip rules every front end shares, with
progress on stderr. A file that fails does not stop the others: the failures are listed at the end
and the exit code is 2.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from pcc_desk import lazy
from pcc_desk.cli.common import print_json
from pcc_desk.letter_values import ParsedLetter
from pcc_desk.vocabulary import LinkKind

if TYPE_CHECKING:
    from pcc_desk.services import batch_import, repeats
    from pcc_desk.services.batch_import import FileResult
    from pcc_desk.services.letter_import import Comparison, LetterPreview
else:  # the services load SQLAlchemy: not for `pcc-desk --help` (pcc_desk.lazy)
    batch_import = lazy.module("pcc_desk.services.batch_import")
    repeats = lazy.module("pcc_desk.services.repeats")


def add_commands(subparsers, parent) -> None:
    p = subparsers.add_parser(
        "import-letter",
        parents=[parent],
        help="import Committee letters (or meeting minutes): every ask, its theme and footnotes",
    )
    p.add_argument(
        "paths",
        nargs="+",
        metavar="FILE_OR_FOLDER",
        help=".docx, .pdf, .md or .txt files, or folders of them",
    )
    p.add_argument("--dry-run", action="store_true", help="read and report, save nothing")
    p.add_argument(
        "--json",
        action="store_true",
        help="print what was read as JSON (an array for several files)",
    )
    kind = p.add_mutually_exclusive_group()
    kind.add_argument(
        "--minutes",
        dest="minutes",
        action="store_const",
        const=True,
        default=None,
        help="read the files as meeting minutes (undertakings); default: decided by the content",
    )
    kind.add_argument(
        "--letter",
        dest="minutes",
        action="store_const",
        const=False,
        help="read the files as letters even if they mention undertakings",
    )
    p.set_defaults(handler=cmd_import_letter)


def _document(letter: ParsedLetter) -> dict:
    head = letter.head
    return {
        "date": head.date,
        "sender": head.sender,
        "sender_role": head.sender_role,
        "recipient": head.recipient,
        "recipient_role": head.recipient_role,
        "cc": list(head.cc),
        "subject": head.subject,
        "salutation": head.salutation,
        "kind": letter.document_kind,
    }


def as_json(
    file_name: str, outcome: str, letter: ParsedLetter, comparison: Comparison, message: str = ""
) -> dict:
    recommendations = []
    for ask, match in zip(letter.asks, comparison.matches, strict=False):
        entry = {
            "ref": match.ref,
            "theme": ask.theme,
            "text": ask.text,
            "context": ask.context,
            "footnotes": list(ask.footnotes),
            "kind": ask.kind,
            "addressee": ask.addressee or letter.head.recipient,
            "follows_up": ask.link_to if ask.link_kind == LinkKind.FOLLOWS_UP else None,
            "linked_to": {"ref": ask.link_to, "kind": ask.link_kind} if ask.link_to else None,
            # several addressees the ask names, as the import will record them (empty: the one)
            "addressees": list(ask.addressees),
        }
        if comparison.previous is not None:
            entry["match"] = match.status
        recommendations.append(entry)
    out = {
        "file": file_name,
        "outcome": outcome,
        "message": message,
        "document": _document(letter),
        "themes": list(letter.themes),
        "recommendations": recommendations,
        "suggested": [
            {"theme": s.theme, "text": s.text, "context": s.context, "footnotes": list(s.footnotes)}
            for s in letter.suggested
        ],
        "footnotes": [
            {
                "number": n.number,
                "text": n.text,
                "urls": list(n.urls),
                "committee": n.committee,
                "meeting_date": n.meeting_date,
            }
            for n in letter.footnotes
        ],
        "warnings": list(letter.warnings),
    }
    if comparison.previous is not None:
        out["reimport_of"] = {
            "file": comparison.previous.file_name,
            "imported_on": comparison.previous.imported_on,
        }
        out["removed"] = [{"ref": r.ref, "text": r.text} for r in comparison.removed]
    return out


def _add_repeats(finder, letter: ParsedLetter, report: dict) -> None:
    """Each ask's earlier asks it repeats (``"repeats": [{"ref", "score"}]``, most alike first)."""
    for entry in report["recommendations"]:
        earlier = finder.earlier(entry["text"], before=letter.head.date, exclude=entry["ref"])
        entry["repeats"] = [
            {"ref": e.ref, "score": e.score, "made": e.made, "status": e.status} for e in earlier
        ]


def _dry_run_outcome(preview: LetterPreview) -> tuple[str, str]:
    name = preview.file_name
    if preview.duplicate_of is not None:
        return (
            "duplicate",
            f"{name}: already imported on {preview.duplicate_of.imported_on.isoformat()}; nothing would be added.",
        )
    comparison = preview.comparison
    if comparison.previous is not None:
        return "reimport", (
            f"{name}: an edited version of {comparison.previous.file_name}: {len(comparison.new)} new, "
            f"{len(comparison.changed)} changed, {len(comparison.removed)} removed ask(s) (dry run: nothing saved)."
        )
    return (
        "dry-run",
        f"{name}: {len(preview.letter.asks)} ask(s), {len(preview.letter.footnotes)} footnote(s), {len(preview.letter.themes)} theme(s) read (dry run: nothing saved).",
    )


def _print_report(letter: ParsedLetter, comparison: Comparison, message: str) -> None:
    print(message)
    for ask, match in zip(letter.asks, comparison.matches, strict=False):
        tag = f" [{match.status}]" if comparison.previous is not None else ""
        notes = f" (footnotes {', '.join(map(str, ask.footnotes))})" if ask.footnotes else ""
        print(f"  {match.ref or '-'}{tag}  {ask.theme or '-'}: {ask.text}{notes}")
        if ask.link_to:
            kind = LinkKind.parse(ask.link_kind or LinkKind.FOLLOWS_UP).label.lower()
            print(f"    {kind}: {ask.link_to}")
    for removed in comparison.removed:
        print(f"  {removed.ref} [not in this version; kept in the register]  {removed.text}")
    for sug in letter.suggested:
        print(f"  suggested (not saved): {sug.text}")
    for warning in letter.warnings:
        print(f"  note: {warning}")


def _report(result: FileResult, dry_run: bool) -> tuple[str, str, ParsedLetter, Comparison]:
    """(outcome, message, letter, comparison) of one file read (and saved unless a dry run)."""
    preview = result.preview
    assert preview is not None
    if dry_run:
        outcome, message = _dry_run_outcome(preview)
        return outcome, message, preview.letter, preview.comparison
    saved = result.letter
    assert saved is not None
    comparison = (
        preview.comparison if result.outcome is batch_import.Outcome.DUPLICATE else saved.comparison
    )
    return saved.outcome, saved.message, saved.letter, comparison


def cmd_import_letter(args, desk) -> int:
    selection = batch_import.collect(desk.location, args.paths, batch_import.Kind.LETTERS)
    files = selection.files
    several = len(files) > 1
    for skipped in selection.skipped:
        print(f"skipped: {skipped.reason}", file=sys.stderr, flush=True)

    def progress(done: int, total: int) -> None:
        if several and done < total:
            print(f"[{done + 1}/{total}] {files[done][1]}", file=sys.stderr, flush=True)

    def reported(result: FileResult) -> None:
        if result.outcome is batch_import.Outcome.REFUSED and several:
            print(f"  failed: {result.reason}", file=sys.stderr, flush=True)

    batch = batch_import.import_letters(
        desk,
        selection,
        progress=progress,
        reported=reported,
        minutes=args.minutes,
        dry_run=args.dry_run,
    )
    failures = batch.refused
    if failures and not several and failures[0].error is not None:
        raise failures[0].error
    reports: list[dict] = []
    finder = repeats.RepeatFinder(desk) if args.dry_run else None
    for result in batch.results:
        if result.outcome is batch_import.Outcome.REFUSED:
            continue
        outcome, message, letter, comparison = _report(result, args.dry_run)
        report = as_json(result.path.name, outcome, letter, comparison, message)
        if finder is not None:
            _add_repeats(finder, letter, report)
        reports.append(report)
        if args.json:
            continue
        if several or outcome == "duplicate":
            print(message)
        else:
            _print_report(letter, comparison, message)
            for entry in report["recommendations"]:
                for e in entry.get("repeats", ())[:1]:
                    print(
                        f"  {entry['ref']}: asked before: {e['ref']} ({e['made'].isoformat()}), "
                        f"{e['status'].label}"
                    )
    if args.json:
        print_json(reports if several else reports[0])
    if failures:
        print(f"{len(failures)} of {len(files)} file(s) could not be imported:", file=sys.stderr)
        for failure in failures:
            print(f"  {failure.reason}", file=sys.stderr)
        return 2
    if several:
        print(f"{len(files)} file(s) done.", file=sys.stderr)
    return 0
