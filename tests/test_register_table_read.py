"""The register's table is read with the standard library on a read-only connection: the same rows
as the ORM gives, from any file name, and without writing to the file."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import subprocess
import sys

import pytest
from sqlalchemy import event

from pcc_desk.model import Assessment, Position, Status
from pcc_desk.services import Desk, register

MADE = dt.date(2023, 3, 17)


def _fill(desk):
    a = register.add_recommendation(
        desk,
        "Publish timescales",
        theme="Delivering the mission",
        made=MADE,
        addressee="Sir Mark Rowley",
    ).ref
    register.add_recommendation(desk, "No theme, no response", made=MADE)
    register.add_recommendation(
        desk, "Older ask", theme="Stop and search", made=dt.date(2021, 1, 4)
    )
    register.log_response(
        desk,
        a,
        received=dt.date(2023, 4, 1),
        position=Position.NOT_ACCEPTED,
        assessment=Assessment.NOT_ADDRESSED,
        text="No.",
    )
    register.log_response(
        desk,
        a,
        received=dt.date(2023, 5, 1),
        position=Position.PARTLY_ACCEPTED,
        assessment=Assessment.PARTLY_ADDRESSED,
        text="Partly, after all.",
    )
    return a


def test_table_rows_equal_the_orm_listing_with_the_latest_response(desk):
    ref = _fill(desk)
    rows = register.register_rows(desk)
    assert rows == register.list_recommendations(desk)
    assert [r.text for r in rows] == ["Older ask", "Publish timescales", "No theme, no response"]
    latest = next(r for r in rows if r.ref == ref)
    assert (latest.latest_assessment, latest.latest_position) == (
        Assessment.PARTLY_ADDRESSED,
        Position.PARTLY_ACCEPTED,
    )
    assert (
        rows[2].theme == ""
        and rows[2].latest_assessment is None
        and rows[2].latest_position is None
    )


def test_table_rows_read_a_register_whose_name_looks_like_a_uri(desk, tmp_path):
    _fill(desk)
    expected = register.list_recommendations(desk)
    desk.close()
    odd = tmp_path / "Clerk's 50% copy #2 ?.sqlite3"
    shutil.copyfile(desk.location.path, odd)
    with Desk.open(odd) as other:
        assert register.register_rows(other) == expected


def test_reading_the_table_writes_nothing(desk):
    _fill(desk)
    desk.close()
    path = desk.location.path
    with Desk.open(path) as again:
        before = path.read_bytes()
        register.register_rows(again)
    assert path.read_bytes() == before


def test_the_table_read_in_one_go_agrees_with_the_separate_listings(desk):
    _fill(desk)
    register.add_recommendation(
        desk,
        "A theme of its own",
        theme="Youth violence",
        made=dt.date(2020, 6, 1),
        addressee="Sophie Linden",
    )
    table = register.read_register_table(desk.location.path)
    assert table == register.register_table(desk)
    assert table.rows == register.list_recommendations(desk)
    assert table.themes == register.list_themes(desk)
    assert table.addressees == register.list_addressees(desk)
    assert table.themes[0] == "Youth violence" and "Sophie Linden" in table.addressees


@pytest.mark.backends("sqlite", "postgresql")
def test_a_joint_asks_row_carries_each_addressee_in_one_query_whatever_the_count(desk):
    """The register's row of a joint ask names each addressee with its own status, due date and
    latest position (what the table's sub-rows show), the same by every reading; asks to one
    addressee carry none; and the listing's queries do not grow with the number of joint asks."""
    single = register.add_recommendation(desk, "One addressee", addressee="the Met", made=MADE).ref

    def joint(n: int) -> str:
        return register.add_recommendation(
            desk, f"Joint ask {n}", addressees=["the Met", "MOPAC"], made=MADE
        ).ref

    ref = joint(0)
    register.log_response(
        desk,
        ref,
        received=dt.date(2023, 4, 1),
        position=Position.ACCEPTED,
        text="We accept.",
        addressee="MOPAC",
    )
    rows = {r.ref: r for r in register.register_rows(desk)}
    assert rows[single].addressee_lines == ()
    lines = rows[ref].addressee_lines
    assert [(a.name, a.status, a.position) for a in lines] == [
        ("the Met", Status.AWAITING_RESPONSE, None),
        ("MOPAC", Status.RESPONSE_RECEIVED, Position.ACCEPTED),
    ]
    assert all(a.due == rows[ref].due for a in lines)
    assert rows[ref].status is Status.AWAITING_RESPONSE  # the combined status, on the ask's row
    assert list(rows.values()) == register.list_recommendations(desk)
    assert register.summaries_for(desk, [ref]) == [rows[ref]]
    assert register.register_table(desk).rows == list(rows.values())

    def statements() -> int:
        seen: list[str] = []
        listen = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(desk.engine, "before_cursor_execute", listen)
        try:
            register.list_recommendations(desk)
        finally:
            event.remove(desk.engine, "before_cursor_execute", listen)
        return len(seen)

    few = statements()
    for n in range(1, 6):
        joint(n)
    assert statements() == few


READ_ALONE = """
import json, sys
from pathlib import Path
from pcc_desk.services import register_file
table = register_file.read_register_table(Path(sys.argv[1]))
print(json.dumps({"heavy": sorted(m for m in ("sqlalchemy", "pcc_desk.model") if m in sys.modules),
                  "rows": [repr(r) for r in table.rows], "themes": table.themes,
                  "addressees": table.addressees}))
"""


@pytest.mark.parametrize("asks", [1, 7, 40])
def test_the_table_is_read_ahead_without_sqlalchemy(desk, asks):
    """The desktop reads the table on a thread while SQLAlchemy is still being imported: reading it
    loads neither SQLAlchemy nor the model, and gives what the ORM listing gives."""
    _fill(desk)
    for n in range(asks):
        register.add_recommendation(
            desk,
            f"Generated ask {n}",
            theme=f"Theme {n % 3}",
            made=MADE + dt.timedelta(days=n * 5),
            addressees=["the Met", "MOPAC"][: 1 + n % 2],
        )
    path = desk.location.path
    expected = register.register_table(desk)
    desk.close()
    out = subprocess.run(
        [sys.executable, "-c", READ_ALONE, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    read = json.loads(out.stdout)
    assert read["heavy"] == []
    assert read["rows"] == [repr(r) for r in expected.rows]
    assert len(read["rows"]) == asks + 3
    assert (read["themes"], read["addressees"]) == (expected.themes, expected.addressees)


@pytest.mark.parametrize("seed", [4, 11, 23])
def test_each_asks_latest_response_is_the_orms_whatever_the_order_they_were_logged_in(desk, seed):
    """Responses logged out of order, several on one day (the one recorded last wins), to joint
    asks' addressees too: the table read from the file names the latest as the ORM does."""
    rng = random.Random(seed)
    refs = [
        register.add_recommendation(desk, f"Ask {i}", made=MADE, addressee="The Met").ref
        for i in range(rng.randrange(8, 20))
    ]
    joint = set(rng.sample(refs, 2))
    for ref in joint:
        register.add_addressee(desk, ref, "MOPAC")
    days = [dt.date(2023, 4, 1) + dt.timedelta(days=rng.randrange(5)) for _ in range(40)]
    for day in days:
        ref = rng.choice(refs)
        register.log_response(
            desk,
            ref,
            addressee=rng.choice(["The Met", "MOPAC"]) if ref in joint else None,
            received=day,
            position=rng.choice(list(Position)),
            assessment=rng.choice(list(Assessment)),
            text="A reply.",
        )
    rows = register.read_register_table(desk.location.path).rows
    assert rows == register.list_recommendations(desk)
    assert sum(r.latest_assessment is not None for r in rows) == len(
        {r.ref for r in rows if r.latest_assessment is not None}
    )
    assert any(r.latest_assessment is not None for r in rows)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_themes_read_ahead_are_in_the_orms_order_with_unused_and_repeated_names(desk, seed):
    """The themes read ahead (ordered from the asks already read) are list_themes' own, on generated
    registers: asks on many dates and places in their letters, themes without an ask (first, by
    name) and a name two themes share (as older registers and merged copies can hold)."""
    import sqlite3
    import uuid

    rng = random.Random(seed)
    names = ["Vetting", "Stop and search", "Custody", "Youth violence", "Recruitment", "Body-worn"]
    for n in range(40):
        register.add_recommendation(
            desk,
            f"Ask {n}",
            theme=rng.choice([*names, ""]),
            made=MADE - dt.timedelta(days=rng.randrange(0, 900, 7)),
        )
    path = desk.location.path
    conn = sqlite3.connect(path)
    with conn:
        extra = rng.choice(names)  # a name in use, again, on a theme without asks
        for name, ordinal in (("Zero asks", 4), ("Also unused", 0), (extra, 9)):
            conn.execute(
                "INSERT INTO themes (id, name, ordinal) VALUES (?, ?, ?)",
                (uuid.uuid4().hex, name, ordinal),
            )
        twin = uuid.uuid4().hex  # a second "Vetting", used by one ask
        conn.execute("INSERT INTO themes (id, name, ordinal) VALUES (?, 'Vetting', 2)", (twin,))
        conn.execute(
            "UPDATE recommendations SET theme_id = ?, ordinal = ? WHERE text = 'Ask 7'",
            (twin, rng.randrange(5)),
        )
        conn.execute("UPDATE recommendations SET ordinal = abs(random() % 20)")
    conn.close()
    table = register.read_register_table(path)
    assert table.themes == register.list_themes(desk)
    assert table.themes.count("Vetting") >= 2
    assert table.themes[:3] == sorted(["Also unused", "Zero asks", extra])
    assert table.rows == register.list_recommendations(desk)


def test_ids_read_ahead_are_the_uuids_uuid_makes_and_bad_ones_are_refused_alike():
    import uuid

    from pcc_desk.services.register_file import _uuid_of_hex

    for value in [uuid.uuid4() for _ in range(200)] + [uuid.UUID(int=0), uuid.UUID(int=2**128 - 1)]:
        for text in (value.hex, value.hex.upper(), str(value)):
            made = _uuid_of_hex(text)
            assert made == value and hash(made) == hash(value) and str(made) == str(value)
            assert made.version == value.version and made.is_safe == value.is_safe
    for odd in (
        "g" * 32,
        "1_" * 16,
        " " + "a" * 31,
        "+" + "a" * 31,
        "\u0661" * 32,
        "abc",
        "é" * 32,
    ):
        try:
            expected: object = uuid.UUID(odd)
        except ValueError as error:
            expected = type(error)
        try:
            got: object = _uuid_of_hex(odd)
        except ValueError as error:
            got = type(error)
        assert got == expected, odd
