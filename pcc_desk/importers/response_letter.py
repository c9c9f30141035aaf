"""The text of a response letter the clerk imports into the Log-a-response form.

Called through :func:`pcc_desk.services.reading.read_response_letter`.

.txt through the house decoder, .docx through python-docx after the safety pre-scan, .pdf through
pdfplumber in a bounded child process (:mod:`pcc_desk.importers.pdf_sandbox`). Every failure is an
ImportRejected with a one-line message naming the file.
"""

from __future__ import annotations

from pathlib import Path

from pcc_desk.errors import ImportRejected
from pcc_desk.importers import pdf_sandbox
from pcc_desk.importers.safety import check_file
from pcc_desk.importers.text import decode_text


def read_response_text(path: Path, token: pdf_sandbox.Cancellable | None = None) -> str:
    path = Path(path)
    checked = check_file(path)
    name = path.name
    if checked.kind == "text":
        text = decode_text(path.read_bytes(), name)
    elif checked.kind == "docx":
        import docx  # lazily: python-docx is slow to import

        try:
            document = docx.Document(str(path))
        except Exception:
            raise ImportRejected(
                f"{name}: this Word file cannot be read (it is damaged)."
            ) from None
        text = "\n\n".join(p.text for p in document.paragraphs if p.text.strip())
    else:
        # in a child process bounded in memory, time and size; Cancel ends it at once
        pages = pdf_sandbox.run(pdf_sandbox.page_texts, path, token=token)
        text = "\n\n".join(p for p in pages if p.strip())
    text = text.strip()
    if not text:
        raise ImportRejected(
            f"{name}: no text found (a scanned letter needs its text typed or pasted)."
        )
    return text
