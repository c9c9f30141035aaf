"""Reading a file's text for a form or an option, writing nothing: a response letter for the
Log-a-response form, a text file for a ``--text-file`` option.

Every failure is an :class:`~pcc_desk.errors.ImportRejected` (or ``InvalidInput``) with a one-line
message naming the file; a cancelled read raises :class:`~pcc_desk.errors.Cancelled`.
"""

from __future__ import annotations

from pathlib import Path

from pcc_desk.errors import InvalidInput
from pcc_desk.importers.pdf_sandbox import Cancellable
from pcc_desk.importers.response_letter import read_response_text
from pcc_desk.importers.text import decode_text


def read_response_letter(path: str | Path, cancel: Cancellable | None = None) -> str:
    """The text of a response letter (.docx, .pdf, .txt or .md, after the safety checks).

    ``cancel`` is a :class:`~pcc_desk.services.batch_import.CancelToken` (or anything with ``check()``),
    checked between the pages of a PDF."""
    return read_response_text(Path(path), cancel)


def read_text_file(path: str | Path) -> str:
    """A UTF-8 (or UTF-16 with BOM, or Windows-1252) text file, decoded as the importers decode."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"{file.name}: cannot be read ({exc.strerror or exc}).") from None
    return decode_text(data, file.name)
