"""Logging set-up the front ends share: the libraries that would name a clerk's files in their
warnings (the PDF readers name the file's full path) are kept quiet, on screen and in logs."""

from __future__ import annotations


def quiet_casework_logging() -> None:
    """Silence the PDF libraries' warnings (they carry file paths, which are casework)."""
    from pcc_desk.importers.pdf_sandbox import quiet_pdf_logging

    quiet_pdf_logging()
