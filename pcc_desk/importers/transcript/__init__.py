"""Meeting transcripts (.txt/.md/.rst, .docx, .pdf) read into a plain :class:`ParsedTranscript`.

A London Assembly transcript opens with a header ("Police and Crime Committee – 12 October 2022",
"Transcript of Agenda Item 5 – Question and Answer Session with the Commissioner") and then runs as
speaker turns: ``Susan Hall AM (Chairman): …``. UK Parliament oral evidence numbers the questions
(``Q12 Chair: …``). A turn runs until the next speaker label, over as many paragraphs (and pages) as
it takes. Meeting date and title come from the header, else the file name, else the caller's values.

This package only parses: nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TypedDict, Unpack

from pcc_desk.errors import ImportRejected
from pcc_desk.importers.safety import check_file
from pcc_desk.importers.text import text_reader
from pcc_desk.importers.transcript.documents import _docx_paragraphs, _pdf_paragraphs
from pcc_desk.importers.transcript.header import (
    _committee_from_name,
    _date_from_name,
    _header_facts,
    _title_from_name,
)
from pcc_desk.importers.transcript.labels import (
    is_standalone,
    match_label,
    questions_from,
    witness_called,
)
from pcc_desk.importers.transcript.model import (
    COMMITTEE_ABBREVIATIONS,
    MAX_HEADER_PARAGRAPHS,
    TRANSCRIPT_SUFFIXES,
    ParsedSegment,
    ParsedTranscript,
    _Para,
)
from pcc_desk.importers.transcript.rst import RST_SUFFIXES, rst_lines, rst_to_text
from pcc_desk.importers.transcript.text_reading import _paragraphs_of_text
from pcc_desk.importers.transcript.turns import segments_from_paragraphs

__all__ = [
    "COMMITTEE_ABBREVIATIONS",
    "MAX_HEADER_PARAGRAPHS",
    "RST_SUFFIXES",
    "TRANSCRIPT_SUFFIXES",
    "Fallbacks",
    "ParsedSegment",
    "ParsedTranscript",
    "is_standalone",
    "match_label",
    "parse_paragraphs",
    "parse_transcript",
    "parse_transcript_text",
    "questions_from",
    "rst_lines",
    "rst_to_text",
    "segments_from_paragraphs",
    "witness_called",
]


def parse_paragraphs(
    paras: list[_Para],
    name: str,
    *,
    date: dt.date | None = None,
    title: str | None = None,
    committee: str | None = None,
    fmt: str = "text",
    running_header: Sequence[str] = (),
) -> ParsedTranscript:
    header, segments, notes = segments_from_paragraphs(paras)
    if not segments:
        raise ImportRejected(
            f"{name}: no speaker turns found (a transcript's turns start like 'Susan Hall AM (Chairman): …')."
        )
    head_committee, head_date, head_title, _ = _header_facts(header[:MAX_HEADER_PARAGRAPHS])
    if running_header and not (head_committee and head_date):
        run_committee, run_date, _, _ = _header_facts(list(running_header))
        head_committee, head_date = head_committee or run_committee, head_date or run_date
    stem = Path(name).stem
    meeting_date = head_date or _date_from_name(stem) or date
    if meeting_date is None:
        raise ImportRejected(
            f"{name}: no meeting date in the transcript's header or its file name; give it with --date YYYY-MM-DD."
        )
    final_title = head_title or _title_from_name(stem) or (title or "").strip()
    if not final_title:
        raise ImportRejected(
            f"{name}: no title in the transcript's header or its file name; give it with --title."
        )
    final_committee = head_committee or _committee_from_name(stem) or (committee or "").strip()
    return ParsedTranscript(
        committee=" ".join(final_committee.split()),
        meeting_date=meeting_date,
        title=" ".join(final_title.split()),
        segments=tuple(segments),
        source_name=name,
        format=fmt,
        notes=tuple(notes),
    )


class Fallbacks(TypedDict, total=False):
    """What a transcript's header and file name may leave out: see :func:`parse_transcript`."""

    date: dt.date | None
    title: str | None
    committee: str | None


def parse_transcript_text(
    text: str, name: str = "transcript.txt", **fallbacks: Unpack[Fallbacks]
) -> ParsedTranscript:
    return _parse_text_lines(lambda: iter(text.split("\n")), name, **fallbacks)


def _parse_text_lines(
    lines: Callable[[], Iterable[str]], name: str, **fallbacks: Unpack[Fallbacks]
) -> ParsedTranscript:
    """A .txt/.md/.rst transcript from its lines (``lines()`` gives them, as often as asked)."""
    suffix = Path(name).suffix.lower()
    if suffix in RST_SUFFIXES:
        source = lines

        def lines() -> Iterator[str]:
            return rst_lines(source())

    markdown = suffix in (".md", ".markdown")
    paras = list(_paragraphs_of_text(lines, markdown))
    return parse_paragraphs(paras, name, fmt="text", **fallbacks)


def parse_transcript(
    path: Path,
    *,
    date: dt.date | None = None,
    title: str | None = None,
    committee: str | None = None,
) -> ParsedTranscript:
    """Read a transcript file. ``date``/``title``/``committee`` are used only when neither the header
    nor the file name gives them. Raises :class:`ImportRejected` with a one-line reason."""
    path = Path(path)
    checked = check_file(path)
    fallbacks = Fallbacks(date=date, title=title, committee=committee)
    if checked.kind == "docx":
        paras, running = _docx_paragraphs(path)
        return parse_paragraphs(paras, path.name, fmt="docx", running_header=running, **fallbacks)
    if checked.kind == "pdf":
        return parse_paragraphs(_pdf_paragraphs(path), path.name, fmt="pdf", **fallbacks)

    # read a piece at a time, twice (see _paragraphs_of_text): a big transcript is never held whole
    return _parse_text_lines(text_reader(path), path.name, **fallbacks)
