"""Two clerks on one team register (PostgreSQL) at the same moment, each race made to happen every
time: the first clerk is held up at the worst point (after reading, before writing) while the
second does the same thing. Found by the eight-clerk load (tests/test_team_concurrency.py)."""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
import threading
import time

import pytest
from sqlalchemy import event, select
from support.batch_folders import letter_md
from support.transcript_samples import write_la_txt

from pcc_desk import postgres
from pcc_desk.model import (
    Position,
    Quote,
    RecordKind,
    Status,
    StatusChange,
    TargetDateRevision,
    Theme,
)
from pcc_desk.services import Desk, journal, quotes, register, transcripts, undo
from pcc_desk.services import letter_import as imports

MADE = dt.date(2024, 3, 14)
# the module (the package's ``compare`` is its function)
comparing = importlib.import_module("pcc_desk.services.letter_import.compare")
HOLD = 0.6  # seconds the first clerk is held up: the second arrives meanwhile


def _first_clerk() -> bool:
    return threading.current_thread().name == "clerk-0"


def _at_once(url: str, work, held: threading.Event) -> list[BaseException | None]:
    """``work(desk, i)`` for two clerks, each with a desk of their own; the second starts once the
    first is held up (``held``), so the first has read what it reads before the second begins."""
    desks = [Desk.open(url) for _ in range(2)]
    failures: list[BaseException | None] = [None, None]

    def run(i: int) -> None:
        if i == 1:
            assert held.wait(30), "the first clerk never reached the point it is held at"
        try:
            work(desks[i], i)
        except BaseException as exc:  # reported to the test
            failures[i] = exc

    threads = [threading.Thread(target=run, args=(i,), name=f"clerk-{i}") for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for desk in desks:
        desk.close()
    return failures


def _hold_first_clerk(
    monkeypatch,
    owner,
    name: str,
    when=lambda *a, **k: True,
    nth: int = 1,
    until: threading.Event | None = None,
) -> threading.Event:
    """Hold the first clerk up for :data:`HOLD` seconds (or until ``until`` is set, at most 2 s),
    once: when ``owner.name`` returns for the ``nth`` time (of the calls ``when`` picks)."""
    original = getattr(owner, name)
    calls = []
    held = threading.Event()

    def slow(*args, **kwargs):
        result = original(*args, **kwargs)
        if _first_clerk() and when(*args, **kwargs):
            calls.append(True)
            if len(calls) == nth:
                held.set()
                if until is not None:
                    until.wait(2)
                else:
                    time.sleep(HOLD)
        return result

    monkeypatch.setattr(owner, name, slow)
    return held


def _move_status(desk, ref: str, i: int, second: str) -> None:
    """The first clerk chases; the second closes it, or logs a response (``second``)."""
    if i == 0:
        register.change_status(desk, ref, Status.FOLLOW_UP_NEEDED, "Chased")
    elif second == "change":
        register.change_status(desk, ref, Status.CLOSED_IMPLEMENTED, "Done")
    else:
        register.log_response(
            desk,
            ref,
            received=dt.date(2024, 5, 1),
            position=Position.ACCEPTED,
            text="Accepted",
            new_status=Status.RESPONSE_RECEIVED,
        )


@pytest.mark.parametrize("second", ["change", "respond"])
def test_two_clerks_moving_one_status_at_once_leave_a_history_that_adds_up(
    pg_register, monkeypatch, second
):
    with Desk.open(pg_register) as desk:
        ref = register.add_recommendation(desk, "Publish the plan", made=MADE).ref
    # the first clerk has read the status and taken the time of its change, then waits
    held = _hold_first_clerk(monkeypatch, journal, "pending")

    def work(desk, i):
        _move_status(desk, ref, i, second)

    assert _at_once(pg_register, work, held) == [None, None]
    with Desk.open(pg_register) as desk, desk.reading() as session:
        rows = session.scalars(
            select(StatusChange).order_by(StatusChange.changed_at, StatusChange.created_at)
        ).all()
        status = register.get_recommendation(desk, ref).status
    links = [(r.from_status, r.to_status) for r in rows]
    assert len(links) == 3 and links[0] == (None, Status.AWAITING_RESPONSE)
    for (_, before), (after_from, _) in itertools.pairwise(links):
        assert after_from == before, links  # each change starts where the one before ended
    assert links[-1][1] == status  # the status is what the history says


@pytest.mark.parametrize("second", ["change", "respond", "target"])
def test_a_clerk_who_began_first_but_locks_second_still_extends_the_history(
    pg_register, monkeypatch, second
):
    """The first clerk's transaction takes its time, then is held up before it locks the
    recommendation; the second changes it meanwhile; the first's change then comes after it in time
    too (each transaction's time is taken when it begins)."""
    with Desk.open(pg_register) as desk:
        ref = register.add_recommendation(desk, "Publish the plan", made=MADE).ref
    writing = importlib.import_module("pcc_desk.services.register.writing")
    targets = importlib.import_module("pcc_desk.services.register.targets")
    held, second_done = threading.Event(), threading.Event()
    for module in (writing, targets):
        original = module.recommendation_by_ref

        def before_the_lock(*args, _original=original, **kwargs):
            if _first_clerk():
                held.set()
                second_done.wait(5)
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, "recommendation_by_ref", before_the_lock)

    def work(desk, i):
        if second == "target":
            register.revise_target(desk, ref, dt.date(2025, 1, i + 1), f"Clerk {i}")
        else:
            _move_status(desk, ref, i, second)
        if i == 1:
            second_done.set()

    assert _at_once(pg_register, work, held) == [None, None]
    with Desk.open(pg_register) as desk, desk.reading() as session:
        shown = register.get_recommendation(desk, ref)
        if second == "target":
            rows = session.scalars(
                select(TargetDateRevision).order_by(TargetDateRevision.changed_at)
            ).all()
            links = [(r.old_target, r.new_target) for r in rows]
            assert links == [
                (None, dt.date(2025, 1, 2)),
                (dt.date(2025, 1, 2), dt.date(2025, 1, 1)),
            ]
            assert shown.target == dt.date(2025, 1, 1)
            return
        rows = session.scalars(select(StatusChange).order_by(StatusChange.changed_at)).all()
    links = [(r.from_status, r.to_status) for r in rows]
    assert len(links) == 3 and links[1][0] == Status.AWAITING_RESPONSE, links
    assert links[2] == (links[1][1], Status.FOLLOW_UP_NEEDED), links  # the first clerk's, last
    assert shown.status is Status.FOLLOW_UP_NEEDED


def test_the_journals_lock_is_held_only_to_number_the_row_and_commit(pg_register):
    """Rows written while holding the journal's lock could wait for a row another clerk holds while
    that clerk waits for the journal: a deadlock, which the server breaks by failing a change. And
    every other clerk's change waits for that lock: it is held from numbering the row to the commit,
    nothing else (not the reading back of what the use case returns)."""
    with Desk.open(pg_register) as desk:
        ref = register.add_recommendation(desk, "Publish the plan", made=MADE).ref
        statements: list[str] = []

        @event.listens_for(desk.engine, "before_cursor_execute")
        def seen(conn, cursor, statement, *args):
            statements.append(" ".join(statement.split()))

        @event.listens_for(desk.engine, "commit")
        def committed(conn):
            statements.append("COMMIT")

        register.change_status(desk, ref, Status.FOLLOW_UP_NEEDED, "Chased")
        register.edit_recommendation(desk, ref, theme="A theme typed now", notes="Noted")
        undo.undo(desk)
    locks = [n for n, s in enumerate(statements) if str(postgres.JOURNAL_LOCK) in s]
    assert len(locks) == 3
    for at in locks:
        held = statements[at + 1 : statements.index("COMMIT", at)]
        assert [s.split(" ")[0] for s in held] == ["SELECT", "UPDATE"], held
        assert held[0].startswith("SELECT max(journal.seq)"), held
        assert held[1].startswith("UPDATE journal SET seq"), held
    with Desk.open(pg_register) as desk:
        numbers = [o.seq for o in undo.recent(desk, everyone=True)]
    assert numbers == [4, 3, 2, 1]


def test_two_clerks_importing_the_very_same_letter_at_once_import_it_once(
    pg_register, tmp_path, monkeypatch
):
    path = tmp_path / "letter.md"
    path.write_text(letter_md(MADE, "Custody", ["the Met should publish its audit"]))
    # the first clerk has looked for the file in the register again, in its transaction (not
    # there), and waits
    held = _hold_first_clerk(monkeypatch, imports.saving, "by_sha", nth=2)
    results = [None, None]

    def work(desk, i):
        results[i] = imports.commit(desk, imports.preview(desk, path))

    assert _at_once(pg_register, work, held) == [None, None]
    assert sorted(r.outcome for r in results) == ["duplicate", "imported"]
    with Desk.open(pg_register) as desk:
        assert [r.ref for r in register.list_recommendations(desk)] == ["PCC-2024-03-14/01"]


def test_two_clerks_importing_two_versions_of_one_letter_at_once_add_each_ask_once(
    pg_register, tmp_path, monkeypatch
):
    first, second = tmp_path / "draft.md", tmp_path / "final.md"
    first.write_text(letter_md(MADE, "Custody", ["the Met should publish its audit"]))
    second.write_text(
        letter_md(
            MADE, "Custody", ["the Met should publish its audit", "the Met should train staff"]
        )
    )
    # both clerks have read their letter and reviewed it (nothing of that date in the register)
    with Desk.open(pg_register) as desk:
        previews = [imports.preview(desk, path) for path in (first, second)]
    assert all(not p.is_reimport for p in previews)
    # then both save: the first has compared its letter with the register again, in its
    # transaction, and waits until the second has looked for an earlier version too (at most 2 s)
    looked = threading.Event()
    find_previous = comparing.previous_version

    def previous_version(session, letter):
        found = find_previous(session, letter)
        if not _first_clerk():
            looked.set()
        return found

    monkeypatch.setattr(comparing, "previous_version", previous_version)
    held = _hold_first_clerk(monkeypatch, imports.saving, "compare", until=looked)
    results = [None, None]

    def work(desk, i):
        results[i] = imports.commit(desk, previews[i])

    assert _at_once(pg_register, work, held) == [None, None]
    assert [r.outcome for r in results] == ["imported", "reimported"]
    with Desk.open(pg_register) as desk:
        asks = sorted(r.text for r in register.list_recommendations(desk))
    assert asks == ["the Met should publish its audit", "the Met should train staff"]


@pytest.fixture
def meeting(pg_register, tmp_path):
    with Desk.open(pg_register) as desk:
        t = transcripts.import_transcript(desk, write_la_txt(tmp_path)).transcript
        refs = [
            register.add_recommendation(desk, text, made=MADE).ref
            for text in ("Publish the plan", "Rebuild trust")
        ]
        segment = transcripts.get_transcript(desk, t.id).segments[0]
    return segment, refs


@pytest.mark.parametrize("second", ["attach", "quote"])
def test_two_clerks_attaching_one_quote_at_once_attach_it_once(
    pg_register, meeting, monkeypatch, second
):
    segment, refs = meeting
    with Desk.open(pg_register) as desk:
        quote = quotes.quote_span(desk, segment.id, 0, 20)
    # the first clerk has found the quote not attached and is about to attach it
    held = _hold_first_clerk(monkeypatch, journal.Pending, "changed", lambda *a, **k: True)

    def work(desk, i):
        if i == 0 or second == "attach":
            quotes.attach_quote(desk, quote.id, refs)
        else:  # the second quotes the very same words for the same recommendations
            quotes.quote_span(desk, segment.id, 0, 20, refs=refs)

    assert _at_once(pg_register, work, held) == [None, None]
    with Desk.open(pg_register) as desk:
        assert [q.id for q in quotes.quotes_for(desk, refs[0])] == [quote.id]
        assert [q.id for q in quotes.quotes_for(desk, refs[1])] == [quote.id]
        kinds = [o.kind.value for o in undo.recent(desk, everyone=True)]
    assert kinds.count("attach-quote") == 1  # the second attached nothing: no row
    assert kinds.count("quote") == 1  # the quote made before


def test_two_clerks_quoting_the_same_words_at_once_make_one_quote(
    pg_register, meeting, monkeypatch
):
    segment, refs = meeting
    # the first clerk has found no quote of those words and is making one
    held = _hold_first_clerk(
        monkeypatch, journal.Pending, "new_id", lambda self, kind: kind == RecordKind.QUOTE
    )
    made = [None, None]

    def work(desk, i):
        made[i] = quotes.quote_span(desk, segment.id, 0, 20, refs=[refs[i]])

    assert _at_once(pg_register, work, held) == [None, None]
    assert made[0].id == made[1].id
    with Desk.open(pg_register) as desk, desk.reading() as session:
        assert session.query(Quote).count() == 1
        assert [q.id for q in quotes.quotes_for(desk, refs[1])] == [made[0].id]


def test_two_clerks_typing_the_same_new_theme_at_once_make_one_theme(pg_register, monkeypatch):
    with Desk.open(pg_register) as desk:
        refs = [register.add_recommendation(desk, f"Ask {i}", made=MADE).ref for i in range(2)]
    # the first clerk has found no theme of that name and is making one
    held = _hold_first_clerk(
        monkeypatch, journal.Pending, "new_id", lambda self, kind: kind == RecordKind.THEME
    )
    spelling = ("Stop and search", "stop and Search")
    failures = _at_once(
        pg_register,
        lambda desk, i: register.edit_recommendation(desk, refs[i], theme=spelling[i]),
        held,
    )
    assert failures == [None, None]
    with Desk.open(pg_register) as desk, desk.reading() as session:
        assert [t.name for t in session.scalars(select(Theme))] == ["Stop and search"]
        themes = {register.get_recommendation(desk, ref).theme for ref in refs}
    assert themes == {"Stop and search"}


def test_a_preview_does_not_wait_for_another_clerks_import_of_that_date(
    pg_register, tmp_path, monkeypatch
):
    first, second = tmp_path / "custody.md", tmp_path / "vetting.md"
    first.write_text(letter_md(MADE, "Custody", ["the Met should publish its audit"]))
    second.write_text(letter_md(MADE, "Vetting", ["the Met should vet its staff again"]))
    # the first clerk is saving a letter of that date (its numbers taken) and waits for the second's
    # preview (at most 2 s): a preview that waited for the import would see the import finished
    previewed = threading.Event()
    held = _hold_first_clerk(monkeypatch, imports.saving, "compare", until=previewed)
    seen = []

    def work(desk, i):
        if i == 0:
            imports.commit(desk, imports.preview(desk, first))
        else:
            preview = imports.preview(desk, second)
            seen.append(held.is_set() and not previewed.is_set())
            previewed.set()
            seen.append([m.ref for m in preview.comparison.matches])

    assert _at_once(pg_register, work, held) == [None, None]
    assert seen == [True, ["PCC-2024-03-14/01"]]  # shown while the import was under way
    with Desk.open(pg_register) as desk:  # saving it takes the next number
        result = imports.commit(desk, imports.preview(desk, second))
    assert result.refs == ("PCC-2024-03-14/02",)


def test_a_session_kept_for_two_transactions_numbers_each_ones_rows_at_its_commit(pg_register):
    import uuid

    from sqlalchemy.orm import Session

    from pcc_desk.model import Operation, OperationKind

    with Desk.open(pg_register) as desk, Session(desk.engine) as session:
        for n in range(2):
            with session.begin():
                for _ in range(n + 1):
                    op = journal.pending(OperationKind.ADD_RECOMMENDATION, {}, "clerk")
                    op.created(RecordKind.THEME, uuid.uuid4())
                    assert journal.write(session, op).seq < 0  # a stand-in until the commit
        numbers = sorted(session.scalars(select(Operation.seq)))
    assert numbers == [1, 2, 3]
