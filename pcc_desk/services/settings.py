"""The Committee's details and the wording of letters: kept in the database, edited in Settings.

Window state lives in QSettings; everything a letter needs (Chair, clerk, letterhead template, the fixed
paragraphs) lives here so that a clerk changes it without a developer. A register whose details were
never saved reads those of ``resources/committee-defaults.json`` (data shipped with the app: the names
of real people are not code); the code's own defaults are neutral placeholders.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from pcc_desk import paths
from pcc_desk.errors import InvalidInput
from pcc_desk.letters import wording
from pcc_desk.model import OperationKind, Setting
from pcc_desk.model import RecordKind as R
from pcc_desk.services import journal, versions
from pcc_desk.services.desk import Desk
from pcc_desk.vocabulary import ChangeKind

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CommitteeSettings:
    """The Committee's details. The defaults here are placeholders that name nobody; a new register
    starts from :func:`committee_defaults` (the shipped data) instead."""

    committee: str = "The Committee"
    chair: str = ""
    chair_role: str = "Chair of the Committee"
    clerk_name: str = ""
    clerk_email: str = ""
    default_recipient: str = ""
    default_recipient_role: str = ""
    default_cc: tuple[str, ...] = ()
    letter_template: str = ""  # path to a clerk's letterhead .docx; empty: the shipped template
    # how often an accepted ask not yet done should be reported on (months after the last update)
    update_cadence_months: int = 6
    # The fixed paragraphs of a follow-up letter. {placeholders} are filled in by the letter writer.
    wording: dict[str, str] = field(default_factory=dict)
    # the stored row's version (0: never saved); not part of the details, never stored in them
    version: int = field(default=0, compare=False)


_KEY = "committee"
KEY = _KEY  # the Committee's details' setting (the sync merges them detail by detail)


def _settings_from(values: dict[str, Any], base: CommitteeSettings) -> CommitteeSettings:
    """``base`` with the known fields of ``values`` (stored JSON) over it; others are ignored."""
    known = {f.name for f in dataclasses.fields(CommitteeSettings)} - {"version"}
    chosen = {k: v for k, v in (values or {}).items() if k in known}
    if "default_cc" in chosen:
        chosen["default_cc"] = tuple(str(c) for c in chosen["default_cc"] or ())
    if "wording" in chosen:
        chosen["wording"] = dict(chosen["wording"] or {})
    if "update_cadence_months" in chosen:
        try:
            chosen["update_cadence_months"] = int(chosen["update_cadence_months"])
        except (TypeError, ValueError):
            chosen["update_cadence_months"] = base.update_cadence_months
    return dataclasses.replace(base, **chosen)


@cache
def committee_defaults() -> CommitteeSettings:
    """The details a register starts with: ``resources/committee-defaults.json`` over the neutral
    placeholders. A missing or unreadable file leaves the placeholders (and says so in the log)."""
    path = paths.committee_defaults()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        return _settings_from(data, CommitteeSettings())
    except (OSError, ValueError, TypeError) as exc:
        log.warning("The Committee's default details could not be read (%s)", type(exc).__name__)
        return CommitteeSettings()


def get_settings(desk: Desk) -> CommitteeSettings:
    """The Committee's details as saved on this register; never saved: :func:`committee_defaults`."""
    with desk.reading() as session:
        return _read(session)


def _read(session: Session) -> CommitteeSettings:
    row = session.get(Setting, _KEY)
    stored = row.value if row is not None else None
    settings = _settings_from(stored if isinstance(stored, dict) else {}, committee_defaults())
    return dataclasses.replace(settings, version=row.version if row is not None else 0)


def _stored_form(settings: CommitteeSettings) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(json.dumps(dataclasses.asdict(settings), ensure_ascii=False))
    value.pop("version", None)
    return value


def save_settings(
    desk: Desk, settings: CommitteeSettings, *, expected_version: int | None = None
) -> CommitteeSettings:
    """Store the Committee's details. The wording is checked first (the letter writer's own rule: known
    keys, placeholders it can fill) and only the keys that differ from the default are kept; an invalid
    wording raises InvalidInput and nothing is written.

    ``expected_version``: the version of the details the clerk started from (``settings.version`` as
    read); when someone saved them since, :class:`VersionConflict` names who and when, with their
    value and yours for each detail that differs, and nothing is saved."""
    settings = dataclasses.replace(settings, wording=_only_overrides(settings.wording))
    value = _stored_form(settings)
    with desk.transaction((ChangeKind.SETTINGS,)) as session:
        row = session.get(Setting, _KEY)
        actual = row.version if row is not None else 0
        if expected_version is not None and int(expected_version) != actual:
            theirs = _stored_form(_read(session))
            differ = [k for k in value if value[k] != theirs.get(k)]
            raise versions.conflict(
                session,
                kind=R.SETTING,
                ident=setting_id(_KEY),
                ref="The Committee's details",
                seen=int(expected_version),
                now=actual,
                yours={k: value[k] for k in differ},
                theirs={k: theirs.get(k) for k in differ},
                labels=SETTING_LABELS,
                shown=_shown_detail,
                plural=True,
            )
        op = journal.pending(OperationKind.SAVE_SETTINGS, {"key": _KEY, "value": value}, desk.user)
        apply_save(session, op, op.payload)
        journal.write(session, op)
        saved = session.get(Setting, _KEY)
        version = saved.version if saved is not None else 0
    return dataclasses.replace(settings, version=version)


def setting_id(key: str) -> uuid.UUID:
    """The id the journal names a setting by (settings are keyed by name)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"pcc-desk:setting:{key}")


SETTING_LABELS = {
    "committee": "Committee",
    "chair": "Chair",
    "chair_role": "Chair's role",
    "clerk_name": "Clerk's name",
    "clerk_email": "Clerk's email",
    "default_recipient": "Letters go to",
    "default_recipient_role": "Their role",
    "default_cc": "CC",
    "letter_template": "Letterhead template",
    "update_cadence_months": "Progress updates every (months)",
    "wording": "Letter wording",
}


def _shown_detail(name: str, value: Any) -> str:
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "\n".join(f"{k}: {v}" for k, v in sorted(value.items())) or "(as shipped)"
    return "" if value is None else str(value)


def stored_value(session: Session, key: str) -> Any:
    """A setting's value as stored (a JSON value), or None when it was never set."""
    row = session.get(Setting, key)
    return row.value if row is not None else None


def apply_save(session: Session, op: journal.Pending, p: dict[str, Any]) -> None:
    """Store ``p["value"]`` under ``p["key"]`` (None: take the setting out, back to the defaults)."""
    key, value = p["key"], p["value"]
    op.replaced.setdefault("value", stored_value(session, key))
    row = session.get(Setting, key)
    seen = row.version if row is not None else 0
    if value is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
    session.flush()
    op.changed(R.SETTING, setting_id(key), version=seen)
    op.summary = "Change the Committee's details" if key == _KEY else f"Change the setting {key}"


# --- editing from the command line ------------------------------------------------------------------

MAX_CADENCE_MONTHS = 36
SETTING_FIELDS = tuple(
    f.name for f in dataclasses.fields(CommitteeSettings) if f.name not in ("wording", "version")
)


def settings_problems(settings: CommitteeSettings) -> list[str]:
    """What stops these details from making a letter, one sentence each (empty: all is well)."""
    found = []
    if not settings.committee.strip():
        found.append("The Committee needs a name.")
    if not settings.chair.strip():
        found.append("Name the Chair (letters are signed by the Chair).")
    email = settings.clerk_email.strip()
    if email and ("@" not in email or " " in email):
        found.append("The clerk's email does not look like an email address.")
    template = settings.letter_template.strip()
    if template and not (
        Path(template).is_file() and Path(template).suffix.lower() in (".docx", ".dotx")
    ):
        found.append("The letterhead template must be an existing .docx (or .dotx) file.")
    if not 1 <= settings.update_cadence_months <= MAX_CADENCE_MONTHS:
        found.append(
            f"Progress updates are asked for every 1 to {MAX_CADENCE_MONTHS} months "
            f"(update_cadence_months), not {settings.update_cadence_months}."
        )
    return found


def update_settings(
    desk: Desk, changes: dict[str, str], *, expected_version: int | None = None
) -> CommitteeSettings:
    """Change some of the Committee's details, given as text (``default_cc``: entries separated by
    ``;``, empty for none). Unknown fields or details a letter cannot use raise InvalidInput; then
    nothing is written."""
    values: dict[str, Any] = {}
    for name, text in changes.items():
        if name == "wording":
            raise InvalidInput(
                'The letter wording is changed one entry at a time: pcc-desk wording KEY "TEXT".'
            )
        if name not in SETTING_FIELDS:
            raise InvalidInput(
                f"'{name}' is not one of the Committee's details; known: {', '.join(SETTING_FIELDS)}."
            )
        text = str(text).strip()
        if name == "update_cadence_months":
            if not text.isdigit():
                raise InvalidInput(f"update_cadence_months is a number of months, not '{text}'.")
            values[name] = int(text)
            continue
        values[name] = (
            tuple(c.strip() for c in text.split(";") if c.strip()) if name == "default_cc" else text
        )
    updated = dataclasses.replace(get_settings(desk), **values)
    problems = settings_problems(updated)
    if problems:
        raise InvalidInput(" ".join(problems) + " Nothing was changed.")
    return save_settings(desk, updated, expected_version=expected_version)


# --- the wording of letters, for an editor ---------------------------------------------------------

# What a clerk calls each fixed paragraph (keys not listed here show as their key, made readable).
WORDING_LABELS = {
    "sent_by": "“Sent by email” note",
    "cc": "CC line",
    "subject_one": "Subject (one original letter)",
    "subject_many": "Subject (several original letters)",
    "subject_none": "Subject (no original letter)",
    "original_letter": "Mention of an original letter",
    "original_undated": "Mention of asks with no letter",
    "opening": "Opening paragraph",
    "recap": "Recap of the original ask",
    "first_asked": "When the ask repeats an earlier one",
    "response": "What the response said",
    "response_from": "What the response said (sender named)",
    "no_response": "No response received",
    "target": "The target date given",
    "quote_intro_you": "Before a quote (the recipient spoke)",
    "quote_intro_speaker": "Before a quote (another speaker)",
    "quote_intro": "Before a quote (speaker not known)",
    "quote_intro_other_you": "Before another committee's quote (the recipient spoke)",
    "quote_intro_other_speaker": "Before another committee's quote (another speaker)",
    "quote_intro_other": "Before another committee's quote (speaker not known)",
    "quote_citation": "Footnote citing a transcript quote",
    "ask_no_response": "Ask when no response has come",
    "ask_follow_up": "Ask when follow-up is needed",
    "ask_update": "Ask for an update",
    "other_theme": "Heading for asks without a theme",
    "closing": "Closing paragraph",
    "contact": "Clerk's contact line",
    "sign_off": "Sign-off",
}

_MEANINGS = {
    "committee": "the Committee's name (Settings)",
    "clerk_name": "the clerk's name (Settings)",
    "clerk_email": "the clerk's email (Settings)",
    "recipient": "who the letter is to",
    "date": "the date of this letter",
    "reply_by": "the date a reply is asked for",
    "cc": "the people copied in, separated by semicolons",
    "original_date": "the date of the original letter",
    "original_subject": "the subject of the original letter",
    "original_dates": "the dates of the original letters",
    "originals": "the original letter(s), each worded as “Mention of an original letter”",
    "subject": "the subject of the original letter",
    "made": "the date of the original letter",
    "first": "the date of the letter in which the Committee first made the recommendation",
    "ask": "what the Committee asked, as in the original letter",
    "received": "the date the response was received",
    "response": "what the response said (long ones are cut at a sentence)",
    "from_whom": "who the response came from",
    "due": "the date the response was due",
    "target": "the date given for completing the work (its latest revision)",
    "meeting": "the date of the meeting",
    "speaker": "who spoke",
    "meeting_committee": "the other committee whose meeting it was (e.g. Home Affairs Committee)",
}
_MEANING_FOR = {
    ("original_letter", "date"): "the date of the original letter",
    ("original_undated", "date"): "the date(s) the recommendations were made",
    ("quote_citation", "committee"): "the committee whose meeting it was",
}


@dataclass(frozen=True)
class Placeholder:
    name: str  # written {name} in the text
    meaning: str


@dataclass(frozen=True)
class WordingEntry:
    """One fixed paragraph of a follow-up letter, as an editor shows it."""

    key: str
    label: str
    text: str  # what letters use now: the Committee's text if overridden, else the default
    default: str
    overridden: bool
    placeholders: tuple[Placeholder, ...]


def _only_overrides(overrides: dict[str, str]) -> dict[str, str]:
    words = wording
    words.wording(overrides)  # the writer's own rule: unknown keys and placeholders are refused
    defaults = words.wording()
    return {
        k: str(v) for k, v in overrides.items() if not k.startswith("_") and str(v) != defaults[k]
    }


def check_wording(key: str, text: str) -> None:
    """Raise InvalidInput (one line, naming the bad placeholder) when letters could not use ``text``."""
    wording.check_wording(key, text)


def wording_entry(key: str, overrides: dict[str, str] | None = None) -> WordingEntry:
    words = wording
    placeholders = words.placeholders_for(key)
    default = words.wording()[key]
    override = (overrides or {}).get(key)
    return WordingEntry(
        key=key,
        label=WORDING_LABELS.get(key, key.replace("_", " ").capitalize()),
        text=default if override is None else str(override),
        default=default,
        overridden=override is not None and str(override) != default,
        placeholders=tuple(
            Placeholder(p, _MEANING_FOR.get((key, p), _MEANINGS.get(p, ""))) for p in placeholders
        ),
    )


def wording_entries(desk: Desk) -> tuple[WordingEntry, ...]:
    """Every fixed paragraph of a letter, in the order of the wording file, with the Committee's text."""
    overrides = get_settings(desk).wording
    return tuple(wording_entry(key, overrides) for key in wording.wording())


def set_wording(desk: Desk, key: str, text: str) -> WordingEntry:
    """The Committee's own text for one paragraph (checked first; text equal to the default removes the
    override)."""
    check_wording(key, text)
    current = get_settings(desk)
    saved = save_settings(
        desk, dataclasses.replace(current, wording={**current.wording, key: text})
    )
    return wording_entry(key, saved.wording)


def restore_wording(desk: Desk, key: str) -> WordingEntry:
    """Back to the default text for one paragraph."""
    wording.placeholders_for(key)  # refuses an unknown key
    current = get_settings(desk)
    saved = save_settings(
        desk,
        dataclasses.replace(
            current, wording={k: v for k, v in current.wording.items() if k != key}
        ),
    )
    return wording_entry(key, saved.wording)
