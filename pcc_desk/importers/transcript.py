"""Meeting transcripts (.txt/.md/.rst, .docx, .pdf) read into a plain :class:`ParsedTranscript`.

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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypedDict, Unpack

from pcc_desk.dates import DAY_MONTH_YEAR, ISO_DATE, parse_date
from pcc_desk.errors import ImportRejected
from pcc_desk.importers.docx_reading import (
    Cell,
    XmlElement,
    body_paragraphs,
    no_text,
    open_docx,
    paragraph_text,
)
from pcc_desk.importers.hyphens import Dehyphenator
from pcc_desk.importers.pdf_sandbox import read_pdf_lines  # bounded in memory, time and size
from pcc_desk.importers.safety import check_file
from pcc_desk.importers.text import text_reader
from pcc_desk.speakers import (
    POST_NOMINALS,
    PREFIXES,
    SpeakerResolver,
    is_not_a_role,
    person_key,
    role_only_key,
    split_label,
)

TRANSCRIPT_SUFFIXES = (".txt", ".md", ".rst", ".docx", ".pdf")
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
    notes: tuple[str, ...] = ()  # what was read without confidence, for the clerk to check

    @property
    def word_count(self) -> int:
        return sum(len(s.text.split()) for s in self.segments)


@dataclass(frozen=True)
class _Para:
    text: str
    page: int | None = None
    label: bool = False  # the layout says it opens a speaker turn (a speaker | words table row)


# --- speaker labels -----------------------------------------------------------------------------

_NAME_WORD = r"[A-ZÀ-Þ][A-Za-zÀ-ÿ'’.\-]*"
_JOINER = r"(?:of|the|and|for|de|van|von|der|den|le|la|du|da|di|ap|bin|al|el)"
_MODULE = r"\d{1,2}[A-Z](?![\w'’])"  # "Lead 2A": lead counsel for an inquiry's Module 2A
_LABEL = re.compile(
    rf"^(?P<label>(?:Q\s?\d{{1,5}}(?:[-–]\d{{1,5}})?\s+|T?\d{{1,3}}\.\s+(?:\[\d{{3,9}}\]\s+)?)?"
    rf"{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|{_JOINER}|{_MODULE})|,\s+{_NAME_WORD}){{0,9}}"
    rf"(?:,?\s*\([^()\n]{{1,160}}\)){{0,3}})\s*:(?:\s+|$)(?P<rest>.*)$",
    re.DOTALL,
)
# Public inquiries: a witness called ("MR MATT HANCOCK (sworn)", "<GRANT JAMES McKAY, affirmed:"), or
# carrying on from an earlier day ("MR MATT HANCOCK (continued)."), on a line of its own
_OATH = re.compile(
    rf"^<?\s*(?P<name>{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|{_JOINER})){{1,8}})\s*"
    r"(?:\(\s*(?i:(?:further\s+|re-?)?(?:sworn|affirmed|recalled)|continued|cont'?d)\s*\)"
    r"|,\s*(?i:(?:further\s+|re-?)?(?:sworn|affirmed|recalled)))"
    r"\s*[.:]?\s*(?:\[[^\]]{0,20}\])?$"
)
# "Questions from LEAD COUNSEL TO THE INQUIRY", "Examination by MR GLOVER (continued)"
_QUESTIONS = re.compile(
    r"^<?(?i:(?:further\s+)?(?:questions|questioned|examination|examined|cross-examination|"
    r"cross-examined|re-examination|re-examined)\s+(?:from|by))\s+(?P<who>[^()\n]{2,80}?)"
    r"\s*(?:\((?i:continued)\))?\s*[.:]?$"
)
_TIME_MARKER = re.compile(r"^\(\s*\d{1,2}(?:[.:]\d{2})?\s*(?i:am|pm|a\.m\.|p\.m\.)?\s*\)\.?$")
_STAGE = re.compile(
    r"^[(\[][^()\[\]\n]{1,80}[)\]]\.?$",
)
_STAGE_WORDS = re.compile(
    r"(?i:\b(?:break|adjourn\w*|luncheon|lunch|recess|pause|interruption|laughter|applause|inaudible"
    r"|resum\w*|witness\w*|withdr\w*|sworn|affirmed|video|remotely)\b)|\d{1,2}[.:]\d{2}"
)
# Question and answer in a witness's evidence: "Q. Could you..." / "A. Yes."
_QA = re.compile(r"^(?P<qa>[QA])[.:]\s+(?P<rest>\S.*)$", re.DOTALL)
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
    if "(" not in label and (re.match(r"T?\d", label) or "," in label):
        return None  # Hansard's numbers and "Role, Department" come with a Member's brackets
    parsed = split_label(label)
    bare = re.sub(r"\([^()]*\)", " ", label)
    bare = re.sub(r"^(?:Q\s?\d+(?:[-–]\d+)?|T?\d+\.(?:\s+\[\d+\])?)\s+", "", bare).strip(" ,")
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
        or sum(1 for w in words if w[:1].isupper() or re.fullmatch(_MODULE, w)) >= 2
    )
    if not plausible:
        return None
    return label, match.group("rest")


def witness_called(text: str) -> str | None:
    """The witness named by a line like "MR MATT HANCOCK (continued)." or "Dr X (affirmed)", else None."""
    match = _OATH.match(_unwrap(text))
    return match.group("name") if match else None


def questions_from(text: str) -> str | None:
    """Who a "Questions from MR KEITH" line names ("" when it names a role, not a person), else None."""
    match = _QUESTIONS.match(_unwrap(text))
    if not match:
        return None
    who = match.group("who").strip(" .")
    words = who.split()
    return who if words and words[0].lower().strip(".") in PREFIXES - {"the"} else ""


def is_standalone(text: str) -> bool:
    """A line that is not part of anyone's sentence: a time marker ("(11.00 am)"), a break
    ("(A short break)"), a witness called or continuing, "Questions from …"."""
    line = _unwrap(text)
    if _TIME_MARKER.match(line) or witness_called(line) is not None:
        return True
    if questions_from(line) is not None:
        return True
    return bool(_STAGE.match(line) and _STAGE_WORDS.search(line))


def _unwrap(text: str) -> str:
    """Emphasis around a whole line (``*(10.00 am)*``, ``_MR X (sworn)._``) is not part of it."""
    line = text.strip()
    while len(line) > 2 and line[0] == line[-1] and line[0] in "*_":
        line = line[1:-1].strip()
    return line


class _InquiryStyle:
    """:func:`inquiry_style`, fed a line at a time."""

    def __init__(self) -> None:
        self.questions = self.answers = 0
        self.witness = False

    @staticmethod
    def kind(line: str) -> str | None:
        stripped = line.strip()
        if stripped[:2] in ("Q.", "Q:"):
            return "Q"
        if stripped[:2] in ("A.", "A:"):
            return "A"
        return "W" if witness_called(stripped) is not None else None

    def add(self, kind: str | None) -> None:
        if kind == "Q":
            self.questions += 1
        elif kind == "A":
            self.answers += 1
        elif kind == "W":
            self.witness = True

    @property
    def found(self) -> bool:
        return self.witness or (self.questions >= 3 and self.answers >= 3)


def inquiry_style(lines: Iterable[str]) -> bool:
    """Evidence given as questions and answers ("Q. …" / "A. …"), as public inquiries transcribe it:
    a witness called or continuing, or at least three of each."""
    style = _InquiryStyle()
    for line in lines:
        style.add(style.kind(line))
        if style.witness:
            return True
    return style.found


# --- reading each format into paragraphs ---------------------------------------------------------


_LINE_NUMBER = re.compile(r"^[ \t]*(\d{1,2})(?:[ \t]+|$)")


class _LineNumbers:
    """:func:`numbered_lines`, fed a line at a time."""

    def __init__(self) -> None:
        self.lines = self.numbered = self.steps = 0
        self._last: int | None = None

    def feed(self, line: str) -> None:
        if not line.strip() or line.strip() == "\f":
            return
        match = _LINE_NUMBER.match(line.lstrip("\f"))
        number = int(match.group(1)) if match else None
        last = self._last
        if (
            last is not None
            and number is not None
            and (number == last + 1 or (number == 1 and last >= 8))
        ):
            self.steps += 1
        self.lines += 1
        self.numbered += number is not None
        self._last = number

    @property
    def found(self) -> bool:
        if self.lines < 10:
            return False
        return self.numbered >= 0.8 * self.lines and self.steps >= 0.6 * self.lines


def numbered_lines(lines: Iterable[str]) -> bool:
    """Whether the lines carry a transcript's line numbers in the margin (1 to 25 on every page, as
    public inquiries and courts print them): most lines start with a number one more than the line
    before, or start again at 1."""
    counter = _LineNumbers()
    for line in lines:
        counter.feed(line)
    return counter.found


def drop_line_numbers(line: str) -> str:
    return _LINE_NUMBER.sub("", line, count=1)


def _without_line_number(line: str) -> str:
    """A text line without its margin line number (a page break before it kept)."""
    out = ("\f" if line.startswith("\f") else "") + drop_line_numbers(line.lstrip("\f"))
    return line if out == line else out


@dataclass
class _TextEvidence:
    """What the reading of a text decides over the whole document, gathered in a first pass."""

    paged: bool  # it holds form feeds: pages are numbered
    numbered: bool  # margin line numbers, dropped
    qa: bool  # "Q." / "A." evidence
    fixer: Dehyphenator  # how the document writes the words it breaks at line ends


def _text_evidence(lines: Iterable[str]) -> _TextEvidence:
    """The first pass over a text's lines. Whether the margin numbers go is known only at the end, and
    the other decisions read the lines as they are once that is settled: both readings are gathered
    (the words, which line numbers do not change, counted once). What is kept is counts, not text."""
    numbers = _LineNumbers()
    qa, qa_unnumbered = _InquiryStyle(), _InquiryStyle()
    fixer, fixer_unnumbered = Dehyphenator(), Dehyphenator()
    paged = False
    for line in lines:
        paged = paged or "\f" in line
        numbers.feed(line)
        kind = qa.kind(line)
        qa.add(kind)
        fixer.feed(line)
        unnumbered = _without_line_number(line)
        qa_unnumbered.add(kind if unnumbered is line else qa.kind(unnumbered))
        fixer_unnumbered.feed(unnumbered, words=False)
    if numbers.found:
        return _TextEvidence(paged, True, qa_unnumbered.found, fixer_unnumbered.finish(words=fixer))
    return _TextEvidence(paged, False, qa.found, fixer.finish())


def _paragraphs_of_text(lines: Callable[[], Iterable[str]], markdown: bool) -> Iterator[_Para]:
    """Paragraphs of a text read in two passes over its lines (``lines()`` gives them, as often as
    asked; a big file is read a piece at a time and never held whole): the first gathers what is
    decided over the whole document (:func:`_text_evidence`), the second reads the paragraphs and
    joins their broken words again."""
    evidence = _text_evidence(lines())
    second: Iterable[str] = lines()
    if evidence.numbered:
        second = map(_without_line_number, second)
    fixer = evidence.fixer
    for para in _paragraphs_of_lines(second, markdown, paged=evidence.paged, qa=evidence.qa):
        yield replace(para, text=fixer.fix(para.text)) if fixer.breaks else para


def _text_paragraphs(text: str, markdown: bool) -> list[_Para]:
    return list(_paragraphs_of_text(lambda: iter(text.split("\n")), markdown))


def _paragraphs_of_lines(
    lines: Iterable[str], markdown: bool, *, paged: bool, qa: bool = False
) -> Iterator[_Para]:
    """Paragraphs of a text, read line by line; a form feed starts a new page, and pages are numbered
    when the text has any (``paged``). ``qa``: "Q." / "A." lines open turns."""
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
                line = _unwrap(line)
            elif line.startswith("**") and re.match(r"^\*\*[^*]{1,200}\*\*:", line):
                line = line.replace("**", "", 2)  # "**Lady Hallett**: …" pasted into a text file
            if not line:
                yield from flush()
                continue
            if match_label(line) or (qa and _QA.match(line)):
                seen_label = True
                yield from flush()
            elif not seen_label or is_standalone(line):
                yield from flush()
                block.append(line)
                yield from flush()
                continue
            block.append(line)
    yield from flush()


def dehyphenate(paras: list[_Para], document_text: str) -> list[_Para]:
    """Words broken at line ends ("large- scale") joined again, deciding by the whole document."""
    fixer = Dehyphenator(document_text)
    return [replace(p, text=fixer.fix(p.text)) for p in paras]


def _docx_paragraphs(path: Path) -> tuple[list[_Para], list[str]]:
    document = open_docx(path)  # Strict Open XML read too; a one-line refusal otherwise
    paras = _word_paragraphs(document.element.body)
    if not paras:
        raise no_text(path.name, document.element.body)
    running: list[str] = []  # the page header often names the committee and date
    for section in document.sections:
        try:
            for para in _word_paragraphs(section.header._element):
                if para.text not in running:
                    running.append(para.text)
        except Exception:  # a damaged header part: the body is what matters
            continue
    return paras, running


def _word_paragraphs(container: XmlElement) -> list[_Para]:
    """The paragraphs of a Word body in reading order: text boxes where they are anchored, tables row
    by row and cell by cell; a table of turns (speaker | words) gives one labelled paragraph a row."""
    paras: list[_Para] = []
    # the table being read: ((where, table, row), [(column, lines)])
    rows: list[tuple[tuple[tuple[Cell | int, ...], int, int], list[tuple[int, list[str]]]]] = []

    def flush_table() -> None:
        paras.extend(_table_paragraphs([cells for _, cells in rows]))
        rows.clear()

    for p, where in body_paragraphs(container):
        text = " ".join(paragraph_text(p).replace("\u00a0", " ").split())
        cell = where.cell
        if cell is None:
            if rows:
                flush_table()
            if text:
                paras.append(_Para(text, None))
            continue
        table_key = (where.path[:-1], cell.table)
        if rows and rows[-1][0][:2] != table_key:
            flush_table()
        if not rows or rows[-1][0] != (*table_key, cell.row):
            rows.append(((*table_key, cell.row), []))
        cells = rows[-1][1]
        if not cells or cells[-1][0] != cell.column:
            cells.append((cell.column, []))
        if text:
            cells[-1][1].append(text)
    if rows:
        flush_table()
    return paras


_TIME_OR_NUMBER = re.compile(r"^(?:\[?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\]?|\d{1,4}\.?)$")
_HEADER_WORDS = {
    "speaker",
    "speakers",
    "name",
    "who",
    "person",
    "member",
    "witness",
    "contributor",
    "participant",
    "time",
}


def _row_turn(cells: list[tuple[int, list[str]]]) -> tuple[str, list[str]] | None:
    """(label, words) of a table row laid out as speaker | words (a time or number column allowed
    before them), else None."""
    filled = [texts for _, texts in cells if texts]
    if len(filled) < 2:
        return None
    words = filled[-1]
    parts: list[str] = []
    for texts in filled[:-1]:
        for n, text in enumerate(texts):
            if _TIME_OR_NUMBER.match(text):
                continue
            if parts and n > 0 and not text.startswith("("):
                text = f"({text.strip('()')})"  # a role written under the name
            parts.append(text)
    label = " ".join(parts).strip().rstrip(":").strip()
    if not label:
        return None
    found = match_label(f"{label}: {words[0]}")
    if found is None or found[0] != label:
        return None
    return label, words


def _table_paragraphs(rows: list[list[tuple[int, list[str]]]]) -> list[_Para]:
    """A table's paragraphs: one turn a row when the table is laid out as speaker | words, else every
    cell's paragraphs in reading order."""
    turns = [_row_turn(cells) for cells in rows]
    first_label = next((texts[0] for _, texts in rows[0] if texts), "") if rows else ""
    header = first_label.lower().strip(" :.") in _HEADER_WORDS  # "Speaker | Words"
    # rows with two or more cells filled: most must be turns, with words in them (not figures)
    laid_out = [
        turn
        for n, (cells, turn) in enumerate(zip(rows, turns, strict=True))
        if not (header and n == 0) and sum(1 for _, texts in cells if texts) >= 2
    ]
    spoken = [t for t in laid_out if t is not None]
    words = sum(len(" ".join(t[1]).split()) for t in spoken)
    is_turns = bool(spoken) and 5 * len(spoken) >= 3 * len(laid_out) and words >= 3 * len(spoken)
    out: list[_Para] = []
    for n, (cells, turn) in enumerate(zip(rows, turns, strict=True)):
        if is_turns and turn is not None and not (header and n == 0):
            label, texts = turn
            out.append(_Para(f"{label}: {texts[0]}", None, label=True))
            out.extend(_Para(text, None) for text in texts[1:])
            continue
        out.extend(_Para(text, None) for _, texts in cells for text in texts)
    return out


def _pdf_paragraphs(path: Path) -> list[_Para]:
    lines = read_pdf_lines(path)
    if numbered_lines([line.text for line in lines]):
        lines = [replace(line, text=drop_line_numbers(line.text)) for line in lines]
        lines = [line for line in lines if line.text.strip()]
    qa = inquiry_style([line.text for line in lines])
    paras: list[_Para] = []
    current: list[str] = []
    page: int | None = None
    previous = None
    for line in lines:
        new_para = previous is None
        if previous is not None:
            starts_turn = match_label(line.text) or (qa and _QA.match(line.text.strip()))
            if starts_turn or is_standalone(line.text) or is_standalone(previous.text):
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
    return dehyphenate(paras, "\n".join(line.text for line in lines))


# --- header and file name -------------------------------------------------------------------------

_COMMITTEE_WORDS = re.compile(
    r"\b(Committee|Assembly|Panel|Board|Conference|Sub-Committee|House of Commons|House of Lords)\b"
    r"|\bInquiry$"
)
_HEADER_PERSON = re.compile(
    rf"({_NAME_WORD}(?:\s+(?:{_NAME_WORD}|{_JOINER})){{1,6}})\s*\(([^()]{{2,80}})\)"
)


_LIST_OF_PEOPLE = re.compile(
    r"^(?:Members present|Present|Witness(?:es)?|In attendance)\s*:\s*(.+)$", re.I
)
_LISTED_NAME = re.compile(rf"^{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|{_JOINER})){{1,6}}$")


def _listed_people(line: str) -> list[tuple[str, str]]:
    """The people a header lists ("Members present: Dame Diana Johnson (Chair); Ms Diane Abbott;
    Tim Loughton.", "Witnesses: Sir Mark Rowley, Commissioner, Metropolitan Police Service"), with the
    role after the first comma; a role in brackets is read by the caller."""
    match = _LIST_OF_PEOPLE.match(line.strip())
    if not match:
        return []
    people = []
    for item in re.split(r";\s*(?:and\s+)?|\s+and\s+(?=[A-Z])", match.group(1).strip().rstrip(".")):
        name, _, role = re.sub(r"\([^()]*\)", "", item).partition(",")
        name = " ".join(name.split())
        if _LISTED_NAME.match(name):
            people.append((split_label(name).name, role.strip()))
    return people


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
        if is_standalone(line):
            continue  # "MR X (continued)." names a witness, not a role
        for name, role in _HEADER_PERSON.findall(line):
            if not is_not_a_role(role):
                people.append((split_label(name).name, role.strip()))
        people.extend(_listed_people(line))
    if not title:
        for line in header:
            if line == committee or (parse_date(line) and len(line) < 60) or ":" in line[:25]:
                continue
            if is_standalone(line) or not re.search(r"[A-Za-z]{2}", line) or _RST_RULE.match(line):
                continue  # "(11.00 am)", "(A short break)", "MR X (sworn)", "=====" are not titles
            if len(line) <= 200:
                title = line
                break
    return committee, date, title, people


def _date_from_name(stem: str) -> dt.date | None:
    match = ISO_DATE.search(stem.replace("_", " "))  # "2023-06-22_module-1"
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
    text = ISO_DATE.sub(" ", stem.replace("_", " "))
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


@dataclass
class _Turn:
    label: str  # as written ("MR KEITH", "THE WITNESS"), or "Q" / "A"
    texts: list[str]
    page: int | None
    who: str | None = (
        None  # the person speaking, when the label does not say (the witness, counsel)
    )
    kind: str = "label"  # "label" | "qa"


def _same_person(label: str, other: str | None) -> bool:
    if not other:
        return False
    a, b = person_key(split_label(label).name), person_key(split_label(other).name)
    return bool(a and b) and (a == b or a.split()[-1] == b.split()[-1])


def segments_from_paragraphs(
    paras: list[_Para],
) -> tuple[list[str], list[ParsedSegment], list[str]]:
    """Header paragraphs (before the first speaker), the speaker turns, and notes on what was read
    without confidence.

    A bare "Firstname Lastname:" is a speaker only when the transcript shows elsewhere that the person
    speaks (a label with a role or honour, or the same bare label twice); otherwise "Operation Trident:"
    at the start of a paragraph would end the turn it belongs to.

    Public inquiry evidence: "THE WITNESS" and answers ("A. …") are the witness last called ("MR X
    (sworn)", "MR X (continued)"); questions ("Q. …") are asked by the last speaker whose words the
    witness answered ("MR KEITH: Could you give your full name?" / "A. …"), or else by the one named
    in "Questions from MR Y". (A transcript names counsel again when they take over from the chair.)
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
            or bool(key.split()[-1:] and key.split()[-1] in strong_surnames)
        )

    qa = inquiry_style([p.text for p in paras])
    header: list[str] = []
    turns: list[_Turn] = []
    witnesses: list[str] = []
    doubtful: list[str] = []  # labels seen once, with nothing to say they are speakers
    witness: str | None = None  # the witness giving evidence now
    questioner: str | None = None  # whoever asks the "Q." questions now
    for para, item in zip(paras, found, strict=True):
        called = witness_called(para.text)
        if called is not None:
            witness, questioner = called, None
            witnesses.append(called)
        asking = questions_from(para.text)
        if asking is not None:
            questioner = asking or None
        qa_item = _QA.match(para.text) if qa else None
        if qa_item:
            kind, rest = qa_item.group("qa"), qa_item.group("rest").strip()
            previous = turns[-1] if turns else None
            if (
                kind == "A"
                and previous is not None
                and previous.kind == "label"
                and previous.who is None
                and not _same_person(previous.label, witness)
            ):
                questioner = (
                    previous.label
                )  # the witness answers their question: they ask the "Q."s
            who = witness if kind == "A" else questioner
            turns.append(_Turn(kind, [rest], para.page, who=who, kind="qa"))
        elif item and (para.label or accepted(item[0])):
            label, rest = item
            speaks_as_witness = role_only_key(split_label(label).name) == "witness"
            who = witness if speaks_as_witness else None
            turns.append(_Turn(label, [rest.strip()] if rest.strip() else [], para.page, who=who))
        elif turns:
            if item:
                doubtful.append(item[0])
            turns[-1].texts.append(para.text)
            if turns[-1].page is None:
                turns[-1].page = para.page
        else:
            header.append(para.text)
    header_facts = _header_facts(header[:MAX_HEADER_PARAGRAPHS])
    labels = [t.label for t in turns if t.kind == "label"]
    askers = [(t.who, "") for t in turns if t.kind == "qa" and t.label == "Q" and t.who]
    resolver = SpeakerResolver(labels, header_facts[3] + askers, witnesses)
    segments = []
    for turn in turns:
        text = "\n\n".join(t for t in turn.texts if t).strip()
        if not text:
            continue
        written = split_label(turn.label).written
        if turn.who:
            name, role = resolver.resolve(turn.who)
        elif turn.kind == "qa":
            name, role = ("Witness", "Witness") if turn.label == "A" else (turn.label, "")
        else:
            name, role = resolver.resolve(turn.label)
        segments.append(
            ParsedSegment(speaker=written, speaker_name=name, role=role, text=text, page=turn.page)
        )
    return header, segments, _notes(turns, doubtful)


def _notes(turns: list[_Turn], doubtful: list[str]) -> list[str]:
    """One line each on what the clerk should check."""
    notes = []
    if doubtful:
        shown = ", ".join(f"'{label}:'" for label in doubtful[:3]) + (
            " …" if len(doubtful) > 3 else ""
        )
        notes.append(
            f"{len(doubtful)} paragraph(s) start like a speaker seen only once, with no title, role "
            f"or honour ({shown}): kept as words of the turn before."
        )
    answers = sum(1 for t in turns if t.kind == "qa" and t.label == "A" and not t.who)
    if answers:
        notes.append(
            f"{answers} answer(s) ('A.') come before any witness is called ('MR X (sworn)'): "
            "their speaker is shown as 'Witness'."
        )
    questions = sum(1 for t in turns if t.kind == "qa" and t.label == "Q" and not t.who)
    if questions:
        notes.append(
            f"{questions} question(s) ('Q.') come before it is known who asks them: their speaker "
            "is shown as 'Q'."
        )
    return notes


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


# --- reStructuredText ------------------------------------------------------------------------------

RST_SUFFIXES = (".rst", ".rest")
_RST_RULE = re.compile(r"^([=\-~^\"'`#*+_.:<>])\1{2,}\s*$")  # section over- and underlines
_RST_DIRECTIVE = re.compile(r"^\s*\.\.(?:\s|$)")  # ".. toctree::", ".. _target:", ".. comment"
_RST_INLINE = (
    (re.compile(r"`([^`<>]+?)\s*<[^<>`]+>`__?"), r"\1"),  # `text <url>`_
    (re.compile(r":[A-Za-z][\w:+-]*:`([^`]+)`"), r"\1"),  # :role:`text`
    (re.compile(r"``(.+?)``"), r"\1"),  # ``literal``
    (re.compile(r"`([^`]+)`__?"), r"\1"),  # `reference`_
    (re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), r"\1"),  # **strong**
    (re.compile(r"(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?![\w*])"), r"\1"),  # *emphasis*
    (re.compile(r"`([^`]+)`"), r"\1"),  # `interpreted`
    (re.compile(r"\|([^|\n]+)\|(?:__?)?"), r"\1"),  # |substitution|
    (re.compile(r"\\(.)"), r"\1"),  # escapes
)


def rst_to_text(text: str) -> str:
    """reStructuredText as plain text (what the transcript says, without its markup): section rules,
    directives and comments go, ``**Name**: …`` turns become ``Name: …``, links keep their text."""
    return "\n".join(rst_lines(text.split("\n")))


def rst_lines(lines: Iterable[str]) -> Iterator[str]:
    """:func:`rst_to_text`, a line at a time."""
    skip_indent: int | None = None
    for raw in lines:
        indent = len(raw) - len(raw.lstrip())
        if skip_indent is not None:
            if not raw.strip() or indent > skip_indent:
                continue
            skip_indent = None
        if _RST_DIRECTIVE.match(raw):
            skip_indent = indent  # the directive and its indented body
            continue
        line = raw.strip()
        if _RST_RULE.match(line):
            yield ""
            continue
        if line.startswith("| "):
            line = line[2:]  # a line block
        if re.match(r"^:[A-Za-z][\w -]{0,30}:\s", line):
            line = line[1:]  # a field list: ":Date: 1 May" → "Date: 1 May"
        for pattern, replacement in _RST_INLINE:
            line = pattern.sub(replacement, line)
        line = re.sub(r"(?<=\S)::$", ":", line)
        line = "" if line == "::" else line
        yield line


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
