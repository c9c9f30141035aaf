"""PDF letters laid out as their authors chose: the sample letter rendered by LibreOffice at other
body/footnote/heading sizes, page sizes and fonts, with a two-column head, and in layouts that cannot be
read with confidence (which the review must say)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import subprocess

import pytest
from letter_fixtures import CUT_ASK, SAMPLE_ASKS, SAMPLE_FOOTNOTES, SAMPLE_THEMES
from pdf_letter_variants import HAND_ASKS, HAND_NOTES, HandNoted, Variant, pdfs_of

from pcc_desk.importers.letter_pdf import read_pdf_letter
from pcc_desk.importers.letters import read_letter
from pcc_desk.services import letter_import

pytestmark = [pytest.mark.office, pytest.mark.slow]

SIZES = ((10, 8), (10, 9), (11, 9), (11, 10), (12, 9), (12, 10))  # body / footnotes, in points
PAGES = ("A4", "Letter")
FONTS = ("Liberation Serif", "DejaVu Sans")
# every size on both pages in both fonts; headings bold and the body's size or a little larger
SIZE_VARIANTS = [
    Variant(body=b, note=n, heading=b + (0, 0.5, 1)[i % 3], page=page, font=font)
    for i, ((b, n), page, font) in enumerate(itertools.product(SIZES, PAGES, FONTS))
]
OTHER_LAYOUTS = [
    Variant(body=11, note=11, heading=11),  # footnotes as large as the body
    Variant(body=11, note=10, heading=11.5, justify=True, page="Letter"),
    Variant(body=14, note=10, heading=14.5, font="Liberation Sans", page="Letter"),
    # an address under the first page's footnotes; running heads and page numbers after
    Variant(body=11, note=9, heading=11, letterhead_footer=True),
    Variant(body=12, note=10, heading=12.5, font="DejaVu Sans", letterhead_footer=True),
]
TWO_COLUMN_HEADS = [
    Variant(body=12, note=10, heading=12.5, font="DejaVu Sans", head="table"),
    Variant(body=11, note=9, heading=11, page="Letter", head="table", recipient_left=False),
    Variant(body=10, note=8, heading=10.5, head="tabs"),
    Variant(body=11, note=9, heading=11, font="Liberation Sans", head="tabs", page="Letter"),
    Variant(body=10, note=9, heading=10, head="tabs", recipient_left=False),
    # the right cell's role wraps in its cell
    Variant(
        body=11.5,
        note=10.5,
        heading=13,
        font="DejaVu Serif",
        margin_cm=1.8,
        head="table",
        recipient_left=False,
    ),
    # the right column's role runs past the page's edge and wraps back to the left margin
    Variant(body=11, note=9, heading=11, head="tabs", tab_cm=10),
]
# a line wrapped under the columns that could belong to either of them: the left cell's text of a
# table wrapping while its right cell is full looks the same on the page as tab stops' right column
# wrapping back to the margin
EITHER_COLUMN = [
    Variant(
        body=10.5,
        note=10.5,
        heading=12,
        font="DejaVu Sans",
        page="Letter",
        head="table",
        recipient_left=False,
    ),
    Variant(body=11, note=9, heading=11.5, head="tabs", font="Liberation Sans", margin_cm=3.0),
    Variant(
        body=10, note=8, heading=10.5, head="tabs", font="DejaVu Sans", page="Letter", tab_cm=9.5
    ),
]
NO_NUMBERS = [
    Variant(body=11, note=10, note_format="lowerRoman"),
    Variant(body=12, note=9, font="DejaVu Sans", page="Letter", note_format="chicago"),
]
STRAY = [
    Variant(body=11, note=10, heading=11, stray_superscript="42"),
    Variant(body=10, note=8, font="DejaVu Sans", page="Letter", stray_superscript="58"),
]
UNSPACED = [Variant(body=12, note=10, heading=12, space_after=0)]
HAND = [
    HandNoted(),
    HandNoted(body=12, note=9, font="DejaVu Sans", superscript_numbers=False, uncited=1),
    HandNoted(body=10, note=8, superscript_numbers=False, uncited=3),
]
ALL = (
    SIZE_VARIANTS
    + OTHER_LAYOUTS
    + TWO_COLUMN_HEADS
    + EITHER_COLUMN
    + NO_NUMBERS
    + STRAY
    + UNSPACED
    + HAND
)


@pytest.fixture(scope="session")
def layout_pdfs(tmp_path_factory):
    """Every variant's PDF, made once per session in one LibreOffice call."""
    return pdfs_of(tmp_path_factory.getbasetemp() / "pdf-letter-layouts", ALL)


_JOINED = re.compile(r"^PDF: page (\d+) ends with a full line")


def assert_reads_as_sample(letter) -> None:
    """The head, the 8 themes in order, the 22 asks under their themes, the 36 footnotes (numbers and
    texts) and each ask's footnotes; where the review is warned that a page end was read as joining
    two paragraphs, an ask's footnotes may include those of the next paragraph."""
    head = letter.head
    assert head.date == dt.date(2023, 3, 17)
    assert (head.sender, head.sender_role) == (
        "Susan Hall AM",
        "Chairman of the Police and Crime Committee",
    )
    assert (head.recipient, head.recipient_role) == (
        "Sir Mark Rowley",
        "Commissioner of Police of the Metropolis",
    )
    assert head.cc == (
        "Sophie Linden, Deputy Mayor for Policing and Crime",
        "Diana Luchford, CEO, MOPAC",
    )
    assert head.salutation == "Dear Sir Mark,"
    assert head.subject == (
        "Police and Crime Committee Response to the Metropolitan Police draft Turnaround Plan"
    )
    assert letter.themes == SAMPLE_THEMES
    assert {n.number: n.text for n in letter.footnotes} == SAMPLE_FOOTNOTES
    unsure = any(_JOINED.match(w) for w in letter.warnings)
    assert len(letter.asks) == len(SAMPLE_ASKS), [a.text for a in letter.asks]
    for ask, (theme, first, last, notes) in zip(letter.asks, SAMPLE_ASKS, strict=True):
        assert ask.theme == SAMPLE_THEMES[theme], ask.text
        assert ask.text.startswith(first) and ask.text.endswith(last), ask.text
        assert not re.search(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]", ask.text)
        assert ask.text in ask.context
        if unsure:
            assert set(notes) <= set(ask.footnotes), ask.text
        else:
            assert ask.footnotes == notes, ask.text
    assert CUT_ASK in [a.text for a in letter.asks]


@pytest.mark.parametrize("variant", SIZE_VARIANTS + OTHER_LAYOUTS, ids=lambda v: v.name)
def test_sample_letter_reads_the_same_at_any_size_page_and_font(layout_pdfs, variant):
    letter = read_letter(layout_pdfs[variant])
    assert_reads_as_sample(letter)
    assert all(_JOINED.match(w) for w in letter.warnings), letter.warnings


@pytest.mark.parametrize("variant", TWO_COLUMN_HEADS, ids=lambda v: v.name)
def test_two_column_letter_head_is_read_column_by_column(layout_pdfs, variant):
    pdf = layout_pdfs[variant]
    first_page = subprocess.run(
        ["pdftotext", "-layout", "-l", "1", str(pdf), "-"], capture_output=True, text=True
    ).stdout.splitlines()
    assert any(re.search(r"(Sir Mark Rowley|Susan Hall AM) {3,}\S", t) for t in first_page)
    letter = read_letter(pdf)
    assert_reads_as_sample(letter)
    assert all(_JOINED.match(w) for w in letter.warnings), letter.warnings


@pytest.mark.parametrize("variant", EITHER_COLUMN, ids=lambda v: v.name)
def test_a_head_line_that_could_belong_to_either_column_is_reported(layout_pdfs, variant):
    letter = read_letter(layout_pdfs[variant])
    assert any(w.startswith("PDF: the letter head is set in two columns") for w in letter.warnings)
    assert (letter.head.sender, letter.head.recipient) == ("Susan Hall AM", "Sir Mark Rowley")
    assert letter.themes == SAMPLE_THEMES and len(letter.asks) == len(SAMPLE_ASKS)


@pytest.mark.parametrize("variant", NO_NUMBERS, ids=lambda v: v.name)
def test_footnote_numbers_that_cannot_be_found_are_reported_not_guessed(desk, layout_pdfs, variant):
    preview = letter_import.preview(desk, layout_pdfs[variant])
    letter = preview.letter
    assert letter.footnotes == ()  # no note is made up from the small print
    assert any(
        w.startswith("PDF: the small print at the foot of page") and "footnotes" in w
        for w in letter.warnings
    ), letter.warnings
    assert letter.themes == SAMPLE_THEMES and len(letter.asks) == len(SAMPLE_ASKS)
    # nothing is lost: the notes' small print is kept as text
    text = " ".join(" ".join(b.text.split()) for b in read_pdf_letter(layout_pdfs[variant]).blocks)
    assert all(note in text for note in SAMPLE_FOOTNOTES.values())


@pytest.mark.parametrize("variant", STRAY, ids=lambda v: v.name)
def test_a_superscript_that_matches_no_footnote_is_reported(desk, layout_pdfs, variant):
    letter = letter_import.preview(desk, layout_pdfs[variant]).letter
    number = variant.stray_superscript
    missing = [w for w in letter.warnings if "cited but its text was not found" in w]
    assert missing == [f"footnote {number} is cited but its text was not found"]
    # everything else is read as ever; the stray number is not left in the text
    assert {n.number: n.text for n in letter.footnotes} == SAMPLE_FOOTNOTES
    assert letter.themes == SAMPLE_THEMES and len(letter.asks) == len(SAMPLE_ASKS)


@pytest.mark.parametrize("variant", UNSPACED, ids=lambda v: v.name)
def test_paragraphs_set_without_space_between_them_are_reported(layout_pdfs, variant):
    letter = read_letter(layout_pdfs[variant])
    assert any(w.startswith("PDF: the paragraphs are set with no space") for w in letter.warnings)
    assert letter.themes == SAMPLE_THEMES
    assert [(a.text[:12], a.text[-12:]) for a in letter.asks] == [
        (first[:12], last[-12:]) for _t, first, last, _n in SAMPLE_ASKS
    ]
    assert {n.number: n.text for n in letter.footnotes} == SAMPLE_FOOTNOTES


@pytest.mark.parametrize("hand", HAND, ids=lambda v: v.name)
def test_notes_typed_by_hand_are_read_and_one_nothing_cites_is_reported(layout_pdfs, hand):
    letter = read_letter(layout_pdfs[hand])
    assert {n.number: n.text for n in letter.footnotes} == HAND_NOTES
    cited = [n for n in HAND_NOTES if n != hand.uncited]
    assert [(a.text, a.footnotes) for a in letter.asks] == [
        (ask, (n,)) for ask, n in zip(HAND_ASKS, cited, strict=True)
    ]
    assert [w for w in letter.warnings if "not cited" in w] == [
        f"PDF: footnote {hand.uncited} at the foot of page 1 is not cited in the text (no "
        "superscript number matches); check that the notes and the asks' footnotes are right"
    ]
    assert letter.head.sender == "Susan Hall AM" and letter.head.recipient == "Sir Mark Rowley"
