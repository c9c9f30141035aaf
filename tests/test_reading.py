"""Reading a response letter's text through the service (the Log-a-response form's Import button) and
a text file for a --text-file option: every format and encoding a clerk meets, one-line refusals."""

from __future__ import annotations

import pytest
from pdf_writer import write_pdf

from pcc_desk.errors import Cancelled, ImportRejected, InvalidInput
from pcc_desk.services.batch_import import CancelToken
from pcc_desk.services.reading import read_response_letter, read_text_file

PARAGRAPHS = [
    "Dear Ms Hall,",
    "Thank you for the Committee’s letter of 17 March 2023 about the Turnaround Plan.",
    "The Met accepts the recommendation on custody data and will publish it every quarter.",
    "Yours sincerely, Sir Mark Rowley",
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_a_text_response_is_read_in_any_house_encoding(tmp_path, encoding, suffix):
    path = tmp_path / f"response{suffix}"
    path.write_bytes("\n\n".join(PARAGRAPHS).encode(encoding))
    text = read_response_letter(path)
    assert text.split("\n\n") == PARAGRAPHS
    assert read_text_file(path) == text


@pytest.mark.parametrize("blank_paragraphs", [0, 3])
def test_a_word_response_gives_its_paragraphs(tmp_path, blank_paragraphs):
    import docx

    document = docx.Document()
    for para in PARAGRAPHS:
        document.add_paragraph(para)
        for _ in range(blank_paragraphs):
            document.add_paragraph("  ")
    path = tmp_path / "Response from the Met.docx"
    document.save(str(path))
    assert read_response_letter(path).split("\n\n") == PARAGRAPHS


@pytest.mark.parametrize(("font", "size", "width"), [("Helvetica", 11, 80), ("Courier", 9, 60)])
def test_a_pdf_response_gives_its_text_and_cancel_stops_it(tmp_path, font, size, width):
    path = tmp_path / "response.pdf"
    write_pdf(path, PARAGRAPHS * 12, font=font, size=size, width=width)
    text = read_response_letter(path)
    words = " ".join(text.split())
    assert "The Met accepts the recommendation on custody data" in words
    assert words.count("Dear Ms Hall,") == 12
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        read_response_letter(path, token)


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("empty.txt", b"", "empty"),
        ("damaged.docx", b"PK\x03\x04 not a word file", "damaged"),
        ("scan.pdf", b"%PDF-1.4\n%%EOF\n", "PDF"),
        ("blank.txt", b"   \n\n  ", "no text"),
        ("sheet.xlsx.csv", b"a,b\n", ".csv"),
    ],
)
def test_a_response_that_cannot_be_read_is_one_line_naming_the_file(tmp_path, name, data, says):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ImportRejected) as caught:
        read_response_letter(path)
    message = str(caught.value)
    assert message.startswith(f"{name}: ") and says in message and "\n" not in message


def test_a_missing_text_file_option_is_one_line(tmp_path):
    with pytest.raises(InvalidInput, match=r"^gone\.txt: cannot be read"):
        read_text_file(tmp_path / "gone.txt")
