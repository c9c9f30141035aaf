"""A "CC:" list that wraps keeps every name whole, in every format: lines of a text file or a PDF,
Word line breaks, Word paragraphs made line by line; inline (";"-separated) or one name a line;
in the letter head or under the signature. The variants are generated here: names, widths, fonts."""

from __future__ import annotations

import random
import shutil
import subprocess
import textwrap
from pathlib import Path

import docx
import pytest
from docx.shared import Cm, Pt

from pcc_desk.importers.letters import read_letter

PEOPLE = [
    "Sophie Linden, Deputy Mayor for Policing and Crime",
    "Diana Luchford, CEO, MOPAC",
    "Sir Mark Rowley QPM, Commissioner of Police of the Metropolis",
    "Dame Lynne Owens, Deputy Commissioner, Metropolitan Police Service",
    "Caroline Russell AM, Deputy Chair of the Police and Crime Committee",
    "Anne-Marie Kowalczyk, Head of Strategy, MOPAC",
    "Unmesh Desai AM",
    "Judith Mullett, Chief Executive, Mayor's Office for Policing and Crime",
    "Dr Priya Ramanathan, Director of Audit, Risk and Assurance, MOPAC",
    "MOPAC",
    "Jean-Luc O'Brien, Chief Superintendent, BCU Commander for Central West",
]
BODY = (
    "I am writing to you on behalf of the Police and Crime Committee following the publication of "
    "the Met's draft plan. The Committee welcomes the draft Plan and the opportunity to provide "
    "feedback on its proposals, and thanks the officers and staff who keep Londoners safe every day."
)
ASK = "We ask the Met to publish the stop and search data for every ward each month."
SENDER = ["Susan Hall AM", "Chairman of the Police and Crime Committee"]
RECIPIENT = ["Sir Mark Rowley", "Commissioner of Police of the Metropolis"]


def cc_lines(names: list[str], form: str, width: int, label: str = "CC:") -> list[str]:
    """The CC list as wrapped lines: inline ("CC: a; b" wrapped) or one name a line (each wrapped)."""
    if form == "inline":
        return textwrap.wrap(f"{label} " + "; ".join(names), width)
    lines = [label]
    for name in names:
        lines += textwrap.wrap(name, width)
    return lines


def letter_lines(cc: list[str], where: str, width: int | None) -> list[list[str]]:
    """The letter as paragraphs of lines (the body wrapped at ``width`` when given)."""

    def wrap(text: str) -> list[str]:
        return textwrap.wrap(text, width) if width else [text]

    head = [SENDER, RECIPIENT] + ([cc] if where == "head" else [])
    return [
        *head,
        ["17 March 2023"],
        ["Dear Sir Mark,"],
        ["Stop and search"],
        wrap(BODY),
        wrap(f"**{ASK}**"),
        wrap(BODY),
        ["Yours sincerely,"],
        SENDER,
        *([cc] if where == "signature" else []),
    ]


def write_text(path: Path, paragraphs: list[list[str]]) -> Path:
    path.write_text("\n\n".join("\n".join(lines) for lines in paragraphs) + "\n", encoding="utf-8")
    return path


def write_word(path: Path, paragraphs: list[list[str]], mode: str) -> Path:
    """Word: each group of lines one paragraph with line breaks (``br``), or a paragraph a line
    (``paragraphs``, as a Word file converted from a PDF), an empty paragraph between groups."""
    document = docx.Document()
    for lines in paragraphs:
        bold = lines[0].startswith("**")
        lines = [line.strip("*") for line in lines]
        if mode == "br" or len(lines) == 1:
            paragraph = document.add_paragraph()
            for n, line in enumerate(lines):
                run = paragraph.add_run(line)
                run.bold = bold or None
                if n < len(lines) - 1:
                    run.add_break()
        else:
            for line in lines:
                document.add_paragraph().add_run(line).bold = bold or None
        document.add_paragraph()
    document.save(path)
    return path


def variants(seed: int, count: int):
    rng = random.Random(seed)
    for n in range(count):
        names = rng.sample(PEOPLE, rng.randint(1, 5))
        form = rng.choice(["inline", "list"])
        width = rng.choice([16, 20, 25, 32, 40, 48, 55, 64, 72, 80, 90])
        where = rng.choice(["head", "signature"])
        label = rng.choice(["CC:", "cc:", "Copy to:", "CC"]) if form == "inline" else "CC:"
        yield n, names, form, width, where, label


def _check_all(results):
    wrong = [
        f"{what}: {lines} -> {got}" for what, lines, names, got in results if got != tuple(names)
    ]
    assert not wrong, "\n".join(wrong[:10])


@pytest.mark.parametrize("fmt", ["txt", "md"])
def test_wrapped_cc_lists_in_text_files_keep_every_name_whole(tmp_path, fmt):
    results = []
    for n, names, form, width, where, label in variants(seed=len(fmt), count=120):
        lines = cc_lines(names, form, width, label)
        path = write_text(tmp_path / f"v{n}.{fmt}", letter_lines(lines, where, width))
        results.append((f"{form} w={width} {where}", lines, names, read_letter(path).head.cc))
    _check_all(results)


@pytest.mark.parametrize("mode", ["br", "paragraphs"])
def test_wrapped_cc_lists_in_word_keep_every_name_whole(tmp_path, mode):
    results = []
    for n, names, form, width, where, label in variants(seed=7 + len(mode), count=60):
        lines = cc_lines(names, form, width, label)
        path = write_word(tmp_path / f"v{n}.docx", letter_lines(lines, where, None), mode)
        results.append((f"{form} w={width} {where}", lines, names, read_letter(path).head.cc))
    _check_all(results)


ISSUE_CC = ["CC: Sophie Linden, Deputy Mayor for Policing and Crime; Diana", "Luchford, CEO, MOPAC"]
ISSUE_NAMES = ("Sophie Linden, Deputy Mayor for Policing and Crime", "Diana Luchford, CEO, MOPAC")


@pytest.mark.parametrize("fmt", ["txt", "md", "docx-br", "docx-paragraphs"])
def test_the_reported_cc_line_cut_after_diana(tmp_path, fmt):
    paragraphs = letter_lines(ISSUE_CC, "head", None)
    if fmt in ("txt", "md"):
        path = write_text(tmp_path / f"letter.{fmt}", paragraphs)
    else:
        path = write_word(tmp_path / "letter.docx", paragraphs, fmt.split("-")[1])
    head = read_letter(path).head
    assert head.cc == ISSUE_NAMES
    assert (head.recipient, head.sender) == ("Sir Mark Rowley", "Susan Hall AM")


def test_a_list_of_whole_names_is_not_joined(tmp_path):
    """One name a line, none wrapped, some long and some short: each line is its own entry."""
    names = [
        "Dame Lynne Owens, Deputy Commissioner, Metropolitan Police Service",
        "Unmesh Desai AM",
        "MOPAC",
        "Caroline Russell AM, Deputy Chair of the Police and Crime Committee",
        "Diana Luchford, CEO, MOPAC",
    ]
    for fmt in ("txt", "docx"):
        paragraphs = letter_lines(["CC:", *names], "head", 70)
        path = (
            write_text(tmp_path / "l.txt", paragraphs)
            if fmt == "txt"
            else write_word(tmp_path / "l.docx", paragraphs, "br")
        )
        assert read_letter(path).head.cc == tuple(names)


# --- PDF: LibreOffice lays the CC paragraph out, at several fonts, sizes and widths ------------------

PDF_CASES = 14


@pytest.fixture(scope="session")
def cc_pdfs(tmp_path_factory):
    """Word letters whose CC paragraph LibreOffice wraps wherever its font and width make it wrap,
    converted to PDF in one run for the session: [(pdf, names)]."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (scripts/setup.sh --test installs it)")
    folder = tmp_path_factory.mktemp("cc-pdf")
    rng = random.Random(11)
    cases = []
    for n in range(PDF_CASES):
        names = rng.sample(PEOPLE, rng.randint(2, 5))
        form = ("inline", "list")[n % 2]
        document = docx.Document()
        normal = document.styles["Normal"]
        normal.font.name = ("Liberation Sans", "Liberation Serif", "DejaVu Sans")[n % 3]
        normal.font.size = Pt((10, 11, 12, 13, 14)[n % 5])
        indent = Cm((0, 3, 6, 8, 10, 11)[n % 6])
        for line in (*SENDER, "", *RECIPIENT, ""):
            document.add_paragraph(line)
        for line in ["CC: " + "; ".join(names)] if form == "inline" else ["CC:", *names]:
            document.add_paragraph(line).paragraph_format.right_indent = indent
        for line in ("", "17 March 2023", "", "Dear Sir Mark,", "Stop and search", BODY):
            document.add_paragraph(line)
        document.add_paragraph().add_run(ASK).bold = True
        for line in (BODY, "Yours sincerely,", "", SENDER[0]):
            document.add_paragraph(line)
        path = folder / f"cc-{n}.docx"
        document.save(path)
        cases.append((path.with_suffix(".pdf"), names))
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{folder / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *(str(pdf.with_suffix(".docx")) for pdf, _ in cases),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return cases


def _printed_wraps(pdf: Path, names: list[str]) -> int:
    """How many more lines the CC list takes on the page than it has entries (pdftotext, not the
    reader under test): the variants must really wrap."""
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.startswith("CC"))
    end = next(i for i in range(start, len(lines)) if lines[i] == "17 March 2023")
    inline = lines[start] != "CC:"
    return (end - start) - (1 if inline else 1 + len(names))


@pytest.mark.office
@pytest.mark.slow
def test_cc_lists_wrapped_by_the_pdf_layout_keep_every_name_whole(cc_pdfs):
    wraps = 0
    results = []
    for pdf, names in cc_pdfs:
        wraps += _printed_wraps(pdf, names)
        results.append((pdf.name, [], names, read_letter(pdf).head.cc))
    assert wraps >= PDF_CASES  # the layouts really wrap the names (counted on the printed lines)
    _check_all(results)
