"""Registers, letters and command-line runs for the undo, redo and journal tests, generated here."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from support.pg_support import PG_USER

WORDS = [
    "publish",
    "timescales",
    "vetting",
    "backlog",
    "neighbourhood",
    "wards",
    "officers",
    "stop",
    "search",
    "data",
    "trust",
    "Lambeth",
    "Croydon",
    "mental",
    "health",
    "demand",
    "appeals",
    "misconduct",
    "Londoners’",
    "confidence",
    "“new",
    "era”",
    "report",
    "quarterly",
    "monthly",
    "partnership",
    "MOPAC",
    "Commissioner",
    "Safer",
    "Boards",
    "café",
    "résumé",
]
THEMES = (
    "Delivering the mission",
    "Stop and search – Lambeth",
    "Policing’s future",
    "Vetting and standards",
    "Neighbourhood policing",
)


@dataclass(frozen=True)
class Variant:
    """One generated recommendation's values."""

    text: str
    theme: str
    addressee: str
    made: dt.date
    notes: str


def variants(seed: int, count: int = 3) -> list[Variant]:
    rng = random.Random(seed)
    out = []
    for n in range(count):
        words = rng.sample(WORDS, rng.randint(4, 14))
        out.append(
            Variant(
                text=" ".join(words).capitalize() + f" ({seed}.{n})",
                theme=rng.choice(THEMES),
                addressee=rng.choice(("Sir Mark Rowley", "Sophie Linden", "Dame Lynne Owens")),
                made=dt.date(2021, 1, 4) + dt.timedelta(days=rng.randint(0, 900)),
                notes=" ".join(rng.sample(WORDS, 3)),
            )
        )
    return out


def write_letter(folder: Path, name: str, date: dt.date, themes) -> Path:
    """A Committee letter as text: every ask in bold under its theme. ``themes``: [(theme, [asks])]."""
    lines = [
        "Susan Hall AM",
        "Chairman of the Police and Crime Committee",
        "",
        "Sir Mark Rowley",
        "Commissioner of Police of the Metropolis",
        "",
        f"{date.day} {date:%B %Y}",
        "",
        "Dear Sir Mark,",
        "",
        f"Police and Crime Committee letter on {Path(name).stem}",
        "",
        "I am writing on behalf of the Committee.",
        "",
    ]
    for theme, asks in themes:
        lines += [theme, ""]
        for ask in asks:
            lines += [f"The Committee has considered this. It believes **{ask}** soon.", ""]
    lines += ["Yours sincerely,", "", "Susan Hall AM", "Chairman of the Police and Crime Committee"]
    path = Path(folder) / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def generated_letter(folder: Path, seed: int) -> tuple[Path, int]:
    """A letter of 1-6 asks under 1-3 generated themes; returns its path and its number of asks."""
    rng = random.Random(seed)
    themes = []
    for theme in rng.sample(THEMES, rng.randint(1, 3)):
        asks = [
            "the Met should " + " ".join(rng.sample(WORDS, rng.randint(3, 9)))
            for _ in range(rng.randint(1, 2))
        ]
        themes.append((theme, asks))
    date = dt.date(2022, 1, 3) + dt.timedelta(days=rng.randint(0, 700))
    path = write_letter(folder, f"letter-{seed}.md", date, themes)
    return path, sum(len(asks) for _, asks in themes)


def cli(capsys, db: Path, *args: str) -> tuple[int, str, str]:
    """``pcc-desk --db DB ARGS...`` in this process: exit code, stdout, stderr."""
    from pcc_desk.cli import main

    capsys.readouterr()
    code = main(["--db", str(db), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _is_server(db) -> bool:
    return str(db).startswith(("postgresql", "postgres:"))


def _pg_connect(db):
    """A psycopg connection to the team register at the SQLAlchemy URL ``db`` (the tests' server)."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(str(db))
    return psycopg.connect(
        host=url.query.get("host") or url.host,
        port=int(url.query.get("port") or url.port or 5432),
        user=PG_USER,
        dbname=url.database,
        autocommit=True,
    )


def _tables(db) -> tuple[object, list[str]]:
    """An open connection (sqlite3 or psycopg) and the register's own tables."""
    if _is_server(db):
        conn = _pg_connect(db)
        names = [
            n
            for (n,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return conn, names
    conn = sqlite3.connect(db)
    names = [
        n
        for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not n.startswith("sqlite_")
    ]
    return conn, names


def table_rows(db) -> dict[str, int]:
    """How many rows each table holds (the search index's own tables left out), in a register file
    or a team register (a PostgreSQL URL)."""
    conn, names = _tables(db)
    try:
        return {
            n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]
            for n in names
            if not n.startswith(("search_", "fts_"))
        }
    finally:
        conn.close()


def dump(db) -> dict[str, list[tuple]]:
    """Every row of every table, the journal included (what a refused undo leaves as it was)."""
    conn, names = _tables(db)
    try:
        return {n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}
    finally:
        conn.close()
