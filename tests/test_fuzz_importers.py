"""Fuzz: mutations of the real .docx files in the corpus, fed to every importer. Whatever the bytes,
an importer either reads the file or refuses it with a PccError (one line for the clerk): never
another exception, never a hang.

Seeded and bounded by example count. To fuzz another importer, add ``(name, callable(path))`` to
IMPORTERS — the letter and transcript importers join here when they land.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from pcc_desk.errors import PccError
from pcc_desk.importers import safety

CORPUS = Path(__file__).parent / "fixtures" / "corpus" / "docx"
FILES = sorted(CORPUS.rglob("*.docx"))
EXAMPLES = 240
SEED = 7


def read_docx_as_an_importer_would(path: Path) -> None:
    """The pre-scan, python-docx, and the reads every importer makes (text, runs, tables, headers)."""
    document = safety.open_docx(path)
    with safety.damaged_docx_is_rejected(path.name):
        for paragraph in document.paragraphs:
            _ = paragraph.text, paragraph.style
            for run in paragraph.runs:
                _ = run.bold, run.italic
        for table in document.tables:
            for row in table.rows:
                for cell in row.cells:
                    _ = cell.text
        for section in document.sections:
            _ = [p.text for p in section.header.paragraphs]
        _ = document.core_properties.title


def read_as_a_letter(path: Path) -> None:
    from pcc_desk.services import letter_import

    letter_import.preview(None, path)


def read_as_a_transcript(path: Path) -> None:
    import datetime as dt

    from pcc_desk.importers.transcript import parse_transcript

    parse_transcript(path, date=dt.date(2022, 10, 12), title="Fuzz")


IMPORTERS: list[tuple[str, Callable[[Path], object]]] = [
    ("docx pre-scan + python-docx", read_docx_as_an_importer_would),
    ("letter import preview", read_as_a_letter),
    ("transcript import", read_as_a_transcript),
]


def _flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 16)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _mutate_a_part(data: bytes, rng: random.Random) -> bytes:
    """Rewrite the zip with one part damaged: truncated, bytes flipped, replaced, dropped, duplicated
    or renamed — so that python-docx, not only the zip reader, meets broken input."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    victim = rng.choice(names)
    op = rng.choice(["truncate", "flip", "garbage", "drop", "duplicate", "rename", "xml-bomb"])
    out = io.BytesIO()
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for name in names:
                content = source.read(name)
                if name == victim:
                    if op == "drop":
                        continue
                    if op == "truncate":
                        content = content[: rng.randrange(len(content) + 1)]
                    elif op == "flip" and content:
                        content = _flip_bytes(content, rng)
                    elif op == "garbage":
                        content = rng.randbytes(rng.randrange(1, 4000))
                    elif op == "rename":
                        name += "x"
                    elif op == "xml-bomb":
                        content = (
                            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
                            + b"".join(
                                b'<!ENTITY %s "&%s;&%s;&%s;&%s;&%s;&%s;&%s;&%s;&%s;&%s;">'
                                % ((bytes([98 + i]),) + (bytes([97 + i]),) * 10)
                                for i in range(8)
                            )
                            + b"]><d>&i;</d>"
                        )
                target.writestr(name, content)
                if name == victim and op == "duplicate":
                    target.writestr(name, content)
    return out.getvalue()


def _mutants(rng: random.Random, pool: list[Path]):
    for i in range(EXAMPLES):
        original = rng.choice(pool)
        data = original.read_bytes()
        mutated = _flip_bytes(data, rng) if rng.random() < 0.35 else _mutate_a_part(data, rng)
        yield i, original, mutated


def test_the_corpus_is_there_and_readable():
    assert len(FILES) >= 20
    readable = 0
    for path in FILES:
        try:
            read_docx_as_an_importer_would(path)
            readable += 1
        except PccError:
            pass
    assert readable >= len(FILES) - 1  # ISO Strict files are read too


@pytest.mark.parametrize(("name", "importer"), IMPORTERS, ids=[n for n, _ in IMPORTERS])
def test_mutated_files_are_read_or_refused_with_a_one_line_error(tmp_path, name, importer):
    from support.transcript_samples import write_la_docx

    rng = random.Random(SEED)
    # the corpus, plus a real transcript so that the transcript reader meets files it can read
    originals = tmp_path / "originals"
    originals.mkdir()
    pool = [*FILES, write_la_docx(originals)]
    outcomes: Counter[str] = Counter()
    for i, original, mutated in _mutants(rng, pool):
        path = tmp_path / f"{i:04d}-{original.name}"
        path.write_bytes(mutated)
        try:
            importer(path)
            outcomes["read"] += 1
        except PccError as error:
            message = str(error)
            assert message.startswith(path.name) and "\n" not in message, message
            outcomes["refused"] += 1
        except Exception as exc:  # pragma: no cover - the failure being looked for
            pytest.fail(
                f"{name} raised {type(exc).__name__} on a mutation of {original.name} (example {i}, seed {SEED}): {exc}"
            )
        path.unlink()
    assert outcomes["read"] > 0 and outcomes["refused"] > 0, outcomes


def test_strict_open_xml_files_are_read():
    strict = [path for path in FILES if path.name.startswith("strict")]
    assert len(strict) == 2
    for path in strict:
        assert any(p.text.strip() for p in safety.open_docx(path).paragraphs)
