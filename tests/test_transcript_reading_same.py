"""Issue 16 (the .txt import of a decade): the reading of a text into turns was made faster (each speaker
label weighed and resolved once, name words matched without backtracking, a text split a piece at a
time, turns written by a Core executemany). The faster reading must give the very same transcript: here
generated transcripts in every public style and text layout (wrapped lines, broken words, margin line
numbers, form feeds, Windows line ends, Markdown, reStructuredText) are read by it and by the slow
reading kept below (the shortcuts put back), and imported turns are read back from the register."""

from __future__ import annotations

import random
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from support.transcript_variants import variants, write_variants

import pcc_desk.importers.transcript as transcript_package
from pcc_desk.errors import ImportRejected
from pcc_desk.importers import hyphens, text
from pcc_desk.importers.transcript import labels, parse_transcript
from pcc_desk.services import transcripts
from pcc_desk.speakers import resolver


def _reference_text_reader(path: Path) -> Callable[[], Iterator[str]]:
    """The lines as the file object's own line iteration gives them (the reading before issue 16)."""
    encoding = text.text_encoding(lambda: text._chunks(path), path.name)

    def lines() -> Iterator[str]:
        with open(path, encoding=encoding, newline=None) as handle:
            for line in handle:
                yield line[:-1] if line.endswith("\n") else line

    return lines


@pytest.fixture
def slow_reading(monkeypatch) -> None:
    """Every shortcut of the faster reading put back to the plain way."""
    plain_word = labels._NAME_WORD  # backtracking into a word, as before
    for name in ("_LABEL", "_OATH"):
        pattern = getattr(labels, name)
        slow = pattern.pattern.replace(labels._WHOLE_NAME_WORD, plain_word)
        assert slow != pattern.pattern
        monkeypatch.setattr(labels, name, re.compile(slow, pattern.flags))
    monkeypatch.setattr(labels, "_plausible_label", labels._plausible_label.__wrapped__)
    monkeypatch.setattr(resolver.SpeakerResolver, "resolve", resolver.SpeakerResolver._resolve)
    mark = re.compile("[-\u00ad\u2010]")
    monkeypatch.setattr(hyphens, "_may_break", lambda line: mark.search(line) is not None)
    monkeypatch.setattr(transcript_package, "text_reader", _reference_text_reader)


def _read(paths: list[Path]) -> list[object]:
    out: list[object] = []
    for path in paths:
        try:
            out.append(parse_transcript(path))
        except ImportRejected as refused:
            out.append(str(refused))
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> list[Path]:
    return write_variants(tmp_path_factory.mktemp("variants"), range(12))


@pytest.fixture(scope="module")
def fast_readings(generated) -> list[object]:
    return _read(generated)


def test_generated_transcripts_read_the_same_as_the_slow_reading(
    generated, fast_readings, slow_reading
):
    slow = _read(generated)
    assert len(slow) == len(generated) == len(fast_readings)
    read = [r for r in slow if not isinstance(r, str)]
    assert len(read) >= 0.8 * len(slow)  # the layouts are read, not merely refused alike
    assert sum(len(r.segments) for r in read) > 1000
    assert any(s.page for r in read for s in r.segments)  # paged layouts were among them
    for path, fast, reference in zip(generated, fast_readings, slow, strict=True):
        assert fast == reference, path.name


@pytest.mark.parametrize("seed", range(3))
def test_a_text_split_a_piece_at_a_time_gives_the_lines_of_the_file(tmp_path, monkeypatch, seed):
    """Lines cut by a piece's end, every kind of line end (one cut between "\\r" and "\\n"), empty
    lines, no line end at the end, non-ASCII text: as the file object's own line iteration."""
    monkeypatch.setattr(text, "CHUNK", 7)
    rng = random.Random(seed)
    pieces = ["a", "bb", "\n", "\r\n", "\r", "", " word ", "\n\n", "é", "\f", "x" * 20]
    for n in range(300):
        path = tmp_path / f"t{n}.txt"
        path.write_bytes("".join(rng.choices(pieces, k=rng.randint(0, 40))).encode("utf-8"))
        assert list(text.text_reader(path)()) == list(_reference_text_reader(path)())


@pytest.mark.backends("sqlite", "postgresql")
@pytest.mark.parametrize("seed", [3, 8])
def test_imported_turns_are_the_turns_read(desk, backend, register_db, tmp_path, seed):
    """Written by a Core executemany: every turn lands, in order, as read (and in the index)."""
    folder = tmp_path / "in"
    folder.mkdir()
    imported = 0
    for name, body in variants(seed):
        path = folder / name
        path.write_bytes(body.encode("utf-8"))
        try:
            parsed = parse_transcript(path)
        except ImportRejected:
            continue
        result = transcripts.import_transcript(desk, path)
        detail = transcripts.get_transcript(desk, result.transcript.id)
        got = [(s.speaker, s.speaker_name, s.role, s.text, s.page) for s in detail.segments]
        want = [(s.speaker, s.speaker_name, s.role, s.text, s.page) for s in parsed.segments]
        assert got == want, name
        assert [s.ordinal for s in detail.segments] == list(range(1, len(want) + 1))
        imported += 1
    assert imported >= 4
    if backend != "sqlite":
        return
    with sqlite3.connect(register_db) as conn:
        turns = conn.execute("SELECT count(*) FROM segments").fetchone()[0]
        indexed = conn.execute(
            "SELECT count(*) FROM search_docs WHERE kind = 'transcript'"
        ).fetchone()[0]
    assert turns == indexed > 0
