"""``pcc-desk undo-import DOCUMENT_ID_OR_FILE``: take one import out of the register again.

A letter (or minutes) import goes with its asks, footnotes and the themes it made; a transcript with
its turns. Refused (exit code 2, nothing changed) once the clerk has worked on what it brought: a
response, a quote, a status change, a due date revision or an edit.
"""

from __future__ import annotations

from pcc_desk.model import DocumentKind
from pcc_desk.services import letter_import, transcripts


def add_commands(subparsers, parent) -> None:
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


def cmd_undo_import(args, desk) -> int:
    found = letter_import.find_import(desk, args.ident)
    if found.kind == DocumentKind.TRANSCRIPT and found.transcript_id is not None:
        record = transcripts.delete_transcript(desk, found.transcript_id)
        print(
            f"{found.file_name}: import undone; the transcript of {record.citation.removesuffix(' – transcript')} "
            f"({record.segment_count} turn(s)) and the kept copy of the file removed."
        )
        return 0
    print(letter_import.undo_import(desk, found.document_id).message)
    return 0
