"""One mapper from each table row to its record (pcc_desk.services.records), used by every service:
a record reads the same whichever use case hands it out."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import random
from pathlib import Path

import pytest
from support.transcript_samples import write_la_txt

from pcc_desk.model import Assessment, Position, Status
from pcc_desk.services import dto, quotes, register, transcripts

SERVICES = Path(__file__).resolve().parent.parent / "pcc_desk" / "services"
RECORDS = {
    name
    for name, value in vars(dto).items()
    if dataclasses.is_dataclass(value) and value.__module__ == dto.__name__
}
# The desktop's table is read in bulk from plain columns (no rows to map): its one exception, by
# SQLAlchemy (register/table.py) and, read ahead at start-up, with the standard library alone
# (register_file.py: records.py imports SQLAlchemy, which is not loaded yet then).
BULK = {
    ("register/table.py", "RecommendationSummary"),
    ("register_file.py", "RecommendationSummary"),
    ("register_file.py", "AddresseeLine"),
}


def test_records_are_made_from_rows_in_one_module_only():
    made = []
    for path in SERVICES.rglob("*.py"):
        where = path.relative_to(SERVICES).as_posix()
        if where in ("records.py", "dto.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                name = node.func.id
                if name in RECORDS and (where, name) not in BULK:
                    made.append(f"{where}:{node.lineno} {name}")
    assert made == [], "records made outside pcc_desk/services/records.py"
    assert {"RecommendationSummary", "FootnoteRecord", "SegmentRecord"} <= RECORDS


@pytest.mark.parametrize("seed", [2, 9, 31])
def test_what_a_write_returns_is_what_a_read_gives(desk, tmp_path, seed):
    rng = random.Random(seed)
    made = dt.date(2022, 1, 3) + dt.timedelta(days=rng.randint(0, 500))
    added = register.add_recommendation(
        desk, f"Publish the plan ({seed})", theme=f"Theme {seed % 3}", made=made
    )
    response = register.log_response(
        desk,
        added.ref,
        received=made + dt.timedelta(days=rng.randint(1, 40)),
        position=rng.choice(list(Position)),
        assessment=rng.choice(list(Assessment)),
        text="We will publish it by the autumn.",
        from_whom=rng.choice(["", "Sir Mark Rowley", "Ní Bhriain"]),
    )
    revision = register.revise_due(desk, added.ref, made + dt.timedelta(days=200), "extension")
    status = register.get_recommendation(desk, added.ref).status
    change = register.change_status(
        desk, added.ref, rng.choice([s for s in Status if s != status]), "n"
    )
    imported = transcripts.import_transcript(desk, write_la_txt(tmp_path))
    turn = imported.segments[rng.randrange(len(imported.segments))]
    start = rng.randrange(max(1, len(turn.text) // 2))
    quote = quotes.quote_span(desk, turn.id, start, min(len(turn.text), start + 25), [added.ref])

    detail = register.get_recommendation(desk, added.ref)
    assert detail.responses == (response,)
    assert detail.due_revisions[-1] == revision
    assert detail.history[-1] == change
    assert detail.quotes == (quote,)
    summary = {
        f.name: getattr(detail, f.name) for f in dataclasses.fields(dto.RecommendationSummary)
    }
    assert register.list_recommendations(desk)[0] == dto.RecommendationSummary(**summary)
    assert register.register_rows(desk) == register.list_recommendations(desk)

    whole = transcripts.get_transcript(desk, imported.transcript.id)
    assert whole.segments == imported.segments
    listed = transcripts.list_transcripts(desk)[0]
    assert listed == dataclasses.replace(whole.transcript, word_count=None)
    assert whole.transcript.quote_count == 1
