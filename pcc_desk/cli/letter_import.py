"""``pcc-desk import-letter FILE_OR_FOLDER... [--dry-run] [--json] [--minutes]``.

Each file is read, checked and saved in its own transaction; a folder is walked (recursively, in name
order) for .docx, .pdf, .md and .txt files with progress on stderr. A file that fails does not stop the
others: the failures are listed at the end and the exit code is 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pcc_desk import lazy
from pcc_desk.cli.common import print_json
from pcc_desk.errors import InvalidInput, PccError
from pcc_desk.importers.letter_model import ParsedLetter
from pcc_desk.importers.safety import LETTER_SUFFIXES

if TYPE_CHECKING:
    from pcc_desk.services import letter_import
    from pcc_desk.services.letter_import import Comparison, ImportResult, LetterPreview
else:  # the services load SQLAlchemy: not for `pcc-desk --help` (pcc_desk.lazy)
    letter_import = lazy.module("pcc_desk.services.letter_import")


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


def collect_files(paths: list[str], skip: tuple[Path, ...] = ()) -> list[Path]:
    """The files named, and those in the folders named (never the register's own files folder)."""
    skip = tuple(p.resolve() for p in skip)
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                (
                    f
                    for f in path.rglob("*")
                    if f.is_file()
                    and f.suffix.lower() in LETTER_SUFFIXES
                    and not f.name.startswith((".", "~$"))
                    and not any(f.resolve().is_relative_to(s) for s in skip)
                ),
                key=lambda f: str(f).lower(),
            )
            if not found:
                raise InvalidInput(
                    f"{path.name}: the folder holds no .docx, .pdf, .md or .txt files."
                )
            files.extend(found)
        else:
            files.append(path)
    return files


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
    for removed in comparison.removed:
        print(f"  {removed.ref} [not in this version; kept in the register]  {removed.text}")
    for sug in letter.suggested:
        print(f"  suggested (not saved): {sug.text}")
    for warning in letter.warnings:
        print(f"  note: {warning}")


def _one(desk, path: Path, args) -> tuple[str, str, ParsedLetter, Comparison]:
    """(outcome, message, letter, comparison) for one file, saved unless --dry-run."""
    preview = letter_import.preview(desk, path, minutes=args.minutes)
    if args.dry_run:
        outcome, message = _dry_run_outcome(preview)
        return outcome, message, preview.letter, preview.comparison
    result: ImportResult = letter_import.commit(desk, preview)
    comparison = result.comparison
    if result.outcome == letter_import.OUTCOME_DUPLICATE:
        comparison = preview.comparison
    return result.outcome, result.message, result.letter, comparison


def cmd_import_letter(args, desk) -> int:
    location = desk.location
    files = collect_files(args.paths, skip=(location.files_dir, location.backups_dir))
    several = len(files) > 1
    reports: list[dict] = []
    failures: list[str] = []
    for n, path in enumerate(files, start=1):
        if several:
            print(f"[{n}/{len(files)}] {path.name}", file=sys.stderr, flush=True)
        try:
            outcome, message, letter, comparison = _one(desk, path, args)
        except PccError as error:
            if not several:
                raise
            failures.append(str(error))
            print(f"  failed: {error}", file=sys.stderr, flush=True)
            continue
        reports.append(as_json(path.name, outcome, letter, comparison, message))
        if args.json:
            continue
        if several or outcome == "duplicate":
            print(message)
        else:
            _print_report(letter, comparison, message)
    if args.json:
        print_json(reports if several else reports[0])
    if failures:
        print(f"{len(failures)} of {len(files)} file(s) could not be imported:", file=sys.stderr)
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)
        return 2
    if several:
        print(f"{len(files)} file(s) done.", file=sys.stderr)
    return 0
