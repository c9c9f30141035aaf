"""Words broken at line ends in PDF transcripts (and text exported from PDFs) are joined again: real
hyphens kept ("long-term", "co-operate"), a typesetter's removed ("govern-" / "ment"), and a quote typed
as spoken is then found. Checked on transcripts laid out here at many widths, fonts and sizes, where
the test decides the lines (and on LibreOffice's own layout of Word files)."""

from __future__ import annotations

import random
import shutil

import pytest
from support.pdf_writer import FONTS, wrap, write_pdf
from support.transcript_samples import docx_to_pdf
from support.transcript_styles import COMPOUNDS, speech
from support.transcript_variants import SOFT_BREAKS as SOFT

from pcc_desk.errors import NotFound
from pcc_desk.importers.hyphens import Dehyphenator
from pcc_desk.importers.transcript import ParsedSegment, ParsedTranscript, parse_transcript
from pcc_desk.services import quotes, transcripts

HEADER = ["Police and Crime Committee – 12 October 2022", "Transcript of Agenda Item 5"]
SPEAKERS = [
    "Susan Hall AM (Chairman)",
    "Sir Mark Rowley QPM (Commissioner of Police of the Metropolis)",
    "Ms Sophie Linden (Deputy Mayor for Policing and Crime)",
    "Caroline Russell AM",
]


def _turns(seed: int, typeset: bool) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    turns = [(SPEAKERS[n % len(SPEAKERS)], speech(rng, 4, 0.25)) for n in range(8)]
    if typeset:  # a typeset document uses its words more than once: the evidence the reader uses
        turns.append((SPEAKERS[0], "We have heard about " + ", ".join(COMPOUNDS) + "."))
    return turns


def _text_lines(turns, width: int, soft=None) -> str:
    lines = [*HEADER, ""]
    for label, said in turns:
        lines.extend(wrap(f"{label}: {said}", width, soft))
        lines.append("")
    return "\n".join(lines)


def _numbered(text: str) -> str:
    """The lines numbered in the margin, 1 to 25 on every page, as inquiries print them."""
    return "\n".join(f"{n % 25 + 1:>2}  {line}" for n, line in enumerate(text.split("\n")))


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("width", [31, 44, 58, 71, 90])
@pytest.mark.parametrize("typeset", [False, True], ids=["from-word", "typeset"])
@pytest.mark.parametrize("numbered", [False, True], ids=["plain", "numbered"])
def test_text_exported_from_a_pdf_gives_back_the_words_as_spoken(
    tmp_path, seed, width, typeset, numbered
):
    turns = _turns(seed, typeset)
    text = _text_lines(turns, width, SOFT if typeset else None)
    assert "-\n" in text  # the layout broke words
    text = _numbered(text) if numbered else text
    path = tmp_path / "transcript.txt"
    path.write_text(text, encoding="utf-8")
    parsed = parse_transcript(path)
    assert [s.text for s in parsed.segments] == [said for _, said in turns]


@pytest.mark.parametrize("font", FONTS)
@pytest.mark.parametrize("size, width", [(9, 95), (11, 70), (13, 52)])
@pytest.mark.parametrize("typeset", [False, True], ids=["from-word", "typeset"])
def test_pdf_lines_broken_after_a_hyphen_are_joined_with_real_hyphens_kept(
    tmp_path, font, size, width, typeset
):
    turns = _turns(size + width, typeset)
    path = tmp_path / "transcript.pdf"
    laid = write_pdf(
        path,
        HEADER + [f"{label}: {said}" for label, said in turns],
        font=font,
        size=size,
        width=width,
        soft=SOFT if typeset else None,
        header=HEADER[0],
    )
    assert sum(line.endswith("-") for line in laid) >= 3
    parsed = parse_transcript(path)
    assert [s.text for s in parsed.segments] == [said for _, said in turns]
    joined = " ".join(s.text for s in parsed.segments)
    assert "- " not in joined.replace(" - ", "")


@pytest.mark.parametrize(
    "lines, expected",
    [
        (["a large-", "scale change"], "a large-scale change"),
        (["the long-", "term plan"], "the long-term plan"),
        (["we will co-", "operate"], "we will co-operate"),
        (["by mid-", "March"], "by mid-March"),
        (["during Covid-", "19"], "during Covid-19"),
        (["by e-", "mail"], "by e-mail"),
        (["in 2019-", "20"], "in 2019-20"),
        (["pre- and post-war"], "pre- and post-war"),
        (["stop-", "and-search"], "stop-and-search"),
        (["I -- I", "think"], "I -- I think"),
        (["the govern-", "ment said"], "the government said"),
        (["a recommend-", "ation"], "a recommendation"),
    ],
)
def test_a_small_rule_set_decides_without_other_evidence(lines, expected):
    text = "\n".join(lines)
    assert Dehyphenator(text).fix(" ".join(lines)) == expected


@pytest.mark.parametrize("seed", range(5))
def test_the_rest_of_the_document_decides_an_ambiguous_break(seed):
    rng = random.Random(seed)
    first, second = rng.choice(
        [("cross", "party"), ("over", "view"), ("work", "load"), ("down", "stream")]
    )
    joined_elsewhere = rng.random() < 0.5
    elsewhere = f"{first}{second}" if joined_elsewhere else f"{first}-{second}"
    text = f"We discussed the {first}-\n{second} again. Later the {elsewhere} came up twice, {elsewhere}."
    fixed = Dehyphenator(text).fix(text.replace("\n", " "))
    assert fixed.startswith(f"We discussed the {elsewhere} again.")


def test_a_document_typeset_with_hyphenation_joins_its_unknown_breaks():
    text = (
        "The govern-\nment and the depart-\nment made an assess-\nment of the investiga-\ntion "
        "and of the frobnic-\nator."
    )
    assert Dehyphenator(text).fix(text.replace("\n", " ")).endswith("of the frobnicator.")
    word_made = "The large-\nscale plan and the frobnic-\nator."
    assert Dehyphenator(word_made).fix(word_made.replace("\n", " ")).endswith("the frobnic-ator.")


@pytest.mark.parametrize("width", [44, 46, 56, 70, 79, 88])
def test_a_quote_typed_as_spoken_is_found_in_a_pdf_transcript(desk, tmp_path, width):
    said = (
        "We will publish a large-scale plan for neighbourhood policing and a long-term "
        "commitment to co-operate with every borough."
    )
    paragraph = f"{SPEAKERS[1]}: {said}"
    assert any(line.endswith(("large-", "long-", "co-")) for line in wrap(paragraph, width))
    path = tmp_path / "pcc-2022-10-12.pdf"
    write_pdf(path, [*HEADER, paragraph, f"{SPEAKERS[0]}: Thank you."], width=width)
    transcript = transcripts.import_transcript(desk, path).transcript
    for words in (
        "a large-scale plan for neighbourhood policing",
        "a long-term commitment to co-operate",
        said,
    ):
        quote = quotes.create_quote(desk, transcript.id, words)
        assert quote.text == words


def test_a_quote_is_found_whichever_way_a_stored_turn_kept_a_broken_word(desk):
    """Transcripts imported before line breaks were joined keep "large- scale"; one wrongly joined
    keeps "largescale": the words typed as spoken are found in both, and the stored text is kept."""
    import datetime as dt

    turns = (
        "We will publish a large- scale plan for the long- term.",
        "A largescale review of the longterm plan.",
    )
    parsed = ParsedTranscript(
        committee="Police and Crime Committee",
        meeting_date=dt.date(2022, 10, 12),
        title="Transcript",
        segments=tuple(ParsedSegment("Sir Mark Rowley", "Sir Mark Rowley", "", t) for t in turns),
        source_name="old.txt",
    )
    record = transcripts.save_parsed(desk, parsed)
    transcript_id = record.transcript.id
    first = quotes.create_quote(desk, transcript_id, "a large-scale plan for the long-term")
    assert first.text == "a large- scale plan for the long- term"
    second = quotes.create_quote(desk, transcript_id, "A large-scale review")
    assert second.text == "A largescale review"
    with pytest.raises(NotFound, match="not in the transcript"):
        quotes.create_quote(desk, transcript_id, "a large-scale plan for the short-term")


@pytest.fixture(scope="session")
def office_pdfs(tmp_path_factory):
    """Word files in three fonts and sizes, converted by LibreOffice once for the session."""
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("LibreOffice is not installed")
    import docx
    from docx.shared import Cm, Pt

    folder = tmp_path_factory.mktemp("hyphen-pdfs")
    made = []
    for n, (font, size, margin) in enumerate(
        [("Liberation Sans", 11, 2.5), ("Liberation Serif", 13, 4.5), ("Liberation Mono", 10, 3.0)]
    ):
        turns = _turns(100 + n, typeset=False)
        document = docx.Document()
        style = document.styles["Normal"]
        style.font.name, style.font.size = font, Pt(size)
        for section in document.sections:
            section.left_margin = section.right_margin = Cm(margin)
        for line in HEADER:
            document.add_paragraph(line)
        for label, said in turns:
            document.add_paragraph(f"{label}: {said}")
        source = folder / f"transcript-{n}.docx"
        document.save(source)
        made.append((docx_to_pdf(source, folder), turns))
    return made


@pytest.mark.office
@pytest.mark.slow
def test_libreoffice_pdfs_of_word_transcripts_read_back_as_typed(office_pdfs):
    broken = 0
    for pdf, turns in office_pdfs:
        import pdfplumber

        with pdfplumber.open(pdf) as document:
            text = "\n".join(page.extract_text() or "" for page in document.pages)
        broken += sum(1 for line in text.split("\n") if line.endswith("-"))
        parsed = parse_transcript(pdf)
        assert [s.text for s in parsed.segments] == [said for _, said in turns], pdf.name
    assert broken >= 3  # LibreOffice did break compounds at line ends


def test_line_break_reader_is_not_needed_for_word_files(tmp_path):
    """A .docx has no line breaks: a hyphen and a space typed by a clerk ("pre- and post-war") stay."""
    import docx

    document = docx.Document()
    for line in HEADER:
        document.add_paragraph(line)
    document.add_paragraph(
        "Susan Hall AM (Chairman): Both pre- and post-war plans, and a long-term one."
    )
    path = tmp_path / "t.docx"
    document.save(path)
    assert (
        parse_transcript(path).segments[0].text
        == "Both pre- and post-war plans, and a long-term one."
    )
