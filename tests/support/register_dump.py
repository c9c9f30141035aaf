"""A register built with a row in every table, and a canonical dump of a register (any backend) for
comparing two registers record by record."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import random
import shutil
import uuid
from pathlib import Path

from sqlalchemy import select

from pcc_desk.model import Base
from pcc_desk.paths import resources_dir
from pcc_desk.services import (
    letter_import,
    quotes,
    register,
    repeats,
    settings,
    transcripts,
    undo,
    verification,
)
from pcc_desk.vocabulary import Assessment, Position, Status
from support.transcript_samples import write_la_txt
from support.undo_samples import WORDS, write_letter

SAMPLE = "pcc-letter-2023-03-17-turnaround-plan.md"


def _value(value):
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value


def canonical(engine) -> dict[str, list[tuple]]:
    """Every row of every table of the model, keyed by column, values normalised (ids as hex, times
    as ISO text, bytes by digest, JSON as sorted text), rows sorted: equal for equal registers
    whatever the backend."""
    out = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = [
                tuple((key, _value(v)) for key, v in sorted(row._mapping.items()))
                for row in conn.execute(select(table))
            ]
            out[table.name] = sorted(rows, key=repr)
    return out


def busy_register(desk, folder: Path, seed: int) -> dict:
    """A register with rows in every table: the sample letter (footnotes citing a meeting) and a
    generated one with an edited version imported on top (a document superseding another), a
    transcript those footnotes link to, quotes, responses, status changes, due-date revisions, an ask
    with several addressees (one answered), the
    Committee's details, and undone and redone changes (journal rows pointing at others)."""
    rng = random.Random(seed)
    for sub in ("v1", "v2"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    transcript = transcripts.import_transcript(desk, write_la_txt(folder)).transcript
    sample = folder / SAMPLE
    shutil.copy(resources_dir() / "samples" / SAMPLE, sample)
    letter_import.commit(desk, letter_import.preview(desk, sample))
    date = dt.date(2022, 1, 3) + dt.timedelta(days=rng.randint(0, 700))
    asks = [
        "the Met should " + " ".join(rng.sample(WORDS, rng.randint(3, 9)))
        for _ in range(rng.randint(2, 4))
    ]
    first = write_letter(folder / "v1", "generated.md", date, [("Vetting and standards", asks)])
    letter_import.commit(desk, letter_import.preview(desk, first))
    extra = "the Met should " + " ".join(rng.sample(WORDS, 5)) + f" {seed}"
    edited = write_letter(
        folder / "v2", "generated.md", date, [("Vetting and standards", [*asks, extra])]
    )
    letter_import.commit(desk, letter_import.preview(desk, edited))
    refs = [r.ref for r in register.list_recommendations(desk)]
    rng.shuffle(refs)
    a, b, c = refs[:3]
    quotes.create_quote(desk, transcript.id, "We will rebuild trust", refs=[a, b])
    register.log_response(
        desk,
        a,
        received=dt.date(2024, 1, 8) + dt.timedelta(days=seed),
        position=Position.PARTLY_ACCEPTED,
        assessment=Assessment.PARTLY_ADDRESSED,
        text="We accept this in part. " + " ".join(rng.sample(WORDS, 6)),
    )
    register.change_status(desk, b, Status.SUPERSEDED, "Overtaken by events")
    register.revise_due(desk, c, dt.date(2025, 2, 3) + dt.timedelta(days=seed), "Extension agreed")
    register.edit_recommendation(desk, c, notes=" ".join(rng.sample(WORDS, 4)))
    undo.undo(desk)
    undo.redo(desk)
    settings.update_settings(desk, {"chair": f"Chair {seed}", "clerk_name": "Jo Clerk"})
    added = register.add_recommendation(
        desk, f"Publish the café data ({seed})", theme="Neighbourhood policing", made=date
    )
    register.revise_target(desk, c, dt.date(2026, 6, 30), "The Met's plan gives this date")
    policy = folder / f"policy-{seed}.pdf"
    policy.write_bytes(b"%PDF-1.4 published policy " + str(seed).encode())
    verification.verify(desk, a, note="Policy published", evidence=(policy,))
    by_date = sorted(register.list_recommendations(desk), key=lambda r: r.made)
    repeats.confirm(desk, by_date[-1].ref, by_date[0].ref)  # a confirmed repeat (a link row)
    # an ask to two addressees, one of whom has answered (responses by addressee)
    register.add_addressee(desk, added.ref, "MOPAC")
    register.log_response(
        desk,
        added.ref,
        received=date + dt.timedelta(days=20),
        position=Position.ACCEPTED,
        text="MOPAC accepts this. " + " ".join(rng.sample(WORDS, 4)),
        addressee="MOPAC",
    )
    return {"transcript": transcript, "refs": refs, "added": added.ref}
