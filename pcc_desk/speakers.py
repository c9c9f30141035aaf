"""Speaker labels as transcripts write them, and the one person behind several ways of writing them.

``Sir Mark Rowley QPM (Commissioner of Police of the Metropolis)``, ``Sir Mark Rowley`` and, once the
transcript has said who the Commissioner is, ``The Commissioner`` all become the speaker
``Sir Mark Rowley`` with the role ``Commissioner of Police of the Metropolis``. Honours and post-nominals
(QPM, AM, OBE, MP...) are dropped from the name; a role in brackets is kept as the role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Post-nominal letters: honours, decorations, and the Assembly Member / MP designations.
POST_NOMINALS = {
    "AM",
    "MP",
    "MEP",
    "QFSM",
    "QGM",
    "KFSM",
    "OSJ",
    "MSP",
    "MS",
    "QPM",
    "KPM",
    "OBE",
    "MBE",
    "CBE",
    "KBE",
    "DBE",
    "GBE",
    "KCB",
    "CB",
    "KC",
    "QC",
    "JP",
    "DL",
    "MVO",
    "LVO",
    "CVO",
    "KCVO",
    "RVM",
    "GM",
    "BEM",
    "DSO",
    "MC",
    "TD",
    "FRS",
    "PHD",
    "FRSA",
    "KSTJ",
    "OSTJ",
    "CSTJ",
    "MA",
    "BA",
    "MSC",
    "LLB",
    "LLM",
    "CMG",
    "KCMG",
    "VR",
    "DSC",
}
# Forms of address that do not distinguish people (kept in the displayed name, ignored when matching).
PREFIXES = {
    "sir",
    "dame",
    "dr",
    "dr.",
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "miss",
    "mx",
    "professor",
    "prof",
    "prof.",
    "lord",
    "lady",
    "baroness",
    "baron",
    "the",
    "rt",
    "hon",
    "right",
    "honourable",
    "rev",
    "reverend",
    "cllr",
    "councillor",
    "commander",
    "superintendent",
    "inspector",
    "sergeant",
    "constable",
    "detective",
    "chief",
    "assistant",
    "deputy",
}
ROLE_WORDS_ONLY = {"chair", "chairman", "chairwoman", "vice", "deputy", "the", "of", "and", "for"}
CHAIR_ROLES = {"chair", "chairman", "chairwoman", "chairperson"}

_PARENS = re.compile(r"\(([^()]*)\)")
_QUESTION = re.compile(r"^Q\s?(\d{1,5})(?:[-–]\d{1,5})?\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Label:
    """One speaker label, split: the name as a person (no honours), the bracketed role, a question no."""

    written: str
    name: str
    role: str
    question: int | None = None

    @property
    def is_role_only(self) -> bool:
        """ "The Commissioner", "Chair": a role written where a name would be."""
        return not self.role and role_only_key(self.name) is not None


def split_label(written: str) -> Label:
    text = " ".join(written.replace("\u00a0", " ").split()).strip().rstrip(":").strip()
    question = None
    match = _QUESTION.match(text)
    if match:
        question = int(match.group(1))
        text = text[match.end() :]
    roles = _PARENS.findall(text)
    name = _PARENS.sub(" ", text)
    words = [
        w for w in name.replace(",", " ").split() if w.upper().rstrip(".") not in POST_NOMINALS
    ]
    role = "; ".join(r.strip() for r in roles if r.strip())
    return Label(
        written=written.strip().rstrip(":").strip(),
        name=" ".join(words),
        role=role,
        question=question,
    )


def person_key(name: str) -> str:
    """The words that tell people apart: ``Sir Mark Rowley`` and ``Mark Rowley`` share ``mark rowley``."""
    words = [w.lower().strip(".,") for w in name.split()]
    core = [w for w in words if w not in PREFIXES]
    return " ".join(core or words)


def surname(name: str) -> str:
    key = person_key(name).split()
    return key[-1] if key else ""


def role_only_key(name: str) -> str | None:
    """``the commissioner`` → ``commissioner``; None when the words look like a person's name."""
    words = [w.lower().strip(".,") for w in name.split()]
    if not words:
        return None
    if words[0] == "the":
        return " ".join(words[1:]) or None
    if len(words) <= 2 and all(w in ROLE_WORDS_ONLY for w in words):
        return " ".join(words)
    return None


@dataclass
class _Person:
    name: str
    role: str


class SpeakerResolver:
    """Resolve every label of one transcript to a person, using what the transcript itself says."""

    def __init__(self, labels: list[str], header_people: list[tuple[str, str]] = ()):
        self._people: dict[str, _Person] = {}
        for name, role in header_people:
            self._remember(name, role)
        self._labels = [split_label(w) for w in labels]
        for label in self._labels:
            if label.name and not label.is_role_only:
                self._remember(label.name, label.role or self._default_role(label.written))

    @staticmethod
    def _default_role(written: str) -> str:
        words = {w.upper().strip(".,()") for w in written.split()}
        if "AM" in words:
            return "Assembly Member"
        if "MP" in words:
            return "Member of Parliament"
        return ""

    def _remember(self, name: str, role: str) -> None:
        key = person_key(name)
        if not key:
            return
        known = self._people.get(key)
        if known is None:
            # "Mr Rowley" for someone known as "Sir Mark Rowley": the same person when the surname is unique
            same_surname = [p for k, p in self._people.items() if k.split()[-1] == key.split()[-1]]
            if len(key.split()) == 1 and len(same_surname) == 1:
                known = same_surname[0]
                if role and not known.role:
                    known.role = role
                return
            self._people[key] = _Person(name=name, role=role)
            return
        # keep the fullest form of the name ("Sir Mark Rowley" over "Mark Rowley") and the first role
        if len(name.split()) > len(known.name.split()):
            known.name = name
        if role and not known.role:
            known.role = role

    def _by_role(self, role_key: str) -> _Person | None:
        """The one person whose role holds these words ("commissioner", "deputy chair"), if exactly one."""
        wanted = _role_set(role_key.split())
        if not wanted:
            return None
        candidates = []
        for person in self._people.values():
            held = _role_set(_role_words(person.role))
            if wanted <= held and not ((held & _RANK_WORDS) - wanted):
                candidates.append(person)
        return candidates[0] if len(candidates) == 1 else None

    def resolve(self, written: str) -> tuple[str, str]:
        """(normalised speaker name, role) for a label as written."""
        label = split_label(written)
        if label.is_role_only:
            role_key = role_only_key(label.name) or ""
            person = self._by_role(role_key)
            if person is not None:
                return person.name, person.role
            shown = label.name[4:] if label.name.lower().startswith("the ") else label.name
            return shown, shown
        key = person_key(label.name)
        person = self._people.get(key)
        if person is None and len(key.split()) == 1:
            matches = [p for k, p in self._people.items() if k.split()[-1] == key]
            person = matches[0] if len(matches) == 1 else None
        if person is None:
            return label.name, label.role
        return person.name, label.role or person.role


def _role_words(role: str) -> list[str]:
    return [w.lower().strip(".,;") for w in role.split()]


_RANK_WORDS = {"deputy", "vice", "assistant", "acting", "temporary"}


def _role_set(words: list[str]) -> set[str]:
    """Role words for matching: "Chairman", "Chairwoman" and "Chair" are the same role."""
    return {"chair" if w in CHAIR_ROLES else w for w in words} - {"the", "of", "and", "for"}
