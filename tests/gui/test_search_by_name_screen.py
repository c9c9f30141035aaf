"""The Transcripts screen's search box finds people by name, on generated meetings."""

from __future__ import annotations

import pytest
from support.name_samples import generate, write_meetings

from pcc_desk.services import transcripts


@pytest.mark.parametrize("seed", [4, 16])
def test_typing_a_surname_lists_that_persons_turns_first(qtbot, desk, tmp_path, request, seed):
    corpus = generate(seed)
    for path in write_meetings(corpus, tmp_path, "txt"):
        transcripts.import_transcript(desk, path)
    window = request.getfixturevalue("window")
    screen = window.show_screen("transcripts")
    for person in corpus.people:
        own = [t for t in corpus.turns if t.speaker == person]
        if not own:
            continue
        named = [t for t in corpus.turns if t.mentions(person.last) and t.speaker != person]
        screen.search.edit.setText("")
        screen.search.run_search()  # no words: the list empties at once
        assert screen.search.hits == []
        screen.search.edit.setText(person.last)
        screen.search.run_search()
        qtbot.waitUntil(
            lambda n=len(own) + len(named): len(screen.search.hits) == n, timeout=10_000
        )
        speakers = [h.speaker for h in screen.search.hits]
        name = person.name
        assert speakers[: len(own)] == [name] * len(own)
        assert screen.search.hits_label.text() == f"{len(own) + len(named)} hits"
        screen.search.edit.setText(f"where {person.last}")
        screen.search.run_search()
        qtbot.waitUntil(lambda: "“where”" in screen.search.hits_label.text(), timeout=10_000)
        assert len(screen.search.hits) == len(own) + len(named)
