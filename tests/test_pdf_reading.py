"""Reading lines from real PDFs made by LibreOffice from .docx files written here."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from pcc_desk.errors import ImportRejected
from pcc_desk.importers.pdf_reading import read_pdf_lines

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice is not installed"
)


def _page_field(paragraph) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.text = text
        run._r.append(el)


def _convert(source: Path, outdir: Path, filter_options: str = "") -> Path:
    target = "pdf" + (f":writer_pdf_Export:{filter_options}" if filter_options else "")
    subprocess.run(
        [
            "soffice",
            # a profile of its own: another LibreOffice running (a test in another worker) would
            # otherwise take the conversion over
            f"-env:UserInstallation={(outdir / '.lo-profile').resolve().as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return outdir / (source.stem + ".pdf")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    root = tmp_path_factory.mktemp("pdfs")
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "City Hall, Kamal Chunchie Way, London E16 1ZE"
    _page_field(section.footer.paragraphs[0])
    for i in range(60):
        p = document.add_paragraph(f"Paragraph {i} says that the Met’s plan is welcome. ")
        p.add_run("We ask for more detail on timescales.").bold = True
        p.add_run("3").font.superscript = True
        p.add_run(" And so on.")
    source = root / "letter.docx"
    document.save(source)
    empty = root / "empty.docx"
    docx.Document().save(empty)
    encrypted_dir = root / "enc"
    encrypted_dir.mkdir()
    options = '{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"s3cret"}}'
    return {
        "letter": _convert(source, root),
        "empty": _convert(empty, root),
        "encrypted": _convert(source, encrypted_dir, options),
    }


def test_lines_keep_bold_spans_pages_and_superscript_markers(pdfs):
    lines = read_pdf_lines(pdfs["letter"])
    text = "\n".join(line.text for line in lines)
    assert text.count("We ask for more detail") == 60
    assert "timescales.³ And so on." in text
    assert {line.page for line in lines} >= {1, 2, 3}
    first = lines[0]
    bold = "".join(span.text for span in first.spans if span.bold)
    assert bold.strip().startswith("We ask for more detail")
    assert not any(span.bold for span in first.spans if "Paragraph 0" in span.text)


def test_running_header_footer_and_page_numbers_are_dropped(pdfs):
    kept = read_pdf_lines(pdfs["letter"])
    everything = read_pdf_lines(pdfs["letter"], keep_furniture=True)
    assert any("Kamal Chunchie" in line.text for line in everything)
    assert not any("Kamal Chunchie" in line.text for line in kept)
    assert any(line.text.strip() == "2" for line in everything)
    assert not any(line.text.strip().isdigit() for line in kept)


def test_pdf_without_text_is_refused(pdfs):
    with pytest.raises(ImportRejected, match="no text"):
        read_pdf_lines(pdfs["empty"])


def test_encrypted_pdf_is_refused(pdfs):
    with pytest.raises(ImportRejected, match="password"):
        read_pdf_lines(pdfs["encrypted"])


def test_damaged_pdf_is_refused(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    with pytest.raises(ImportRejected, match=r"damaged|no text"):
        read_pdf_lines(bad)
