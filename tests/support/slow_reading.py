"""A reading for :class:`pcc_desk.importers.reading_ahead.ReadingAhead` that never finishes in the
reading process (it sleeps there) and is immediate in the test's own: for the cancel test. Module
level, so that the child process can import it."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path


def read_slowly_in_the_child(path: Path) -> str:
    if multiprocessing.parent_process() is not None:
        time.sleep(120)
    return path.read_text(encoding="utf-8")


def parse_slowly_in_the_child(path: Path, **fallbacks: object) -> object:
    """:func:`pcc_desk.importers.transcript.parse_transcript`, asleep in the reading process."""
    from pcc_desk.importers.transcript import parse_transcript

    if multiprocessing.parent_process() is not None:
        time.sleep(120)
    return parse_transcript(path, **fallbacks)  # type: ignore[arg-type]


def waiting_for_the_child(monkeypatch: object) -> list[object]:
    """Make a folder import's :class:`ReadingAhead` wait for its child before the first file (the
    real class otherwise: a test must not race the child's start). The list gets each one made."""
    from pcc_desk.importers.reading_ahead import ReadingAhead
    from pcc_desk.services import batch_import

    made: list[object] = []

    class Ready(ReadingAhead):  # type: ignore[type-arg]
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            assert self.wait_ready(60), "the reading process did not start"
            made.append(self)

    monkeypatch.setattr(batch_import, "ReadingAhead", Ready)  # type: ignore[attr-defined]
    return made
