"""The Committee's details and the wording of letters: kept in the database, edited in Settings.

Window state lives in QSettings; everything a letter needs (Chair, clerk, letterhead template, the fixed
paragraphs) lives here so that a clerk changes it without a developer.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field

from sqlalchemy import select

from pcc_desk.model import Setting
from pcc_desk.services.desk import Desk


@dataclass(frozen=True)
class CommitteeSettings:
    committee: str = "Police and Crime Committee"
    chair: str = "Susan Hall AM"
    chair_role: str = "Chairman of the Police and Crime Committee"
    clerk_name: str = "Janette Roker"
    clerk_email: str = "janette.roker@london.gov.uk"
    default_recipient: str = "Sir Mark Rowley"
    default_recipient_role: str = "Commissioner of Police of the Metropolis"
    default_cc: tuple[str, ...] = (
        "Sophie Linden, Deputy Mayor for Policing and Crime",
        "Diana Luchford, CEO, MOPAC",
    )
    letter_template: str = ""  # path to a clerk's letterhead .docx; empty: the shipped template
    # The fixed paragraphs of a follow-up letter. {placeholders} are filled in by the letter writer.
    wording: dict[str, str] = field(default_factory=dict)


_KEY = "committee"


def get_settings(desk: Desk) -> CommitteeSettings:
    with desk.reading() as session:
        row = session.scalars(select(Setting).where(Setting.key == _KEY)).first()
        stored = json.loads(row.value) if row and row.value else {}
    known = {f.name for f in dataclasses.fields(CommitteeSettings)}
    values = {k: v for k, v in (stored or {}).items() if k in known}
    if "default_cc" in values:
        values["default_cc"] = tuple(values["default_cc"])
    return CommitteeSettings(**values)


def save_settings(desk: Desk, settings: CommitteeSettings) -> CommitteeSettings:
    value = json.dumps(dataclasses.asdict(settings), ensure_ascii=False)
    with desk.transaction(("settings",)) as session:
        row = session.get(Setting, _KEY)
        if row is None:
            session.add(Setting(key=_KEY, value=value))
        else:
            row.value = value
    return settings
