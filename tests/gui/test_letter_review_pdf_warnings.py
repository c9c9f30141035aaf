"""The review dialog says where a PDF letter could not be read with confidence (real PDFs, real widgets)."""

from __future__ import annotations

import pytest
from pdf_letter_variants import Variant, pdfs_of

pytestmark = [pytest.mark.office, pytest.mark.slow]

UNSURE = {
    Variant(body=11, note=10, note_format="lowerRoman"): "PDF: the small print at the foot of page",
    Variant(body=10, note=8, font="DejaVu Sans", stray_superscript="42"): (
        "footnote 42 is cited but its text was not found"
    ),
}


@pytest.fixture(scope="session")
def unsure_pdfs(tmp_path_factory):
    return pdfs_of(tmp_path_factory.getbasetemp() / "pdf-letter-layouts", list(UNSURE))


@pytest.mark.parametrize("variant", list(UNSURE), ids=lambda v: v.name)
def test_review_shows_what_the_pdf_reader_was_unsure_of(qtbot, window, unsure_pdfs, variant):
    assert window.import_files([unsure_pdfs[variant]], "letter")
    screen = window.screens["register"]
    qtbot.waitUntil(
        lambda: getattr(screen, "letters", None) is not None and screen.letters.dialog is not None,
        timeout=120_000,
    )
    dialog = screen.letters.dialog
    label = dialog.ui.warningsLabel
    assert label.isVisible()
    assert UNSURE[variant] in label.text()
    dialog.reject()
