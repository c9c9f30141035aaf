"""Bad files: each refused with one clear line naming the file, before any parser inflates anything,
and the register left exactly as it was."""

from __future__ import annotations

import zipfile

import pytest
from sqlalchemy import func, select

from pcc_desk.errors import ImportRejected
from pcc_desk.model import Document, Recommendation
from pcc_desk.services import letter_import


def blank_pdf() -> bytes:
    """A valid one-page PDF with no text at all (what a scan without OCR looks like to a reader)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _zip(path, entries: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def _xlsx(path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "not a letter"
    book.save(path)
    return path


def _zip_bomb(path):
    """A few hundred KB that would inflate to 300 MB of zeros."""
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as handle:
            for _ in range(300):
                handle.write(chunk)
    return path


def _huge(path):
    with open(path, "wb") as handle:
        handle.truncate(60 * 1024 * 1024)  # sparse: quick to make
        handle.seek(0)
        handle.write(b"%PDF-1.4\n")
    return path


def _bytes(data: bytes):
    def make(path):
        path.write_bytes(data)
        return path

    return make


CASES = {
    "not-a-zip.docx": (_bytes(b"Dear Sir Mark, this is plain text"), "not a Word .docx file"),
    "a-plain-zip.docx": (
        lambda p: _zip(p, {"notes.txt": b"hello"}),
        "zip file is not a Word .docx file",
    ),
    "spreadsheet.docx": (_xlsx, "not a Word document (it is a spreadsheet)"),
    "encrypted.docx": (
        _bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)),
        "password-protected",
    ),
    "empty.pdf": (_bytes(b""), "the file is empty"),
    "no-text.pdf": (_bytes(blank_pdf()), "no text to read"),
    "damaged.pdf": (_bytes(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj << broken"), "damaged"),
    "huge.pdf": (_huge, "too large"),
    "bomb.docx": (_zip_bomb, "zip bomb"),
    "bad-utf8.txt": (
        _bytes(b"Dear Sir Mark,\n" + b"\x81\x8d\x90\x9d broken"),
        "not in a readable encoding",
    ),
    "binary.md": (_bytes(b"\x00\x01\x02binary\x00"), "not a text file"),
    "blank.md": (_bytes(b"\n \n\t\n"), "no text to import"),
    "letter.rtf": (_bytes(b"{\\rtf1 hello}"), "not .rtf files"),
}


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    return {name: make(folder / name) for name, (make, _) in CASES.items()}


def _counts(desk):
    with desk.reading() as session:
        return (
            session.scalar(select(func.count()).select_from(Document)),
            session.scalar(select(func.count()).select_from(Recommendation)),
        )


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_is_refused_in_one_line_and_nothing_changes(desk, bad_files, name):
    path = bad_files[name]
    with pytest.raises(ImportRejected) as caught:
        letter_import.preview(desk, path)
    message = str(caught.value)
    assert message.startswith(f"{name}: ") and CASES[name][1] in message
    assert "\n" not in message and "Traceback" not in message and len(message) < 200
    assert _counts(desk) == (0, 0)
    assert not desk.location.files_dir.exists()


def test_zip_bomb_is_small_on_disk(bad_files):
    assert bad_files["bomb.docx"].stat().st_size < 2_000_000


def test_cli_refuses_a_bad_file_with_one_line_and_exit_2(cli, tmp_path, bad_files):
    db = tmp_path / "r.sqlite3"
    proc = cli("import-letter", str(bad_files["encrypted.docx"]), db=db)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "encrypted.docx: " in proc.stderr
    listed = cli("list", "--json", db=db, check_rc=0)
    assert listed.stdout.strip() == "[]"


def test_an_unforeseen_failure_inside_a_reader_is_one_line_too(desk, tmp_path, monkeypatch):
    from pcc_desk.importers import letters

    def broken(*args, **kwargs):
        raise KeyError("something no rule foresaw")

    monkeypatch.setattr(letters, "build_letter", broken)
    path = tmp_path / "odd.md"
    path.write_text("Dear Sir,\n\nText.\n", encoding="utf-8")
    with pytest.raises(
        ImportRejected, match=r"^odd.md: the file could not be read as a letter \(KeyError\)\.$"
    ):
        letter_import.preview(desk, path)
