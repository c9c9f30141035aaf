"""The calendar (.ics) of dates to keep, read back with an independent parser (icalendar) and line
by line against RFC 5545: folding at 75 octets without cutting a character, escaping, CRLF."""

from __future__ import annotations

import datetime as dt
import random

import icalendar
import pytest
from support import follow_register

from pcc_desk.errors import InvalidInput
from pcc_desk.model import Position
from pcc_desk.services import calendar_export, register

NOW = dt.datetime(2024, 6, 30, 9, 30, tzinfo=dt.UTC)
# 1-, 2-, 3- and 4-octet characters, and every character TEXT must escape
ALPHABET = "abc XYZ 019 ,;\\:\"'é–’€😀\n"


def _events(path):
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return cal, [c for c in cal.walk() if c.name == "VEVENT"]


def _check_lines(data: bytes) -> None:
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n")[:-1]:
        assert len(line) <= 75, line
        line.decode("utf-8")  # no character cut in two


@pytest.mark.backends("sqlite", "postgresql")
def test_the_dates_to_keep_response_due_target_and_next_update(desk, tmp_path):
    refs = follow_register.build(desk)
    register.revise_target(desk, refs["A1"], dt.date(2024, 3, 31), "Given by letter")
    result = calendar_export.export_calendar(desk, tmp_path / "dates.ics", now=NOW)
    data = result.path.read_bytes()
    _check_lines(data)
    cal, events = _events(result.path)
    assert str(cal["X-WR-CALNAME"]).endswith(": dates")
    # A4, A5 and A7 await a response (A7's due date was put back); A1 was accepted on 1 March
    # 2023 and is in progress: its update is due six months on, and it has a target date
    met = "(Metropolitan Police Service)"
    assert [(str(e["SUMMARY"]), e.decoded("DTSTART")) for e in events] == [
        (f"Response due: {refs['A4']} (MOPAC)", dt.date(2023, 8, 5)),
        (f"Progress update due: {refs['A1']} {met}", dt.date(2023, 9, 1)),
        (f"Target date: {refs['A1']} {met}", dt.date(2024, 3, 31)),
        (f"Response due: {refs['A5']} {met}", dt.date(2024, 7, 20)),
        (f"Response due: {refs['A7']}", dt.date(2024, 12, 31)),
    ]
    for event in events:
        assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(days=1)
        assert event.decoded("DTSTAMP") == NOW
        assert event.walk("VALARM")[0]["TRIGGER"].dt == -dt.timedelta(days=7)
    assert str(events[4]["DESCRIPTION"]) == (
        "Ask A7\n\nMade 1 September 2023.\nDue date revised from 1 November 2023."
    )
    assert str(events[1]["DESCRIPTION"]).endswith("Last update: 1 March 2023 (In progress).")
    # the same ask keeps its UID, so importing a newer file updates the event in Outlook
    uids = {(str(e["SUMMARY"]).split(":")[0], e.decoded("DTSTART")): str(e["UID"]) for e in events}
    register.revise_due(desk, refs["A4"], dt.date(2024, 9, 1), "Extension")
    register.revise_target(desk, refs["A1"], dt.date(2024, 6, 30), "Slipped")
    register.log_response(
        desk,
        refs["A5"],
        received=dt.date(2024, 6, 1),
        position=Position.ACCEPTED,
        text="Accepted.",
    )
    again = calendar_export.export_calendar(desk, tmp_path / "dates.ics", now=NOW)
    newer = {str(e["UID"]): e.decoded("DTSTART") for e in _events(again.path)[1]}
    assert newer[uids[("Response due", dt.date(2023, 8, 5))]] == dt.date(2024, 9, 1)
    assert newer[uids[("Target date", dt.date(2024, 3, 31))]] == dt.date(2024, 6, 30)
    assert uids[("Response due", dt.date(2024, 7, 20))] not in newer  # answered since
    assert len(newer) == 5  # A5's next update (1 December 2024) came instead
    assert dt.date(2024, 12, 1) in newer.values()


@pytest.mark.parametrize("seed", range(6))
def test_any_text_survives_escaping_and_folding(desk, tmp_path, seed):
    rng = random.Random(seed)
    texts = {}
    for n in range(12):
        length = rng.choice([1, 20, 73, 74, 75, 76, 150, 400, 2000])
        text = "".join(rng.choice(ALPHABET) for _ in range(length)).strip() or "x"
        addressee = "".join(
            rng.choice(ALPHABET.replace("\n", "")) for _ in range(rng.randint(0, 90))
        )
        ref = register.add_recommendation(
            desk, text, made=dt.date(2024, 1, 1 + n), addressee=addressee.strip()
        ).ref
        texts[ref] = (text, addressee.strip())
    path = calendar_export.export_calendar(desk, tmp_path / f"v{seed}.ics", now=NOW).path
    _check_lines(path.read_bytes())
    _cal, events = _events(path)
    assert len(events) == len(texts)
    for event in events:
        ref = str(event["SUMMARY"]).split()[2]
        text, addressee = texts[ref]
        assert str(event["DESCRIPTION"]).split("\n\nMade ")[0] == text
        assert str(event["SUMMARY"]) == f"Response due: {ref}" + (
            f" ({addressee})" if addressee else ""
        )


def test_folding_keeps_characters_whole_and_unfolds_to_the_line():
    rng = random.Random(7)
    for _ in range(300):
        line = "".join(rng.choice("aé–😀") for _ in range(rng.randint(0, 200)))
        folded = calendar_export.fold_line("X:" + line)
        parts = folded.split("\r\n")
        assert all(len(p.encode("utf-8")) <= 75 for p in parts)
        assert all(p.startswith(" ") for p in parts[1:])
        assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == "X:" + line
    assert calendar_export.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_calendar_command(cli, db_path, tmp_path, desk):
    follow_register.build(desk)
    out = tmp_path / "pcc dates.ics"
    done = cli("calendar", str(out), db=db_path, check_rc=0)
    assert "4 dates" in done.stdout and out.exists()
    assert len(_events(out)[1]) == 4
    bad = cli("calendar", str(tmp_path / "dates.txt"), db=db_path)
    assert bad.returncode == 2 and "should be named" in bad.stderr
    assert not (tmp_path / "dates.txt").exists()


def test_an_empty_register_gives_a_calendar_without_events(desk, tmp_path):
    path = calendar_export.export_calendar(desk, tmp_path / "none.ics").path
    cal, events = _events(path)
    assert events == [] and cal["VERSION"] == "2.0"
    with pytest.raises(InvalidInput):
        calendar_export.export_calendar(desk, tmp_path / "none.csv")
