"""Footnotes are numbered in one place (letters.compose.number_notes): the preview (outline_letter, the
Letters screen) shows the very numbers and words of the Word letter's notes."""

from __future__ import annotations

import datetime as dt

import pytest
from support import docx_readback as rb
from support.footnote_letters import build

from pcc_desk.services import register
from pcc_desk.services.letters import Selection, draft_letter, outline_letter

TODAY = dt.date(2024, 6, 3)


@pytest.mark.parametrize("seed", range(5))
def test_the_preview_numbers_and_words_each_note_as_the_word_letter_does(desk, tmp_path, seed):
    refs = build(desk, seed)
    selection = Selection(refs=tuple(refs))
    outline = outline_letter(desk, selection, letter_date=TODAY)
    drafted = draft_letter(desk, selection, tmp_path / "letter.docx", letter_date=TODAY)
    _document, paras, notes = rb.read(drafted.path)

    previewed = [(n.number, n.text) for p in outline for n in p.footnotes]
    assert [number for number, _ in previewed] == list(range(1, len(previewed) + 1))
    assert len(previewed) == drafted.footnotes == len(notes)
    # paragraph by paragraph: the same references, and each note says what the preview says
    # (neighbouring references are set ⁹,¹⁰: the commas sit between them, at the paragraph's end)
    assert [p.text.removesuffix("," * max(0, len(p.refs) - 1)) for p in paras] == [
        p.text for p in outline
    ]
    assert [p.refs for p in paras] == [tuple(n.number for n in p.footnotes) for p in outline]
    assert {number: notes[number] for number, _ in previewed} == dict(previewed)
    # URLs the text does not hold are part of the note, in the preview too
    cited = [
        n
        for ref in refs
        for n in register.get_recommendation(desk, ref).footnotes
        if any(u not in n.text for u in n.urls)
    ]
    if cited:
        texts = [text for _, text in previewed]
        for note in cited:
            assert any(all(u in t for u in note.urls) and note.text.split()[0] in t for t in texts)
