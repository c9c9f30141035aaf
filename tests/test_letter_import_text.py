"""Reading letters as .md/.txt: the real sample letter, and the rules it exercises one by one."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from letter_fixtures import SAMPLE, SAMPLE_ASKS, SAMPLE_THEMES, assert_is_sample_letter

from pcc_desk import letter_values
from pcc_desk.importers.letter_structure import build_letter
from pcc_desk.importers.letter_text import read_text_letter, text_blocks
from pcc_desk.importers.letters import read_letter


def _letter(text: str):
    blocks, notes = text_blocks(text)
    return build_letter(blocks, notes, "text")


HEAD = """Susan Hall AM
Chairman of the Police and Crime Committee

Sir Mark Rowley
Commissioner of Police of the Metropolis

17 March 2023

Dear Sir Mark,

A test letter

Policing
"""


def test_sample_letter_gives_every_ask_theme_footnote_and_the_head():
    letter = read_text_letter(SAMPLE)
    assert_is_sample_letter(letter)
    assert len(letter.asks) == 22 and len(letter.footnotes) == 36 and len(letter.themes) == 8
    assert letter.source_format == "text" and letter.document_kind == "letter"
    assert letter.warnings == ()


def test_ask_cut_by_a_page_break_and_footnote_block_is_joined_whole():
    letter = read_letter(SAMPLE)
    cut = [
        a
        for a in letter.asks
        if a.text.startswith(
            "The Committee would welcome further information in the final Turnaround Plan on how the Met will work with women"
        )
    ]
    assert len(cut) == 1
    assert cut[0].text.endswith("rebuild trust and confidence in the police.")
    assert cut[0].theme == "Public protection and safeguarding"
    # the paragraph (context) is joined too, without the footnote block that cut it
    assert (
        "want to see from their police. The Committee would welcome further information"
        in cut[0].context
    )
    assert "Police and Crime Committee, 25 January 2023" not in cut[0].context


def test_paragraph_cut_without_a_bold_span_is_joined_and_keeps_its_footnotes():
    letter = read_letter(SAMPLE)
    first = letter.asks[0]
    assert "new performance framework to measure how successful" in first.context
    assert first.footnotes == (1,)


def test_signature_image_alt_text_and_sign_off_are_not_content():
    letter = read_letter(SAMPLE)
    everything = " ".join(a.context for a in (*letter.asks, *letter.suggested))
    assert "handwritten signature" not in everything
    assert not any("Yours sincerely" in a.text for a in letter.asks)


def test_suggested_asks_are_the_unbolded_sentences_that_read_like_asks():
    letter = read_letter(SAMPLE)
    texts = [s.text for s in letter.suggested]
    assert any(
        t.startswith("The Committee recommends that the final Plan includes further detail")
        for t in texts
    )
    assert any(
        t.startswith(
            "The Committee asks that the Met ensures the final Turnaround Plan provides sufficient focus"
        )
        for t in texts
    )
    assert any(
        t.startswith(
            "The Committee believes the final Turnaround Plan should be much more explicit"
        )
        for t in texts
    )
    # never a sentence that is (partly) a bold ask already, nor the past "recommended"
    bold = {a.text for a in letter.asks}
    assert not any(b in t or t in b for t in texts for b in bold)
    assert not any("recommended that the Met must listen" in t for t in texts)


def test_bold_continuing_after_a_superscript_marker_is_one_ask():
    letter = _letter(
        HEAD
        + "\nWe **urge the Met to publish its plan**¹ **by the end of the year.** Thanks.\n\n¹ A note\n"
    )
    assert [a.text for a in letter.asks] == [
        "urge the Met to publish its plan by the end of the year."
    ]
    assert letter.asks[0].footnotes == (1,)


def test_bold_split_in_the_middle_of_a_word_or_with_italic_stays_one_ask():
    letter = _letter(HEAD + "\nWe **ask the Met to pub****lish *all* of its figures** monthly.\n")
    assert [a.text for a in letter.asks] == ["ask the Met to publish all of its figures"]


def test_markdown_footnote_link_is_reduced_to_text_and_url_kept():
    letter = _letter(
        HEAD
        + "\nThe Plan¹ is **a plan for the Met to publish soon.**\n\n¹ [The Plan \\(met.police.uk\\)](https://example.org/plan), *Evening Standard*, 5 August 2021\n"
    )
    note = letter.footnotes[0]
    assert note.text == "The Plan (met.police.uk), Evening Standard, 5 August 2021"
    assert note.urls == ("https://example.org/plan",)
    assert note.meeting_date is None and note.committee == ""


def test_committee_meeting_footnote_gets_committee_and_meeting_date():
    letter = _letter(
        HEAD
        + "\nAs you said.¹ **We ask for a written answer soon.**\n\n¹ Police and Crime Committee, 12 October 2022 – [transcript](#)\n"
    )
    note = letter.footnotes[0]
    assert note.text == "Police and Crime Committee, 12 October 2022 – transcript"
    assert note.committee == "Police and Crime Committee"
    assert note.meeting_date.isoformat() == "2022-10-12"
    assert note.urls == ()


def test_pandoc_footnotes_and_markdown_headings_are_read():
    text = (
        HEAD
        + "\n## Stop and search\n\nThe data[^1] show a rise. **We ask for monthly figures by borough.**\n\n[^1]: MOPAC dashboard, https://data.london.gov.uk/x\n"
    )
    letter = _letter(text)
    assert letter.themes == ("Policing", "Stop and search")
    assert letter.asks[0].theme == "Stop and search" and letter.asks[0].footnotes == (1,)
    assert letter.footnotes[0].urls == ("https://data.london.gov.uk/x",)


def test_short_emphasis_is_not_an_ask():
    letter = _letter(HEAD + "\nThis is **not** acceptable, and we say so.\n")
    assert letter.asks == ()


def test_review_edits_drop_merge_split_and_accept():
    letter = read_letter(SAMPLE)
    dropped = letter_values.drop_ask(letter, 0)
    assert len(dropped.asks) == 21 and dropped.asks[0] == letter.asks[1]
    merged = letter_values.merge_asks(letter, 2, 3)
    assert len(merged.asks) == 21
    assert merged.asks[2].text == f"{letter.asks[2].text} {letter.asks[3].text}"
    ncas = next(i for i, a in enumerate(letter.asks) if "NCA" in a.text)
    split = letter_values.split_sentences(letter, ncas)
    assert len(split.asks) == 24
    assert split.asks[ncas + 2].text.startswith("The Committee would also like to see support")
    cut = letter_values.split_ask(letter, 0, letter.asks[0].text.index(" is needed"))
    assert cut.asks[1].text.startswith("is needed") and cut.asks[1].footnotes == (1,)
    edited = letter_values.edit_ask(letter, 0, text="Publish timescales.", theme="A new theme")
    assert edited.asks[0].text == "Publish timescales." and edited.themes[-1] == "A new theme"
    accepted = letter_values.accept_suggestions(letter, [0])
    assert len(accepted.asks) == 23 and len(accepted.suggested) == len(letter.suggested) - 1
    # placed among the asks of its own theme
    position = accepted.asks.index(letter.suggested[0])
    assert accepted.asks[position - 1].theme == letter.suggested[0].theme
    with pytest.raises(IndexError):
        letter_values.drop_ask(letter, 99)
    assert dataclasses.is_dataclass(letter) and letter.asks == read_letter(SAMPLE).asks  # unchanged


def test_expected_table_is_complete():
    # the hand count: 22 bold asks in 8 sections
    assert len(SAMPLE_ASKS) == 22 and {t for t, *_ in SAMPLE_ASKS} == set(range(len(SAMPLE_THEMES)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(
        alphabet=st.sampled_from(
            list("ab .,;:\n*_[]()#-¹²³⁴ Dear CC:17 March 2023Yours sincerely")
        ),
        max_size=400,
    )
)
def test_any_text_parses_without_crashing(text):
    letter = _letter(text)
    for ask in letter.asks:
        assert ask.text.strip() and "**" not in ask.text


def test_head_from_signature_and_salutation_when_the_head_names_nobody():
    text = (
        "**Chairman of the Police and Crime Committee**\n\n3rd May 2024\n\nDear Dame Lynne,\n\n"
        "Knife crime in outer London\n\n**We ask the Met to publish its knife crime figures by borough.**\n\n"
        "Yours sincerely,\n\nSusan Hall AM\nChairman of the Police and Crime Committee\n\ncc: Sophie Linden, Deputy Mayor for Policing and Crime\n"
    )
    head = _letter(text).head
    assert head.date.isoformat() == "2024-05-03"
    assert (head.sender, head.sender_role) == (
        "Susan Hall AM",
        "Chairman of the Police and Crime Committee",
    )
    assert head.recipient == "Dame Lynne"
    assert head.subject == "Knife crime in outer London"
    assert head.cc == ("Sophie Linden, Deputy Mayor for Policing and Crime",)


def test_a_ranked_name_is_a_person_and_the_rank_words_of_a_role_are_not():
    text = (
        "Susan Hall AM\nChairman of the Police and Crime Committee\n\n"
        "Deputy Commissioner Dame Lynne Owens\nMetropolitan Police Service\nNew Scotland Yard\nLondon SW1A 2JL\n\n"
        "3 May 2024\n\nDear Dame Lynne,\n\nKnife crime\n\n**We ask the Met to publish its knife crime figures by borough.**\n"
    )
    head = _letter(text).head
    assert (head.recipient, head.recipient_role) == (
        "Deputy Commissioner Dame Lynne Owens",
        "Metropolitan Police Service",
    )
    assert head.sender == "Susan Hall AM"
