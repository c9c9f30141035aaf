"""``pcc-desk --self-test``: an end-to-end check on a temporary register, in the source tree and in
the frozen app alike. It exits 0 with a one-line summary naming exactly the steps it ran, or 1 with
one line naming the step that failed.

Each step is a function ``step(ctx) -> str`` that does real work through the services and returns
what it did, in a few words; a step that finds something wrong raises. Steps run in the order of
:data:`STEPS`: the sample letter and the sample transcript shipped in ``resources/samples/`` are
imported, searched, quoted, answered, drafted into a follow-up letter and read back.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.metadata
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pcc_desk import __version__, backup, paths
from pcc_desk.errors import ServerUnreachable
from pcc_desk.importers.reading_ahead import ReadingAhead
from pcc_desk.importers.transcript import parse_transcript

if TYPE_CHECKING:
    from pcc_desk.services.desk import Desk


class SelfTestFailed(Exception):
    pass


@dataclass
class Context:
    folder: Path
    desk: Desk | None = None  # once opened
    values: dict[str, Any] = field(default_factory=dict)  # what one step leaves for the next

    @property
    def open_desk(self) -> Desk:
        if self.desk is None:
            raise SelfTestFailed("the register is not open")
        return self.desk


def _expect(condition: bool, what: str) -> None:
    if not condition:
        raise SelfTestFailed(what)


def step_open_register(ctx: Context) -> str:
    from pcc_desk.services import Desk

    paths.migrations_dir()
    paths.resources_dir()
    ctx.desk = Desk.open(ctx.folder / "self-test.sqlite3")
    return "created a register"


SAMPLE_TRANSCRIPT = "pcc-transcript-2022-10-12-sample.txt"
QUOTED = "That is how we succeed."


def step_import_letter(ctx: Context) -> str:
    from pcc_desk.services import letter_import, register

    result = letter_import.commit(
        ctx.open_desk, letter_import.preview(ctx.open_desk, paths.sample_letter())
    )
    _expect(result.outcome == "imported", f"the sample letter was not imported ({result.message})")
    rows = register.list_recommendations(ctx.open_desk)
    _expect(len(rows) == 22, f"the sample letter gave {len(rows)} recommendations, not 22")
    themes = register.list_themes(ctx.open_desk)
    _expect(len(themes) == 8, f"the sample letter gave {len(themes)} themes, not 8")
    # an ask whose paragraph cites the meeting of 12 October 2022 (footnote 10 of the letter)
    cites = [
        r.ref
        for r in rows
        if any(
            n.meeting_date == dt.date(2022, 10, 12)
            for n in register.get_recommendation(ctx.open_desk, r.ref).footnotes
        )
    ]
    _expect(bool(cites), "no recommendation cites the meeting of 12 October 2022")
    ctx.values["ref"] = cites[0]
    return f"imported the sample letter ({len(rows)} recommendations under {len(themes)} themes)"


def step_import_transcript(ctx: Context) -> str:
    from pcc_desk.services import transcripts

    result = transcripts.import_transcript(
        ctx.open_desk, paths.resources_dir() / "samples" / SAMPLE_TRANSCRIPT
    )
    _expect(
        result.created and len(result.segments) >= 5,
        "the sample transcript gave too few speaker turns",
    )
    _expect(
        result.footnotes_linked > 0,
        "no footnote of the letter was linked to the transcript of its meeting",
    )
    ctx.values["transcript_id"] = result.transcript.id
    return f"imported a transcript ({len(result.segments)} turns, {result.footnotes_linked} footnotes linked)"


def step_read_ahead(ctx: Context) -> str:
    """A folder's transcripts are read ahead in a second process (spawned: in the frozen app too)."""
    sample = paths.resources_dir() / "samples" / SAMPLE_TRANSCRIPT
    copies = []
    for n in range(3):
        copies.append(ctx.folder / f"ahead-{n}{sample.suffix}")
        shutil.copyfile(sample, copies[-1])
    read = functools.partial(parse_transcript, committee="Police and Crime Committee")
    with ReadingAhead(read, copies) as ahead:
        _expect(ahead.wait_ready(60), "the reading process did not start")
        turns = [len(ahead.take(path).segments) for path in copies]
        by_child = ahead.read_by_child
    _expect(by_child == 2, f"the reading process read {by_child} of the 2 files after the first")
    _expect(len(set(turns)) == 1, "a file read in the reading process gave other turns")
    return "read transcripts ahead in a second process"


def step_search(ctx: Context) -> str:
    from pcc_desk.services import search

    hits = search.search(ctx.open_desk, "tackling crime together")
    _expect(any(h.kind == "transcript" for h in hits), "searching the transcript found nothing")
    _expect(search.search(ctx.open_desk, "Met's \"* AND -") is not None, "a hostile search failed")
    return "searched it"


def step_attach_quote(ctx: Context) -> str:
    from pcc_desk.services import quotes

    quote = quotes.create_quote(
        ctx.open_desk, ctx.values["transcript_id"], QUOTED, refs=[ctx.values["ref"]]
    )
    _expect(
        quote.citation == "Police and Crime Committee, 12 October 2022 – transcript",
        f"unexpected citation {quote.citation!r}",
    )
    return "attached a quote"


def step_log_response(ctx: Context) -> str:
    from pcc_desk.model import Assessment, Position
    from pcc_desk.services import register

    register.log_response(
        ctx.open_desk,
        ctx.values["ref"],
        received=dt.date(2023, 5, 2),
        position=Position.PARTLY_ACCEPTED,
        assessment=Assessment.PARTLY_ADDRESSED,
        text="Self-test response: timescales will follow.",
    )
    return "logged a response"


def step_read_back(ctx: Context) -> str:
    from pcc_desk.model import Status
    from pcc_desk.services import register

    detail = register.get_recommendation(ctx.open_desk, ctx.values["ref"])
    _expect(
        len(detail.responses) == 1 and detail.responses[0].text.startswith("Self-test response"),
        "the response did not read back",
    )
    _expect(
        detail.status is Status.FOLLOW_UP_NEEDED,
        f"the status is {detail.status.label}, not Follow-up needed",
    )
    _expect(len(detail.history) == 2, "the status history is incomplete")
    _expect([q.text for q in detail.quotes] == [QUOTED], "the quote did not read back")
    _expect(bool(detail.footnotes), "the recommendation lost its footnotes")
    return "read them back"


def step_draft_letter(ctx: Context) -> str:
    """A follow-up letter as a real .docx, read back: the ask, the quote and its Word footnote."""
    import docx
    from lxml import etree

    from pcc_desk.services import letters, register

    out = ctx.folder / "follow-up.docx"
    drafted = letters.draft_letter(ctx.open_desk, letters.Selection(refs=(ctx.values["ref"],)), out)
    _expect(out.exists() and drafted.quotes == 1, "the letter was not written with its quote")
    document = docx.Document(str(out))
    body = "\n".join(p.text for p in document.paragraphs)
    detail = register.get_recommendation(ctx.open_desk, ctx.values["ref"])
    _expect(QUOTED.rstrip(".") in body, "the quote is not in the letter")
    _expect(detail.text[:40] in body, "the ask is not in the letter")
    part = next(
        (r.target_part for r in document.part.rels.values() if r.reltype.endswith("/footnotes")),
        None,
    )
    if part is None:
        raise SelfTestFailed("the letter has no footnotes part")
    notes = etree.fromstring(part.blob).xpath(
        "//w:footnote[not(@w:type)]//w:t/text()",
        namespaces={"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"},
    )
    _expect(
        any("12 October 2022 – transcript" in t for t in notes),
        "the quote's citation is not a footnote",
    )
    notes_word = "footnote" if drafted.footnotes == 1 else "footnotes"
    return f"drafted a follow-up letter ({drafted.footnotes} Word {notes_word}) and read it back"


def step_backup(ctx: Context) -> str:
    info = backup.take_backup(ctx.open_desk.location, "self-test")
    _expect(
        backup.list_backups(ctx.open_desk.location)[0].path == info.path, "the backup is not listed"
    )
    return "took and checked a backup"


def team_support_expected() -> bool:
    """The frozen app always carries the team register's driver and the keyring (build.spec);
    elsewhere they are there when PCC Desk was installed with its 'team' extra."""
    if getattr(sys, "frozen", False):
        return True
    try:
        importlib.metadata.distribution("psycopg")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def step_team_driver(ctx: Context) -> str:
    """The team register's driver loads with its own libpq, and a server that is not there is one
    line (a socket folder with no server: no network); the system keyring's backends load."""
    if not team_support_expected():
        return "found no team register support (not installed with the 'team' extra)"
    import psycopg

    _expect(
        psycopg.pq.__impl__ in ("binary", "c"),
        f"psycopg runs on its {psycopg.pq.__impl__} implementation, not the libpq it ships with",
    )
    from pcc_desk.services import Desk, credentials

    if os.name != "nt":  # (a folder is a socket folder only where libpq has Unix sockets)
        folder = ctx.folder / "no-server"
        folder.mkdir()
        try:
            Desk.open(f"postgresql+psycopg://clerk@/pcc_register?host={folder}").close()
        except ServerUnreachable as unreachable:
            _expect("cannot be reached" in str(unreachable), str(unreachable))
        else:
            raise SelfTestFailed("a team register was opened where there is no server")
    credentials.keyring_usable()
    libpq = psycopg.pq.version()
    return f"loaded the team register's driver (libpq {libpq // 10000}.{libpq % 10000})"


def step_qt_window(ctx: Context) -> str:
    """The desktop app's window can be built (Qt, its plugins and the forms are all present)."""
    from pcc_desk.gui.selftest_qt import build_main_window_offscreen

    build_main_window_offscreen(ctx.open_desk)
    return "built the main window offscreen"


def step_qt_text(ctx: Context) -> str:
    """Qt's text services (ICU underneath): collation, encodings, time-zone names, upper case."""
    from pcc_desk.gui.selftest_qt import check_text_services

    check_text_services()
    return "checked Qt's sorting, encodings and time zones"


Step = Callable[[Context], str]
STEPS: list[Step] = [
    step_open_register,
    step_import_letter,
    step_import_transcript,
    step_search,
    step_attach_quote,
    step_log_response,
    step_read_back,
    step_draft_letter,
    step_backup,
    step_read_ahead,
    step_team_driver,
    step_qt_window,
    step_qt_text,
]


def run_steps(steps: list[Step] | None = None) -> list[str]:
    """Run the chain in a temporary folder; returns what each step did. Raises on the first failure,
    as ``SelfTestFailed("<step>: <problem>")``."""
    done: list[str] = []
    with tempfile.TemporaryDirectory(prefix="pcc-desk-self-test-") as folder:
        ctx = Context(Path(folder))
        try:
            for step in steps or STEPS:
                try:
                    done.append(step(ctx))
                except Exception as exc:
                    name = step.__name__.removeprefix("step_").replace("_", " ")
                    raise SelfTestFailed(
                        f"{name}: {' '.join(str(exc).split()) or type(exc).__name__}"
                    ) from exc
        finally:
            if ctx.desk is not None:
                ctx.desk.close()
    return done


def run_self_test() -> int:
    started = time.perf_counter()
    os.environ.setdefault("PCC_DESK_LOG", "WARNING")
    try:
        done = run_steps()
    except SelfTestFailed as failure:
        print(f"PCC Desk {__version__} self-test FAILED at {failure}", file=sys.stderr)
        return 1
    frozen = " (frozen app)" if getattr(sys, "frozen", False) else ""
    print(
        f"PCC Desk {__version__} self-test passed{frozen}: {', '.join(done)} in {time.perf_counter() - started:.1f} s."
    )
    return 0
