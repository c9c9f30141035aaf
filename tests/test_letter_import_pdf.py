"""Reading letters as PDFs: the sample's Word letter converted by LibreOffice must read the same."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from support.letter_fixtures import SAMPLE, assert_is_sample_letter, write_letter_docx

from pcc_desk.importers.letter_pdf import pdf_blocks
from pcc_desk.importers.letters import read_letter
from pcc_desk.services import letter_import

pytestmark = pytest.mark.office


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (scripts/setup.sh --test installs it)")
    folder = tmp_path_factory.mktemp("pdf")
    sources = [
        write_letter_docx(folder / "turnaround-plan.docx"),
        # narrower margins: other page breaks, and a footnote whose last line ("2021") looks like a page number
        # and a running header and page numbers, which are not content
        write_letter_docx(folder / "turnaround-plan-narrow.docx", margin_cm=2.2, running_head=True),
    ]
    profile = folder / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / "turnaround-plan.pdf"


def test_same_letter_laid_out_differently_reads_the_same(sample_pdf):
    narrow = sample_pdf.with_name("turnaround-plan-narrow.pdf")
    from pcc_desk.importers.pdf_reading import read_pdf_lines

    raw = [line.text for line in read_pdf_lines(narrow, keep_furniture=True)]
    assert (
        sum(t.startswith("London Assembly –") for t in raw) >= 5 and "Page 3" in raw
    )  # really there
    letter = read_letter(narrow)
    assert_is_sample_letter(letter, check_urls=False)
    assert letter.footnote(28).text.endswith("says watchdog, 5 August 2021")
    everything = " ".join([a.context for a in letter.asks] + [n.text for n in letter.footnotes])
    assert "London Assembly –" not in everything and "Page " not in everything


def test_sample_letter_as_pdf_gives_the_same_result_as_the_text(sample_pdf):
    from_pdf = read_letter(sample_pdf)
    # a PDF made by LibreOffice keeps no links in footnotes: the URLs are the one thing it cannot give
    assert_is_sample_letter(from_pdf, check_urls=False)
    from_text = read_letter(SAMPLE)
    assert from_pdf.head == from_text.head
    assert from_pdf.themes == from_text.themes
    assert [(a.theme, a.text, a.footnotes, a.context) for a in from_pdf.asks] == [
        (a.theme, a.text, a.footnotes, a.context) for a in from_text.asks
    ]
    assert [(n.number, n.text, n.meeting_date) for n in from_pdf.footnotes] == [
        (n.number, n.text, n.meeting_date) for n in from_text.footnotes
    ]
    assert [s.text for s in from_pdf.suggested] == [s.text for s in from_text.suggested]
    assert from_pdf.source_format == "pdf"


def test_pdf_footnotes_come_from_the_small_print_at_the_page_foot(sample_pdf):
    blocks, notes = pdf_blocks(sample_pdf)
    assert sorted(notes) == list(range(1, 37))
    # no footnote text leaks into the body, and a note wrapped over two lines is whole
    assert not any("– transcript" in b.text for b in blocks)
    assert notes[17].text.endswith(
        "An inspection of the Metropolitan Police Service, September 2022"
    )


def test_pdf_letter_commits_like_any_other(desk, sample_pdf):
    result = letter_import.commit(desk, letter_import.preview(desk, sample_pdf))
    assert result.outcome == "imported" and len(result.refs) == 22
    again = letter_import.commit(desk, letter_import.preview(desk, sample_pdf))
    assert again.outcome == "duplicate"
