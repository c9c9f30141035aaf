"""Change notices are typed (:class:`ChangeKind`): every kind is sent by some service, and the screens
listen only for kinds that are sent."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest
from support.transcript_samples import write_la_txt
from support.undo_samples import generated_letter

from pcc_desk.model import Assessment, Position, Status
from pcc_desk.services import ChangeKind, letter_import, quotes, register, settings, transcripts
from pcc_desk.services import search as search_service
from pcc_desk.services import undo as undo_service


class Heard:
    def __init__(self, desk) -> None:
        self.notices: list[frozenset[ChangeKind]] = []
        desk.subscribe(self.notices.append)

    def last(self) -> frozenset[ChangeKind]:
        return self.notices[-1]

    def all(self) -> set[ChangeKind]:
        return set().union(*self.notices)


@pytest.mark.parametrize("seed", [3, 17, 40])
def test_every_change_kind_is_sent_by_a_service_and_names_what_it_wrote(desk, tmp_path, seed):
    rng = random.Random(seed)
    heard = Heard(desk)
    made = dt.date(2022, 1, 3) + dt.timedelta(days=rng.randint(0, 400))
    ref = register.add_recommendation(desk, f"Publish the plan {seed}", made=made).ref
    assert heard.last() == {ChangeKind.RECOMMENDATIONS}
    register.log_response(
        desk,
        ref,
        received=made + dt.timedelta(days=rng.randint(1, 60)),
        position=rng.choice(list(Position)),
        assessment=rng.choice(list(Assessment)),
        text="We will publish it.",
    )
    assert heard.last() == {ChangeKind.RESPONSES, ChangeKind.RECOMMENDATIONS}
    now = register.get_recommendation(desk, ref).status
    register.change_status(desk, ref, rng.choice([s for s in Status if s != now]), "chase")
    assert heard.last() == {ChangeKind.RECOMMENDATIONS}

    path, _asks = generated_letter(tmp_path, seed)
    letter_import.commit(desk, letter_import.preview(desk, path))
    assert heard.last() >= {ChangeKind.DOCUMENTS, ChangeKind.THEMES, ChangeKind.FOOTNOTES}

    imported = transcripts.import_transcript(desk, write_la_txt(tmp_path))
    assert heard.last() >= {ChangeKind.TRANSCRIPTS, ChangeKind.SEGMENTS, ChangeKind.SEARCH}
    turn = imported.segments[rng.randrange(len(imported.segments))]
    start = rng.randrange(max(1, len(turn.text) // 2))
    quotes.quote_span(desk, turn.id, start, min(len(turn.text), start + 20), refs=[ref])
    assert heard.last() == {ChangeKind.QUOTES, ChangeKind.RECOMMENDATIONS}

    current = settings.get_settings(desk)
    settings.save_settings(desk, dataclasses.replace(current, committee=f"Committee {seed}"))
    assert heard.last() == {ChangeKind.SETTINGS}
    search_service.rebuild_index(desk)
    assert heard.last() == {ChangeKind.SEARCH}

    undo_service.undo(desk)  # the settings again
    assert heard.last() == {ChangeKind.SETTINGS}

    assert heard.all() == set(ChangeKind), "a change kind no service sends"
    assert all(isinstance(kind, ChangeKind) for notice in heard.notices for kind in notice)


def test_a_notice_of_a_kind_nobody_knows_is_refused(desk):
    with pytest.raises(ValueError), desk.transaction(["letters"]):
        pass


def test_the_screens_listen_only_for_kinds_that_are_sent():
    from pcc_desk.gui.screens import due, letters
    from pcc_desk.gui.screens import register as register_screen
    from pcc_desk.gui.screens import transcripts as transcripts_screen

    listened = [
        register_screen.REGISTER_KINDS,
        register_screen.ROW_KINDS,
        letters.CHANGE_KINDS,
        due.DUE_KINDS,
        transcripts_screen.CHANGE_KINDS,
        transcripts_screen.READER_KINDS,
    ]
    for kinds in listened:
        assert kinds and all(isinstance(kind, ChangeKind) for kind in kinds), kinds


@pytest.mark.parametrize("seed", [5, 23])
def test_journal_rows_name_records_by_record_kind_and_each_kind_maps_to_its_table(
    desk, tmp_path, seed
):
    from pcc_desk.model import RECORD_MODELS, Operation, RecordKind
    from pcc_desk.services import journal

    path, _asks = generated_letter(tmp_path, seed)
    letter_import.commit(desk, letter_import.preview(desk, path))
    ref = register.add_recommendation(desk, f"Ask {seed}", theme=f"Theme {seed}").ref
    register.revise_due(desk, ref, dt.date.today() + dt.timedelta(days=90 + seed), "later")
    imported = transcripts.import_transcript(desk, write_la_txt(tmp_path))
    turn = imported.segments[seed % len(imported.segments)]
    quotes.quote_span(desk, turn.id, 0, min(15, len(turn.text)), refs=[ref])
    settings.save_settings(desk, settings.get_settings(desk))
    seen = set()
    with desk.reading() as session:
        for row in session.query(Operation):
            for entry in row.records:
                kind = RecordKind(entry["kind"])  # raises for a kind nobody knows
                seen.add(kind)
                model = RECORD_MODELS.get(kind)
                if model is not None and entry["role"] in (journal.CREATED, journal.CHANGED):
                    assert session.get(model, journal.uid(entry["id"])) is not None
    assert seen >= {
        RecordKind.DOCUMENT,
        RecordKind.RECOMMENDATION,
        RecordKind.STATUS_CHANGE,
        RecordKind.DUE_REVISION,
        RecordKind.THEME,
        RecordKind.TRANSCRIPT,
        RecordKind.QUOTE,
        RecordKind.SETTING,
    }
    assert set(RECORD_MODELS) == set(RecordKind) - {RecordKind.SETTING}


def test_a_record_of_a_kind_nobody_knows_is_refused():
    import uuid

    from pcc_desk.model import OperationKind
    from pcc_desk.services import journal

    op = journal.pending(OperationKind.ADD_RECOMMENDATION, {}, "clerk")
    with pytest.raises(ValueError):
        op.created("widget", uuid.uuid4())
    with pytest.raises(ValueError):
        op.new_id("widget")
