"""A text transcript is read a piece at a time (a 19 MB file is never held whole, nor as a list of its
lines): the streamed reading gives exactly the segments the whole-text reading gives, on generated
transcripts of every encoding, newline style and page-break placement, across the read buffer's edges.
(Peak memory is measured by benchmarks/bench_transcript_memory.py, not asserted here.)"""

from __future__ import annotations

import codecs
import random

import pytest

from pcc_desk.errors import ImportRejected
from pcc_desk.importers import text as text_module
from pcc_desk.importers.text import decode_text, text_lines
from pcc_desk.importers.transcript import parse_transcript, parse_transcript_text

SPEAKERS = [
    "Susan Hall AM (Chairman)",
    "Sir Mark Rowley QPM (Commissioner of Police of the Metropolis)",
    "Caroline Russell AM",
    "The Commissioner",
    "Sophie Linden (Deputy Mayor for Policing and Crime)",
]
WORDS = [
    "we",
    "will",
    "publish",
    "the",
    "Met’s",
    "plan",
    "on",
    "neighbourhood",
    "policing",
    "—",
    "vetting,",
    "café,",
    "naïve",
    "2023",
    "£5m",
]


def _transcript(rng: random.Random, turns: int) -> str:
    parts = [
        "Police and Crime Committee – 12 October 2022",
        "",
        "Transcript of Agenda Item 5 – Question and Answer Session",
        "",
    ]
    for _ in range(turns):
        paragraphs = [
            " ".join(rng.choices(WORDS, k=rng.randint(3, 60))) for _ in range(rng.randint(1, 3))
        ]
        parts.append(f"{rng.choice(SPEAKERS)}: {paragraphs[0]}")
        for paragraph in paragraphs[1:]:
            parts.append("")
            if rng.random() < 0.3:  # a paragraph wrapped over several lines
                words = paragraph.split()
                cut = rng.randrange(1, len(words) + 1)
                parts.append(" ".join(words[:cut]))
                paragraph = " ".join(words[cut:])
            parts.append(paragraph)
        parts.append("")
        if rng.random() < 0.15:  # a page break, where pdftotext puts one
            parts[-1] = rng.choice(["\f", "\f ", "  \f", "\fPage 3\f"])
    return "\n".join(parts)


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-32", "cp1252"]


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16-le-bom":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if encoding == "cp1252":
        return text.replace("—", "-").encode("cp1252")
    return text.encode(encoding)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("seed", [1, 2])
def test_streamed_reading_gives_the_same_segments_as_the_whole_text(
    tmp_path, monkeypatch, seed, encoding, newline
):
    monkeypatch.setattr(text_module, "CHUNK", 97)  # tiny pieces: every edge case of the buffer
    rng = random.Random(f"{seed}{encoding}{newline}")
    text = _transcript(rng, rng.randint(5, 40))
    data = _encode(text.replace("\n", newline), encoding)
    name = f"pcc-2022-10-12-{seed}.{'md' if seed % 2 else 'txt'}"
    path = tmp_path / name
    path.write_bytes(data)
    whole = parse_transcript_text(decode_text(data, name), name)
    streamed = parse_transcript(path)
    assert streamed.segments == whole.segments
    assert (streamed.committee, streamed.meeting_date, streamed.title) == (
        whole.committee,
        whole.meeting_date,
        whole.title,
    )
    assert len(streamed.segments) > 1
    if "\f" in text:
        assert {s.page for s in streamed.segments} - {None}


@pytest.mark.parametrize("seed", [3, 4, 5])
def test_the_lines_streamed_are_the_lines_of_the_decoded_text(tmp_path, monkeypatch, seed):
    monkeypatch.setattr(text_module, "CHUNK", 64)
    rng = random.Random(seed)
    text = "".join(
        rng.choice(["a", "b", "é", "’", " ", "\n", "\r\n", "\r", "\f", "\t"])
        for _ in range(rng.randint(200, 3000))
    )
    path = tmp_path / "t.txt"
    path.write_bytes(text.encode("utf-8"))
    lines, paged = text_lines(path)
    decoded = decode_text(text.encode("utf-8"), "t.txt")
    expected = decoded.split("\n")
    if decoded.endswith("\n"):
        expected.pop()  # a file's last newline ends its last line; it starts no other
    assert list(lines) == expected
    assert paged == ("\f" in decoded)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Chair: hello\x00\x01 binary", "binary data"),
        (codecs.BOM_UTF8 + b"Chair: caf\xff", "invalid UTF-8"),
        (b"Chair: " + "caf\u00e9".encode() + b" \x81\x8d\x8f\x90\x9d", "readable encoding"),
    ],
)
def test_a_file_the_whole_text_reading_refuses_is_refused_the_same_streamed(
    tmp_path, monkeypatch, data, message
):
    monkeypatch.setattr(text_module, "CHUNK", 5)
    path = tmp_path / "pcc-2022-10-12.txt"
    path.write_bytes(data)
    with pytest.raises(ImportRejected, match=message):
        decode_text(data, path.name)
    with pytest.raises(ImportRejected, match=message):
        parse_transcript(path)
