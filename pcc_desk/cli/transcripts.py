"""Transcript, search and quote commands: import-transcript, transcripts, search, quote, detach-quote,
delete-transcript; and original (the file an import was read from, as the register keeps it)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from pcc_desk import lazy
from pcc_desk.cli.common import date_arg, fmt_date, print_json, shorten, table
from pcc_desk.errors import ImportRejected

if TYPE_CHECKING:
    from pcc_desk.services import batch_import, originals
    from pcc_desk.services import quotes as quote_service
    from pcc_desk.services import search as search_service
    from pcc_desk.services import transcripts as transcript_service
else:  # the services load SQLAlchemy: not for `pcc-desk --help` (pcc_desk.lazy)
    batch_import = lazy.module("pcc_desk.services.batch_import")
    quote_service = lazy.module("pcc_desk.services.quotes")
    search_service = lazy.module("pcc_desk.services.search")
    transcript_service = lazy.module("pcc_desk.services.transcripts")
    originals = lazy.module("pcc_desk.services.originals")


def add_commands(subparsers, parent) -> None:
    p = subparsers.add_parser(
        "import-transcript",
        parents=[parent],
        help="import meeting transcripts (.docx, .pdf, .txt, .md, .rst; files or folders)",
    )
    p.add_argument("paths", nargs="+", metavar="FILE_OR_FOLDER")
    p.add_argument(
        "--date",
        type=date_arg,
        help="meeting date, when neither the header nor the file name gives it",
    )
    p.add_argument("--title", help="title, when neither the header nor the file name gives it")
    p.add_argument(
        "--committee",
        help="committee, when the header does not name it (default: the Committee in Settings)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_import)

    p = subparsers.add_parser(
        "transcripts", parents=[parent], help="list the transcripts in the library"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)

    p = subparsers.add_parser("transcript", parents=[parent], help="show one transcript's turns")
    p.add_argument("id", help="transcript id (or its first 8 characters)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)

    p = subparsers.add_parser(
        "search",
        parents=[parent],
        help="search transcripts, recommendations, responses and footnotes",
    )
    p.add_argument(
        "text",
        nargs="+",
        help='words to find; "quoted words" together; the last word may be unfinished',
    )
    p.add_argument("--speaker", help="only turns by this speaker (name or role)")
    p.add_argument("--from", dest="date_from", type=date_arg, help="on or after this date")
    p.add_argument("--to", dest="date_to", type=date_arg, help="on or before this date")
    p.add_argument("--committee")
    p.add_argument(
        "--kind",
        action="append",
        help="transcript, recommendation, response or footnote (repeatable)",
    )
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_search)

    p = subparsers.add_parser(
        "search-index",
        parents=[parent],
        help="check the search index, or rebuild it from the records",
    )
    p.add_argument("--rebuild", action="store_true")
    p.set_defaults(handler=cmd_search_index)

    p = subparsers.add_parser(
        "quote",
        parents=[parent],
        help="quote a transcript's exact words in support of recommendations",
    )
    p.add_argument("refs", nargs="+", metavar="REF")
    p.add_argument("--transcript", required=True, help="transcript id (or its first 8 characters)")
    p.add_argument("--text", required=True, help="the exact words as spoken")
    p.add_argument(
        "--occurrence",
        type=int,
        help="which occurrence, when the words are said more than once (1 = first)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_quote)

    p = subparsers.add_parser(
        "detach-quote", parents=[parent], help="detach a quote from recommendations"
    )
    p.add_argument("quote_id")
    p.add_argument("refs", nargs="+", metavar="REF")
    p.set_defaults(handler=cmd_detach)

    p = subparsers.add_parser(
        "delete-transcript",
        parents=[parent],
        help="delete a transcript (refused while it has quotes, unless --force)",
    )
    p.add_argument("id")
    p.add_argument("--force", action="store_true", help="also delete its quotes")
    p.set_defaults(handler=cmd_delete)
    p = subparsers.add_parser(
        "original",
        parents=[parent],
        help="write the original file a letter, minutes or transcript was imported from",
        description=(
            "Write the file an import was read from, as the register keeps it (the same bytes), "
            "e.g. to open it on a team register's computer that did not import it."
        ),
    )
    p.add_argument(
        "id", help="a transcript's or an imported document's id (or its first 8 characters)"
    )
    p.add_argument("--out", metavar="PATH", help="where to write it (default: its own name, here)")
    p.add_argument("--force", action="store_true", help="replace PATH if it exists")
    p.set_defaults(handler=cmd_original)


def _import_json(result: transcript_service.ImportResult) -> dict:
    t = result.transcript
    return {
        "transcript": {"id": t.id, "committee": t.committee, "date": t.date, "title": t.title},
        "segments": [
            {
                "speaker": s.speaker,
                "speaker_name": s.speaker_name,
                "role": s.role,
                "text": s.text,
                "page": s.page,
            }
            for s in result.segments
        ],
        "created": result.created,
        "notes": list(result.notes),
    }


def cmd_import(args, desk) -> int:
    """A thin caller of :func:`pcc_desk.services.batch_import.import_transcripts`."""
    selection = batch_import.collect(desk.location, args.paths, batch_import.Kind.TRANSCRIPTS)
    total = len(selection.files)
    for skipped in selection.skipped:
        print(f"skipped: {skipped.reason}", file=sys.stderr, flush=True)
    count = iter(range(1, total + 1))

    def reported(result: batch_import.FileResult) -> None:
        prefix = f"[{next(count)}/{total}] {result.path.name}"
        if result.transcript is not None:
            state = result.reason.removeprefix(f"{result.path.name}: ")
        else:
            state = "skipped: " + result.reason.removeprefix(f"{result.path.name}: ")
        print(f"{prefix}: {state}", file=sys.stderr, flush=True)
        for note in result.transcript.notes if result.transcript is not None else ():
            print(f"{prefix}: check: {note}", file=sys.stderr, flush=True)

    batch = batch_import.import_transcripts(
        desk,
        selection,
        reported=reported,
        date=args.date,
        title=args.title,
        committee=args.committee,
    )
    results = [r.transcript for r in batch.results if r.transcript is not None]
    failures = len(batch.results) - len(results)
    if args.json:
        payload = [_import_json(r) for r in results]
        print_json(payload[0] if total == 1 and payload else payload)
    else:
        for r in results:
            print(
                f"{str(r.transcript.id)[:8]}  {fmt_date(r.transcript.date)}  {r.transcript.title}"
            )
    if failures and total == 1:
        raise ImportRejected(f"{selection.files[0][0].name} was not imported.")
    if failures:
        print(
            f"{failures} of {total} file(s) could not be imported; the others were.",
            file=sys.stderr,
        )
        return 1
    return 0


def cmd_list(args, desk) -> int:
    rows = transcript_service.list_transcripts(desk)
    if args.json:
        print_json(rows)
        return 0
    print(
        table(
            [
                [
                    str(r.id)[:8],
                    fmt_date(r.date),
                    shorten(r.committee, 30),
                    shorten(r.title, 60),
                    str(r.segment_count),
                    str(r.quote_count),
                ]
                for r in rows
            ],
            ["id", "date", "committee", "title", "turns", "quotes"],
        )
    )
    return 0


def cmd_show(args, desk) -> int:
    detail = transcript_service.get_transcript(desk, args.id)
    if args.json:
        print_json(detail)
        return 0
    t = detail.transcript
    print(f"{t.citation}\n{t.title}\n")
    for s in detail.segments:
        page = f" [p. {s.page}]" if s.page else ""
        print(f"{s.ordinal}. {s.speaker}{page}: {s.text}\n")
    return 0


def cmd_search(args, desk) -> int:
    found = search_service.find(
        desk,
        " ".join(args.text),
        speaker=args.speaker,
        date_from=args.date_from,
        date_to=args.date_to,
        committee=args.committee,
        kinds=args.kind,
        limit=args.limit,
    )
    hits = found.hits
    for note in found.notes:
        print(note, file=sys.stderr)
    if args.json:
        print_json(hits)
        return 0
    if not hits:
        print("No matches.", file=sys.stderr)
        return 0
    for hit in hits:
        who = f" – {hit.speaker}" if hit.speaker else ""
        print(
            f"[{hit.kind}] {fmt_date(hit.date)}  {hit.title}{who}\n    {hit.snippet}\n    id {hit.id}"
        )
    return 0


def cmd_search_index(args, desk) -> int:
    if args.rebuild:
        count = search_service.rebuild_index(desk)
        print(f"Search index rebuilt: {count:,} records.")
        return 0
    problems = search_service.check_index(desk)
    for problem in problems:
        print(f"pcc-desk: {problem}; run `pcc-desk search-index --rebuild`.", file=sys.stderr)
    if not problems:
        print("Search index OK.")
    return 1 if problems else 0


def cmd_quote(args, desk) -> int:
    record = quote_service.create_quote(
        desk, args.transcript, args.text, occurrence=args.occurrence, refs=args.refs
    )
    if args.json:
        print_json(record)
        return 0
    print(f"{record.id}\n“{record.text}” – {record.speaker}. {record.citation}")
    return 0


def cmd_detach(args, desk) -> int:
    quote_service.detach_quote(desk, args.quote_id, args.refs)
    print(f"Detached from {', '.join(args.refs)}.")
    return 0


def cmd_delete(args, desk) -> int:
    record = transcript_service.delete_transcript(desk, args.id, force=args.force)
    print(
        f"Deleted the transcript of {record.citation.removesuffix(' – transcript')} ({record.title})."
    )
    return 0


def cmd_original(args, desk) -> int:
    path = originals.write_original(desk, args.id, args.out, force=args.force)
    print(f"Wrote {path} ({path.stat().st_size:,} bytes).")
    return 0
