"""The search box finds people: a turn by a speaker, a turn that names them, the meetings by their
title, recommendations by their addressee and their letter's sender and recipient; ranked so that what
someone said comes before what was said about them, with the speaker filter still there.

Every case runs on generated meetings and letters (``name_samples``: other people, honours, roles,
titles and ways of writing a speaker for each seed, as .txt and .docx) and compares the hits with what
the generated files say.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import statistics
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select
from support.name_samples import (
    Corpus,
    fold,
    generate,
    letters,
    tokens,
    write_letter,
    write_meetings,
)

from pcc_desk import storage
from pcc_desk.model import Document, Position, Segment, Transcript
from pcc_desk.services import Desk, letter_import, register, transcripts
from pcc_desk.services.search import check_index, find, search

LIMIT = 500
VARIANTS = [(seed, fmt) for seed in (3, 11, 27) for fmt in ("txt", "docx")]


class Library:
    """A register holding one generated corpus, and the way back from a hit to the generated turn."""

    def __init__(self, desk: Desk, corpus: Corpus, folder: Path, fmt: str):
        self.desk, self.corpus = desk, corpus
        for path in write_meetings(corpus, folder, fmt):
            transcripts.import_transcript(desk, path)
        with desk.reading() as session:
            rows = session.execute(
                select(Segment.id)
                .join(Transcript)
                .order_by(Transcript.meeting_date, Segment.ordinal)
            ).all()
        turns = sorted(corpus.turns, key=lambda t: corpus.meetings[t.meeting].date)
        assert len(rows) == len(turns), "the importer read every generated turn"
        self.turn_of = {row.id: turn for row, turn in zip(rows, turns, strict=True)}
        self.segment_of = {id(turn): seg_id for seg_id, turn in self.turn_of.items()}

    def segments(self, turns) -> set:
        return {self.segment_of[id(t)] for t in turns}

    def found(self, text: str, **criteria) -> list:
        return [h.id for h in search(self.desk, text, kinds="transcript", limit=LIMIT, **criteria)]


# the same search by name on a laptop's file and on a team register
pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture(params=VARIANTS, ids=[f"seed{s}-{f}" for s, f in VARIANTS])
def library(request, desk, tmp_path):
    seed, fmt = request.param
    return Library(desk, generate(seed), tmp_path, fmt)


def by(corpus: Corpus, person) -> list:
    return [t for t in corpus.turns if t.speaker == person]


def mentioning(corpus: Corpus, word: str) -> list:
    return [t for t in corpus.turns if t.mentions(word)]


def spoken_people(corpus: Corpus) -> list:
    return [p for p in corpus.people if by(corpus, p)]


def test_a_surname_finds_every_turn_by_that_person_and_every_turn_naming_them(library):
    corpus = library.corpus
    for person in spoken_people(corpus):
        expected = library.segments(by(corpus, person) + mentioning(corpus, person.last))
        for typed in (person.last, person.last.lower(), fold(person.last), person.last + " "):
            assert set(library.found(typed)) == expected, (typed, person)


def test_a_first_name_or_a_full_name_finds_the_person_too(library):
    corpus = library.corpus
    for person in spoken_people(corpus):
        first = set(library.found(person.first))
        assert first == library.segments(by(corpus, person) + mentioning(corpus, person.first))
        full = f"{person.first} {person.last}"
        both = [t for t in mentioning(corpus, person.first) if t.mentions(person.last)]
        assert set(library.found(full)) == library.segments(by(corpus, person) + both)


def test_turns_by_the_person_rank_above_turns_that_name_them_once(library):
    corpus = library.corpus
    checked = 0
    for person in spoken_people(corpus):
        own = by(corpus, person)
        said = library.segments([t for t in own if not t.mentions(person.last)])
        named = library.segments([t for t in mentioning(corpus, person.last) if t not in own])
        if not said or not named:
            continue
        order = library.found(person.last)
        assert max(order.index(s) for s in said) < min(order.index(s) for s in named), person
        checked += 1
    assert checked >= 2, "the variant names some speakers in other people's turns"


def holds(corpus: Corpus, turn, word: str, prefix: bool) -> bool:
    """The turn's words or its meeting's title hold ``word`` (or, typed last, a word it begins)."""
    have = tokens(turn.text) + tokens(corpus.meetings[turn.meeting].title)
    return any(w.startswith(word) if prefix else w == word for w in have)


def test_a_word_with_a_name_finds_that_persons_turns_holding_the_word(library):
    corpus = library.corpus
    checked = 0
    for person in spoken_people(corpus):
        own = by(corpus, person)
        word = max(
            {w for t in own for w in tokens(t.text)} - set(tokens(person.first + person.last)),
            key=lambda w: (sum(w in tokens(t.text) for t in own), w),
        )
        named = own + mentioning(corpus, person.last)
        for typed, prefix in ((f"{word} {person.last}", False), (f"{person.last} {word}", True)):
            expected = [t for t in named if holds(corpus, t, word, prefix)]
            assert set(library.found(typed)) == library.segments(expected), typed
            checked += bool(expected)
    assert checked


def test_the_speaker_filter_still_keeps_only_that_speakers_turns(library):
    corpus = library.corpus
    people = spoken_people(corpus)
    for person in people:
        for other in people:
            if other == person:
                continue
            expected = [t for t in by(corpus, other) if t.mentions(person.last)]
            assert set(library.found(person.last, speaker=other.last)) == library.segments(expected)
        assert set(library.found(person.last, speaker=person.last)) == library.segments(
            by(corpus, person)
        )


def test_a_role_finds_the_turns_of_whoever_holds_it(library):
    corpus = library.corpus
    for person in spoken_people(corpus):
        if person.member:
            continue
        word = person.role.split(",")[0].split()[-1]  # "Police", "Adviser", "Champion"…
        holders = [p for p in spoken_people(corpus) if word.lower() in tokens(p.role)]
        expected = [t for p in holders for t in by(corpus, p)] + mentioning(corpus, word)
        assert set(library.found(word)) == library.segments(expected), word


def test_a_word_of_a_meetings_title_finds_its_turns_after_those_that_say_it(library, tmp_path):
    corpus = library.corpus
    meeting = corpus.meetings[0]
    topic = meeting.title.split()[-1]
    # a turn of another meeting, of a middling length, that says the title's word
    size = statistics.median(len(t.text.split()) for t in corpus.turns)
    other = min(corpus.meetings[1].turns, key=lambda t: abs(len(t.text.split()) - size))
    other.paragraphs[0] += f" {topic} were raised."
    shutil.rmtree(tmp_path / "again", ignore_errors=True)
    (tmp_path / "again").mkdir()
    desk = library.desk
    for transcript in transcripts.list_transcripts(desk):
        transcripts.delete_transcript(desk, transcript.id)
    library = Library(desk, corpus, tmp_path / "again", "txt")
    order = library.found(topic)
    titled = library.segments(meeting.turns)
    assert set(order) == titled | library.segments([other])
    assert order[0] == library.segment_of[id(other)], "the words said weigh more than the title"
    # the whole title, as a clerk copies it, finds that meeting's turns only
    assert set(library.found(meeting.title)) == titled


def test_a_word_that_nothing_holds_is_left_out_and_the_clerk_told(library):
    corpus = library.corpus
    person = spoken_people(corpus)[0]
    expected = library.segments(by(corpus, person) + mentioning(corpus, person.last))
    for absent in ("where", "zqxv"):
        found = find(library.desk, f"{absent} {person.last}", kinds="transcript", limit=LIMIT)
        assert {h.id for h in found.hits} == expected
        assert len(found.notes) == 1 and f"“{absent}”" in found.notes[0]
    # a word that is somewhere, but not in this person's turns, still must be there
    named = by(corpus, person) + mentioning(corpus, person.last)
    word = next(
        w
        for w in sorted({w for t in corpus.turns for w in tokens(t.text)})
        if not any(holds(corpus, t, w, prefix=False) for t in named)
    )
    assert find(library.desk, f"{word} {person.last}").hits == []
    # quoted words are never left out; nor is the only word
    assert search(library.desk, f'"where" {person.last}') == []
    assert find(library.desk, "zqxv").notes == ()
    assert find(library.desk, "zqxv where").hits == []
    # the search finds the person at once: nothing is left out
    assert find(library.desk, person.last).notes == ()


@pytest.mark.parametrize("seed", [5, 8, 13])
def test_recommendations_are_found_by_addressee_sender_and_recipient(desk, tmp_path, seed):
    corpus = generate(seed)
    sent = {}
    for letter in letters(seed, corpus.people):
        path = write_letter(letter, tmp_path / f"letter-{letter.date}.md")
        preview = letter_import.preview(desk, path)
        head = preview.letter.head
        assert (fold(head.sender), fold(head.recipient)) == (
            fold(f"{letter.sender.first} {letter.sender.last} AM"),
            fold(letter.recipient.name),
        ), "the importer read the generated letter's head"
        sent[letter] = set(letter_import.commit(desk, preview).refs)
        assert len(sent[letter]) == len(letter.asks)

    def refs(text: str, kinds="recommendation") -> set[str]:
        return {h.ref for h in search(desk, text, kinds=kinds, limit=LIMIT)}

    people = {p for letter in sent for p in (letter.sender, letter.recipient)}
    for person in people:
        expected = set().union(
            *(r for letter, r in sent.items() if person in (letter.sender, letter.recipient))
        )
        for typed in (person.last, fold(person.last), f"{person.first} {person.last}"):
            assert refs(typed) == expected, typed

    # a new addressee is found; the letter's recipient still finds the recommendation
    letter = next(iter(sent))
    ref = sorted(sent[letter])[0]
    newcomer = next(p for p in corpus.people if p not in people)
    register.edit_recommendation(desk, ref, addressee=f"{newcomer.first} {newcomer.last}")
    assert refs(newcomer.last) == {ref}
    assert ref in refs(letter.recipient.last)

    # a response is found by who it is from
    register.log_response(
        desk,
        ref,
        received=letter.date.replace(month=letter.date.month + 3),
        position=Position.ACCEPTED,
        text="We accept this.",
        from_whom=letter.recipient.name,
    )
    assert refs(letter.recipient.last, kinds="response") == {ref}

    # the letter's sender corrected afterwards: its recommendations follow, in the same transaction
    with desk.transaction() as session:
        doc = session.scalars(select(Document).where(Document.date == letter.date)).one()
        doc.sender = f"{newcomer.first} {newcomer.last} AM"
    others = set().union(
        *(r for other, r in sent.items() if other != letter and letter.sender == other.sender)
    )
    assert refs(letter.sender.last) == others
    assert refs(newcomer.last) == sent[letter]
    assert check_index(desk) == []


def test_a_meeting_renamed_is_found_by_its_new_title(library):
    corpus = library.corpus
    meeting = corpus.meetings[0]
    with library.desk.transaction() as session:
        transcript = session.scalars(
            select(Transcript).where(Transcript.meeting_date == meeting.date)
        ).one()
        transcript.title = "Question and Answer Session on Zeppelins"
    assert set(library.found("Zeppelins")) == library.segments(meeting.turns)
    assert library.found(meeting.title.split()[-1]) == []


FIXTURES = Path(__file__).parent / "fixtures" / "db"


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("search-*.sqlite3")))
def test_a_stored_register_is_upgraded_and_its_records_found_by_name(tmp_path, fixture):
    """search-0002.sqlite3 was written by PCC Desk at schema 0002 (tests/support/make_search_fixture.py):
    two transcripts, a letter's recommendations with its sender and recipient, a response."""
    path = tmp_path / fixture
    shutil.copyfile(FIXTURES / fixture, path)
    conn = sqlite3.connect(path)
    turns = conn.execute(
        "SELECT s.id, s.speaker_name, s.speaker || ' ' || s.speaker_role || ' ' || s.text || ' ' "
        "|| t.title FROM segments s JOIN transcripts t ON t.id = s.transcript_id"
    ).fetchall()
    letter = conn.execute(
        "SELECT d.sender, d.recipient, group_concat(r.ref, '|') FROM documents d "
        "JOIN recommendations r ON r.document_id = d.id GROUP BY d.id"
    ).fetchall()
    addressed = conn.execute(
        "SELECT addressee, group_concat(ref, '|') FROM recommendations GROUP BY addressee"
    ).fetchall()
    conn.close()
    speakers = {name for _id, name, _words in turns if name}
    assert len(speakers) >= 4 and letter, "the fixture holds what search indexes"

    with Desk.open(path) as desk:
        assert storage.stored_revision(path) == storage.HEAD_REVISION
        spoken_only = 0
        for name in speakers:
            surname = name.split()[-1]
            expected = {
                uuid.UUID(row_id)
                for row_id, speaker, words in turns
                if fold(surname) in tokens(speaker) + tokens(words)
            }
            spoken_only += any(
                fold(surname) not in tokens(words)
                for _id, speaker, words in turns
                if speaker == name
            )
            found = {h.id for h in search(desk, surname, kinds="transcript", limit=LIMIT)}
            assert found == expected, name
        assert spoken_only, "some speakers are found only by who spoke"
        for sender, recipient, refs in letter:
            for person in (sender, recipient):
                found = {h.ref for h in search(desk, person, kinds="recommendation", limit=LIMIT)}
                assert set(refs.split("|")) <= found, person
        for addressee, refs in addressed:
            if addressee:
                found = {
                    h.ref for h in search(desk, addressee, kinds="recommendation", limit=LIMIT)
                }
                assert set(refs.split("|")) <= found, addressee
        responses = search(desk, "Rowley", kinds="response")
        assert [h.speaker for h in responses] == ["Sir Mark Rowley"]
        assert check_index(desk) == []
        # the triggers made by the upgrade index what comes next, by name too
        corpus = generate(41)
        write_meetings(corpus, tmp_path, "txt")
        for file in sorted(tmp_path.glob("pcc-*.txt")):
            transcripts.import_transcript(desk, file)
        person = spoken_people(corpus)[0]
        assert len(search(desk, person.last, kinds="transcript", limit=LIMIT)) == len(
            by(corpus, person) + [t for t in mentioning(corpus, person.last) if t.speaker != person]
        )
        assert check_index(desk) == []


@pytest.mark.parametrize("seed", [2, 19])
def test_the_command_line_finds_people_and_says_which_words_it_left_out(cli, tmp_path, seed):
    corpus = generate(seed)
    db = tmp_path / "cli.sqlite3"
    files = write_meetings(corpus, tmp_path, "txt")
    cli("import-transcript", *map(str, files), db=db, check_rc=0)
    person = spoken_people(corpus)[-1]
    expected = len(
        by(corpus, person) + [t for t in mentioning(corpus, person.last) if t.speaker != person]
    )
    out = cli("search", person.last, "--limit", "500", "--json", db=db, check_rc=0)
    hits = json.loads(out.stdout)
    assert len(hits) == expected and out.stderr == ""
    assert hits[0]["speaker"] == person.name
    out = cli("search", "where", person.last, "--limit", "500", "--json", db=db, check_rc=0)
    assert len(json.loads(out.stdout)) == expected
    assert out.stderr.strip() == "No record holds “where”, so the search is for the other words."
