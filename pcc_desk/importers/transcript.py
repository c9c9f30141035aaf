"""Meeting transcripts (.txt/.md, .docx, .pdf) read into a plain :class:`ParsedTranscript`.

A London Assembly transcript opens with a header ("Police and Crime Committee – 12 October 2022",
"Transcript of Agenda Item 5 – Question and Answer Session with the Commissioner") and then runs as
speaker turns: ``Susan Hall AM (Chairman): …``. UK Parliament oral evidence numbers the questions
(``Q12 Chair: …``). A turn runs until the next speaker label, over as many paragraphs (and pages) as
it takes. Meeting date and title come from the header, else the file name, else the caller's values.

This module only parses: nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pcc_desk.dates import DAY_MONTH_YEAR, ISO_DATE, parse_date
from pcc_desk.errors import ImportRejected
from pcc_desk.importers.safety import check_file
from pcc_desk.speakers import (
    POST_NOMINALS,
    PREFIXES,
    SpeakerResolver,
    person_key,
    role_only_key,
    split_label,
)

TRANSCRIPT_SUFFIXES = (".txt", ".md", ".docx", ".pdf")
COMMITTEE_ABBREVIATIONS = {"pcc": "Police and Crime Committee"}
MAX_HEADER_PARAGRAPHS = 40


@dataclass(frozen=True)
class ParsedSegment:
    speaker: str  # as written, without the trailing colon
    speaker_name: str  # the person, honours dropped, one form per person in the transcript
    role: str
    text: str
    page: int | None = None


@dataclass(frozen=True)
class ParsedTranscript:
    committee: str
    meeting_date: dt.date
    title: str
    segments: tuple[ParsedSegment, ...]
    source_name: str = ""
    format: str = ""  # "text" | "docx" | "pdf"

    @property
    def word_count(self) -> int:
        return sum(len(s.text.split()) for s in self.segments)


@dataclass(frozen=True)
class _Para:
    text: str
    page: int | None = None


# --- speaker labels -----------------------------------------------------------------------------

_NAME_WORD = r"[A-ZÀ-Þ][A-Za-zÀ-ÿ'’.\-]*"
_JOINER = r"(?:of|the|and|for|de|van|von|der|den|le|la|du|da|di|ap|bin|al|el)"
_LABEL = re.compile(
    rf"^(?P<label>(?:Q\s?\d{{1,5}}(?:[-–]\d{{1,5}})?\s+)?{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|{_JOINER})){{0,9}}"
    rf"(?:,?\s*\([^()\n]{{1,160}}\))?)\s*:(?:\s+|$)(?P<rest>.*)$",
    re.DOTALL,
)
_NOT_SPEAKERS = {
    "note",
    "notes",
    "witnesses",
    "witness",
    "present",
    "members",
    "subject",
    "agenda",
    "item",
    "transcript",
    "question",
    "answer",
    "date",
    "time",
    "venue",
    "location",
    "apologies",
    "also",
    "in",
    "attendance",
    "key",
    "points",
    "summary",
    "action",
    "actions",
    "update",
    "recommendation",
    "recommendations",
    "source",
    "sources",
    "contents",
    "page",
    "example",
    "examples",
    "part",
    "section",
    "annex",
    "appendix",
    "oral",
    "evidence",
    "written",
    "minutes",
    "meeting",
    "chapter",
    "title",
    "re",
    "fao",
    "cc",
    "tel",
    "email",
}


def match_label(text: str) -> tuple[str, str] | None:
    """``(label, rest)`` when a paragraph opens with a speaker label, else None."""
    match = _LABEL.match(text)
    if not match:
        return None
    label = match.group("label").strip()
    parsed = split_label(label)
    bare = re.sub(r"\([^()]*\)", " ", label)
    bare = re.sub(r"^Q\s?\d+(?:[-–]\d+)?\s+", "", bare).strip(" ,")
    words = bare.split()
    lowered = [w.lower().strip(".,") for w in words]
    if not words or all(w in _NOT_SPEAKERS for w in lowered):
        return None
    if lowered[0] in _NOT_SPEAKERS and parsed.question is None and not parsed.role:
        return None
    plausible = (
        parsed.question is not None
        or bool(parsed.role)
        or any(w.upper().rstrip(".") in POST_NOMINALS for w in words)
        or lowered[0] in PREFIXES
        or role_only_key(bare) is not None
        or sum(1 for w in words if w[:1].isupper()) >= 2
    )
    if not plausible:
        return None
    return label, match.group("rest")


# --- reading each format into paragraphs ---------------------------------------------------------


def _text_paragraphs(text: str, markdown: bool) -> list[_Para]:
    return list(_paragraphs_of_lines(text.split("\n"), markdown, paged="\f" in text))


def _paragraphs_of_lines(lines: Iterable[str], markdown: bool, *, paged: bool) -> Iterator[_Para]:
    """Paragraphs of a text, read line by line (a big file is never held whole); a form feed starts a
    new page, and pages are numbered when the text has any."""
    seen_label = False  # before the first speaker turn every header line stands alone
    page_no = 1
    block: list[str] = []

    def flush() -> Iterator[_Para]:
        if block:
            yield _Para(" ".join(block), page_no if paged else None)
            block.clear()

    for raw_line in lines:
        for piece_no, raw in enumerate(raw_line.split("\f")):
            if piece_no:  # a form feed: the page ends here
                yield from flush()
                page_no += 1
            line = raw.strip()
            if markdown:
                line = re.sub(r"^#{1,6}\s+", "", line).replace("**", "").replace("__", "")
                line = re.sub(r"^[>*-]\s+", "", line) if line.startswith(">") else line
            if not line:
                yield from flush()
                continue
            if match_label(line):
                seen_label = True
                yield from flush()
            elif not seen_label:
                yield from flush()
            block.append(line)
    yield from flush()


def _docx_paragraphs(path: Path) -> tuple[list[_Para], list[str]]:
    from pcc_desk.importers.docx_reading import open_docx

    document = open_docx(path)  # Strict Open XML read too; a one-line refusal otherwise
    paras = []
    for paragraph in document.paragraphs:
        text = " ".join(paragraph.text.replace("\u00a0", " ").split())
        if text:
            paras.append(_Para(text, None))
    running: list[str] = []  # the page header often names the committee and date
    for section in document.sections:
        try:
            for paragraph in section.header.paragraphs:
                text = " ".join(paragraph.text.split())
                if text and text not in running:
                    running.append(text)
        except Exception:  # a damaged header part: the body is what matters
            continue
    return paras, running


def _pdf_paragraphs(path: Path) -> list[_Para]:
    from pcc_desk.importers.pdf_sandbox import read_pdf_lines  # bounded in memory, time and size

    lines = read_pdf_lines(path)
    paras: list[_Para] = []
    current: list[str] = []
    page: int | None = None
    previous = None
    for line in lines:
        new_para = previous is None
        if previous is not None:
            if match_label(line.text):
                new_para = True
            elif line.page == previous.page:
                gap = line.top - previous.bottom
                new_para = gap > max(line.size, previous.size) * 0.9
        if new_para and current:
            paras.append(_Para(" ".join(current), page))
            current = []
        if not current:
            page = line.page
        current.append(line.text)
        previous = line
    if current:
        paras.append(_Para(" ".join(current), page))
    return paras


# --- header and file name -------------------------------------------------------------------------

_COMMITTEE_WORDS = re.compile(r"\b(Committee|Assembly|Panel|Board|Conference|Sub-Committee)\b")
_HEADER_PERSON = re.compile(
    rf"({_NAME_WORD}(?:\s+(?:{_NAME_WORD}|{_JOINER})){{1,6}})\s*\(([^()]{{2,80}})\)"
)


def _header_facts(header: list[str]) -> tuple[str, dt.date | None, str, list[tuple[str, str]]]:
    committee, date, title = "", None, ""
    people: list[tuple[str, str]] = []
    ordered = sorted(
        header, key=lambda line: "Committee" not in line
    )  # a committee before an assembly
    for line in ordered:
        if not committee and _COMMITTEE_WORDS.search(line) and len(line) <= 150:
            head = re.split(
                r"\s+[–—-]\s+|,\s*(?=\w+day\b)|\s+(?=\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4})",
                line,
            )[0]
            head = re.sub(
                r"^(Transcript|Minutes)\s+of\s+(the\s+)?", "", head, flags=re.IGNORECASE
            ).strip(" :")
            if _COMMITTEE_WORDS.search(head) and not head.lower().startswith(
                ("oral evidence", "transcript")
            ):
                committee = head
    for line in header:
        found = parse_date(line)
        if date is None and found is not None:
            date = found
        lowered = line.lower()
        if not title and (
            lowered.startswith(("transcript of", "oral evidence", "agenda item"))
            or "question and answer" in lowered
        ):
            title = line
        for name, role in _HEADER_PERSON.findall(line):
            people.append((split_label(name).name, role.strip()))
    if not title:
        for line in header:
            if line == committee or (parse_date(line) and len(line) < 60) or ":" in line[:25]:
                continue
            if len(line) <= 200:
                title = line
                break
    return committee, date, title, people


def _date_from_name(stem: str) -> dt.date | None:
    match = ISO_DATE.search(stem)
    if match:
        try:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
    spaced = re.sub(r"[-_.]+", " ", stem)
    if DAY_MONTH_YEAR.search(spaced):
        return parse_date(spaced)
    return None


def _title_from_name(stem: str) -> str:
    text = ISO_DATE.sub(" ", stem)
    text = DAY_MONTH_YEAR.sub(" ", re.sub(r"[-_.]+", " ", text))
    words = [("PCC" if w.lower() == "pcc" else w) for w in text.split()]
    title = " ".join(words)
    return title[:1].upper() + title[1:] if title else ""


def _committee_from_name(stem: str) -> str:
    for word in re.split(r"[-_. ]+", stem.lower()):
        if word in COMMITTEE_ABBREVIATIONS:
            return COMMITTEE_ABBREVIATIONS[word]
    return ""


# --- putting it together -------------------------------------------------------------------------


_ROLE_HINTS = {
    "chair",
    "chairman",
    "chairwoman",
    "chairperson",
    "commissioner",
    "mayor",
    "clerk",
    "witness",
    "minister",
    "secretary",
    "director",
    "officer",
    "superintendent",
    "commander",
    "inspector",
    "chief",
    "member",
    "speaker",
}


def _strong(label: str, known_role_words: set[str]) -> bool:
    """A label that says by itself that it is a speaker: a question number, a role, an honour, a form of
    address, or a role written for a name ("The Commissioner")."""
    parsed = split_label(label)
    words = re.sub(r"\([^()]*\)", " ", label).split()
    if parsed.question is not None or parsed.role:
        return True
    if any(w.upper().rstrip(".,") in POST_NOMINALS for w in words[1:]):
        return True
    if parsed.name.split() and parsed.name.split()[0].lower().strip(".") in PREFIXES - {"the"}:
        return True
    key = role_only_key(parsed.name)
    if key is not None:
        role_words = set(key.split()) - {"the", "of", "and", "for"}
        return bool(role_words & _ROLE_HINTS) or (
            bool(role_words) and role_words <= known_role_words
        )
    return False


def segments_from_paragraphs(paras: list[_Para]) -> tuple[list[str], list[ParsedSegment]]:
    """Header paragraphs (before the first speaker) and the speaker turns.

    A bare "Firstname Lastname:" is a speaker only when the transcript shows elsewhere that the person
    speaks (a label with a role or honour, or the same bare label twice); otherwise "Operation Trident:"
    at the start of a paragraph would end the turn it belongs to.
    """
    found = [match_label(p.text) for p in paras]
    known_role_words: set[str] = set()
    for item in found:
        if item:
            for role in re.findall(r"\(([^()]*)\)", item[0]):
                known_role_words.update(w.lower().strip(".,;") for w in role.split())
    strong_keys: set[str] = set()
    bare_counts: dict[str, int] = {}
    for item in found:
        if not item:
            continue
        key = person_key(split_label(item[0]).name)
        if _strong(item[0], known_role_words):
            strong_keys.add(key)
        else:
            bare_counts[key] = bare_counts.get(key, 0) + 1
    strong_surnames = {k.split()[-1] for k in strong_keys if k}

    def accepted(label: str) -> bool:
        if _strong(label, known_role_words):
            return True
        key = person_key(split_label(label).name)
        return (
            key in strong_keys
            or bare_counts.get(key, 0) >= 2
            or (key.split()[-1:] and key.split()[-1] in strong_surnames)
        )

    header: list[str] = []
    turns: list[tuple[str, list[str], int | None]] = []
    for para, item in zip(paras, found, strict=True):
        if item and accepted(item[0]):
            label, rest = item
            turns.append((label, [rest.strip()] if rest.strip() else [], para.page))
        elif turns:
            turns[-1][1].append(para.text)
            if turns[-1][2] is None and para.page is not None:
                turns[-1] = (turns[-1][0], turns[-1][1], para.page)
        else:
            header.append(para.text)
    header_facts = _header_facts(header[:MAX_HEADER_PARAGRAPHS])
    resolver = SpeakerResolver([label for label, _, _ in turns], header_facts[3])
    segments = []
    for label, texts, page in turns:
        text = "\n\n".join(t for t in texts if t).strip()
        if not text:
            continue
        written = split_label(label).written
        name, role = resolver.resolve(label)
        segments.append(
            ParsedSegment(speaker=written, speaker_name=name, role=role, text=text, page=page)
        )
    return header, segments


def parse_paragraphs(
    paras: list[_Para],
    name: str,
    *,
    date: dt.date | None = None,
    title: str | None = None,
    committee: str | None = None,
    fmt: str = "text",
    running_header: list[str] = (),
) -> ParsedTranscript:
    header, segments = segments_from_paragraphs(paras)
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
    )


def parse_transcript_text(text: str, name: str = "transcript.txt", **fallbacks) -> ParsedTranscript:
    markdown = Path(name).suffix.lower() in (".md", ".markdown")
    return parse_paragraphs(_text_paragraphs(text, markdown), name, fmt="text", **fallbacks)


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
    fallbacks = dict(date=date, title=title, committee=committee)
    if checked.kind == "docx":
        paras, running = _docx_paragraphs(path)
        return parse_paragraphs(paras, path.name, fmt="docx", running_header=running, **fallbacks)
    if checked.kind == "pdf":
        return parse_paragraphs(_pdf_paragraphs(path), path.name, fmt="pdf", **fallbacks)
    from pcc_desk.importers.text import text_lines

    lines, paged = text_lines(path)  # read a piece at a time: a big transcript is never held whole
    markdown = path.suffix.lower() in (".md", ".markdown")
    paras = list(_paragraphs_of_lines(lines, markdown, paged=paged))
    return parse_paragraphs(paras, path.name, fmt="text", **fallbacks)
