"""Text transcripts in many layouts, generated from a seed: every public style (support.transcript_styles)
as a plain file, Markdown or reStructuredText, and laid out again as a PDF-to-text tool or a court
reporter writes it (lines wrapped at a width, words broken at line ends, margin line numbers, form
feeds between pages, Windows line ends). For tests that compare two readings of the same files."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

from support.pdf_writer import wrap
from support.transcript_styles import commons, hansard, inquiry_day, london_assembly

# where a typesetter would break these words (they are in the generated speech)
SOFT_BREAKS = {
    "government": 6,
    "neighbourhood": 9,
    "accountability": 7,
    "investigation": 10,
    "recommendations": 9,
    "communities": 6,
    "assessment": 6,
    "guidance": 5,
    "department": 6,
    "policing": 5,
    "decision": 5,
    "confidence": 6,
}


def _laid_out(text: str, rng: random.Random) -> str:
    """The same text as a reporter or a PDF-to-text tool lays it out, as the seed chooses."""
    width = rng.choice([0, 38, 57, 72, 95])  # 0: one line a paragraph
    lines: list[str] = []
    for line in text.split("\n"):
        lines.extend(
            wrap(line, width, SOFT_BREAKS if rng.random() < 0.5 else None)
            if width and line
            else [line]
        )
    if rng.random() < 0.4:  # numbered in the margin, 1 to 25 a page
        lines = [f"{n % 25 + 1:>2}  {line}" for n, line in enumerate(lines)]
    if rng.random() < 0.4:  # a form feed between pages
        page = rng.choice([25, 40, 60])
        lines = [("\f" + line if n and n % page == 0 else line) for n, line in enumerate(lines)]
    return ("\r\n" if rng.random() < 0.2 else "\n").join(lines)


def variants(seed: int) -> Iterator[tuple[str, str]]:
    """``(file name, text)`` of one transcript in each style and layout the seed gives."""
    rng = random.Random(seed)
    plain = [
        ("la", london_assembly(seed, turns=rng.randint(6, 40)).text),
        ("commons", commons(seed, questions=rng.randint(4, 30)).text),
        ("hansard", hansard(seed, turns=rng.randint(6, 30)).text),
        ("inquiry", inquiry_day(seed, "official", exchanges=rng.randint(5, 40)).text),
    ]
    for style, text in plain:
        yield f"{style}-{seed}-2023-05-{seed % 28 + 1:02d}.txt", _laid_out(text, rng)
    for suffix in ("md", "rst"):
        text = inquiry_day(seed, suffix, exchanges=rng.randint(5, 30)).text
        yield f"inquiry-{seed}-2023-06-{seed % 28 + 1:02d}.{suffix}", text


def write_variants(folder: Path, seeds: range) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for seed in seeds:
        for name, text in variants(seed):
            path = folder / name
            path.write_bytes(text.encode("utf-8"))
            paths.append(path)
    return paths
