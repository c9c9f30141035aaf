"""Links between asks taken out again (`pcc-desk repeats --unlink`, and the detail screen's
"Remove link"): one journalled, undoable step, on either backend; and the links one ask has, seen
from it."""

from __future__ import annotations

import datetime as dt

import pytest

from pcc_desk.errors import Conflict, NotFound
from pcc_desk.services import register, repeats, undo
from pcc_desk.vocabulary import LinkKind


def _asks(desk, n):
    texts = [
        "Publish the vetting timescales for new recruits",
        "Publish vetting timescales for recruits, once more",
        "Publish the vetting timescales for all new recruits",
        "Report on the horses of the mounted branch",
    ]
    days = [dt.date(2023, 3, 17), dt.date(2024, 6, 12), dt.date(2025, 1, 9), dt.date(2025, 2, 1)]
    return [register.add_recommendation(desk, texts[i], made=days[i]).ref for i in range(n)]


@pytest.mark.backends("sqlite", "postgresql")
@pytest.mark.parametrize("kind", [LinkKind.REPEATS, LinkKind.FOLLOWS_UP, LinkKind.SUPERSEDES])
def test_unlink_takes_the_link_out_and_undo_puts_it_back(desk, kind):
    a, b, c = _asks(desk, 3)
    repeats.confirm(desk, b, a, kind)
    repeats.confirm(desk, c, b)
    assert [x.ref for x in repeats.chain(desk, c)] == [a, b, c]
    left = repeats.unlink(desk, b, a)
    assert [x.ref for x in left] == [b, c]
    assert repeats.linked_refs(desk) == {b, c}
    assert undo.next_undo(desk).summary == f"Unlink {b} from {a}"
    (outcome,) = undo.undo(desk)
    assert outcome.message == f"Undone: {b} is linked to {a} again."
    assert [(x.ref, x.kind) for x in repeats.chain(desk, c)] == [
        (a, None),
        (b, kind),
        (c, LinkKind.REPEATS),
    ]
    undo.redo(desk)
    assert repeats.linked_refs(desk) == {b, c}


def test_an_unlink_is_not_undone_when_the_asks_were_linked_again(desk):
    a, b = _asks(desk, 2)
    repeats.confirm(desk, b, a)
    repeats.unlink(desk, b, a)
    (op,) = [o for o in undo.recent(desk, limit=1)]
    repeats.confirm(desk, b, a, LinkKind.RELATED)
    with pytest.raises(Conflict, match=r"linked to .* again since"):
        undo.undo(desk, [op.id])
    assert [x.kind for x in repeats.links_of(desk, b)] == [LinkKind.RELATED]


def test_unlinking_asks_that_are_not_linked_is_one_line(desk):
    a, b = _asks(desk, 2)
    with pytest.raises(NotFound, match=f"^{b} is not linked to {a}.$"):
        repeats.unlink(desk, b, a)


def test_links_of_an_ask_and_the_suggestions_not_yet_linked(desk):
    a, b, c, d = _asks(desk, 4)
    assert {e.ref for e in repeats.suggested_for(desk, c)} == {a, b}
    repeats.confirm(desk, c, a, LinkKind.FOLLOWS_UP)
    assert [e.ref for e in repeats.suggested_for(desk, c)] == [b]
    assert repeats.suggested_for(desk, d) == []
    (link,) = repeats.links_of(desk, a)
    assert (link.later, link.earlier, link.kind, link.other) == (c, a, LinkKind.FOLLOWS_UP, c)
    (link,) = repeats.links_of(desk, c)
    assert link.other == a


def test_the_command_line_unlinks_and_undoes(cli, tmp_path):
    from pcc_desk.services import Desk

    db = tmp_path / "r.sqlite3"
    desk = Desk.open(db)
    try:
        a, b = _asks(desk, 2)
        repeats.confirm(desk, b, a)
    finally:
        desk.close()
    out = cli("repeats", "--unlink", b, a, db=db, check_rc=0).stdout
    assert out.strip() == f"{b} is no longer linked to {a}."
    again = cli("repeats", "--unlink", b, a, db=db)
    assert again.returncode != 0 and again.stderr.strip().endswith(f"{b} is not linked to {a}.")
    cli("undo", db=db, check_rc=0)
    desk = Desk.open(db)
    try:
        assert [x.ref for x in repeats.chain(desk, b)] == [a, b]
    finally:
        desk.close()
