"""Speaker labels as transcripts write them, and the one person behind several ways of writing them.

``Sir Mark Rowley QPM (Commissioner of Police of the Metropolis)``, ``Sir Mark Rowley`` and, once the
transcript has said who the Commissioner is, ``The Commissioner`` all become the speaker
``Sir Mark Rowley`` with the role ``Commissioner of Police of the Metropolis``. Honours and post-nominals
(QPM, AM, OBE, MP...) are dropped from the name; a role in brackets is kept as the role.

A word that is both a form of address and post-nominal letters is read by its place: ``Ms Carey`` and
``MS CAREY`` are Ms Carey, ``Mark Drakeford MS`` is a Member of the Senedd. Brackets that only say how
someone speaks (``(continued)``, ``(sworn)``, ``(via video link)``) are not a role. Hansard writes the
role first and the person in brackets (``The Prime Minister (Rishi Sunak)``, ``Sir Keir Starmer
(Holborn and St Pancras) (Lab)``): both are read.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
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
    "MLA",
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
    "madam",
    "canon",
    "rabbi",
    "imam",
    "viscount",
    "viscountess",
    "earl",
    "countess",
    "marquess",
}
ROLE_WORDS_ONLY = {"chair", "chairman", "chairwoman", "vice", "deputy", "the", "of", "and", "for"}
CHAIR_ROLES = {"chair", "chairman", "chairwoman", "chairperson"}

_PARENS = re.compile(r"\(([^()]*)\)")
_QUESTION = re.compile(r"^Q\s?(\d{1,5})(?:[-–]\d{1,5})?\s+", re.IGNORECASE)
# Hansard's order-paper numbers ("1.", "T3.") and question ids ("[901234]") before a Member's name
HANSARD_NUMBER = re.compile(r"^(?:T?\d{1,3}\.\s+)?(?:\[\d{3,9}\]\s+)?")
# brackets that say how or when someone speaks, not who they are
_NOT_A_ROLE = re.compile(
    r"^(?:further\s+|re-?)?(?:continued|cont'?d|contd|sworn|affirmed|recalled|resumed|called)\.?$"
    r"|video|remote|by phone|by telephone|interpret|translat|inaudible|off[- ]?mic|in welsh|in gaelic"
    r"|^(?:\d{1,2}[.:]\d{2}\s*(?:am|pm)?|in english|aside)$",
    re.IGNORECASE,
)
# party designations Hansard puts in the last bracket
PARTIES = {
    "lab",
    "con",
    "ld",
    "lib dem",
    "snp",
    "dup",
    "pc",
    "green",
    "gp",
    "ind",
    "alba",
    "sdlp",
    "uup",
    "apni",
    "alliance",
    "sf",
    "tuv",
    "reform",
    "ruk",
    "reform uk",
    "lab/co-op",
    "co-op",
    "spk",
    "cb",
    "bp",
    "non-afl",
    "ind con",
    "ind lab",
    "ukip",
}
# words of an office written where a name would be ("The Prime Minister", "Madam Deputy Speaker")
_OFFICE_WORDS = {
    "speaker",
    "minister",
    "secretary",
    "chancellor",
    "leader",
    "attorney",
    "solicitor",
    "general",
    "paymaster",
    "whip",
    "chair",
    "chairman",
    "chairwoman",
    "chairperson",
    "commissioner",
    "mayor",
    "president",
    "convener",
    "convenor",
    "presiding",
    "officer",
    "advocate",
    "lord",
    "privy",
    "seal",
    "treasurer",
    "parliamentary",
    "under-secretary",
    "financial",
    "chief",
    "first",
    "prime",
    "deputy",
    "assistant",
    "shadow",
    "state",
}
_ROLE_JOINERS = {"the", "of", "for", "and", "to", "in", "on", "at"}


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


@functools.lru_cache(maxsize=4096)  # a transcript writes the same few labels thousands of times
def split_label(written: str) -> Label:
    text = " ".join(written.replace("\u00a0", " ").split()).strip().rstrip(":").strip()
    question = None
    match = _QUESTION.match(text)
    if match:
        question = int(match.group(1))
        text = text[match.end() :]
    elif _PARENS.search(text):
        text = HANSARD_NUMBER.sub("", text, count=1)
    roles = [r.strip() for r in _PARENS.findall(text) if r.strip() and not is_not_a_role(r)]
    outside = " ".join(_PARENS.sub(" ", text).split()).strip(" ,")
    name = drop_post_nominals(outside)
    party = roles.pop() if roles and roles[-1].lower() in PARTIES else ""
    if roles and is_office(name) and looks_like_a_name(roles[0]):
        # Hansard: "The Prime Minister (Rishi Sunak)": the office first, the person in brackets
        office = re.sub(r"^(?:the|mr|madam)\s+", "", outside, flags=re.IGNORECASE)
        name, roles = drop_post_nominals(roles[0]), [office, *roles[1:]]
    role = "; ".join(roles)
    if party:
        role = f"{role} ({party})" if role else party
    return Label(
        written=written.strip().rstrip(":").strip(),
        name=name,
        role=role,
        question=question,
    )


def drop_post_nominals(name: str) -> str:
    """Honours and designations after a name go; a form of address before it stays: "Ms Carey",
    "MS CAREY" (Ms), "Mark Drakeford MS" (Member of the Senedd), "Dame Lynne Owens DBE CBE QPM"."""
    kept: list[str] = []
    for word in name.replace(",", " ").split():
        if kept and word.upper().rstrip(".") in POST_NOMINALS:
            continue
        kept.append(word)
    if len(kept) == 1 and kept[0].upper().rstrip(".") in POST_NOMINALS - {"MS"}:
        return ""  # letters alone ("QPM:") are not a name
    return " ".join(kept)


def is_not_a_role(text: str) -> bool:
    """``continued``, ``sworn``, ``affirmed``, ``via video link``...: how someone speaks, not a role."""
    return bool(_NOT_A_ROLE.search(text.strip()))


def is_office(name: str) -> bool:
    """ "The Prime Minister", "Madam Deputy Speaker", "The Minister of State, Home Office"."""
    words = [w.lower().strip(".,") for w in name.split()]
    if not words:
        return False
    if words[0] in ("the", "mr", "madam"):
        words = words[1:]
    content = [w for w in words if w not in _ROLE_JOINERS]
    return (
        bool(content)
        and any(w in _OFFICE_WORDS for w in content)
        and (
            name.lower().startswith(("the ", "mr ", "madam "))
            or all(w in _OFFICE_WORDS for w in content)
        )
    )


def looks_like_a_name(text: str) -> bool:
    """A person's name in brackets ("Rishi Sunak", "Dame Rosie Winterton", "Lord Hanson of Flint"),
    not a constituency or a party."""
    words = text.split()
    if not 2 <= len(words) <= 7 or text.lower() in PARTIES:
        return False
    if words[0].lower().strip(".") in PREFIXES - {"the"}:
        return True
    return all(w[:1].isupper() for w in words) and not any(
        w.lower().strip(".,") in _PLACE_AND_BODY_WORDS for w in words
    )


# words of constituencies and organisations, which a person's name does not hold
_PLACE_AND_BODY_WORDS = {
    "and",
    "east",
    "west",
    "north",
    "south",
    "central",
    "police",
    "service",
    "committee",
    "council",
    "department",
    "office",
    "authority",
    "board",
    "agency",
    "ministry",
    "metropolitan",
    "government",
    "assembly",
    "inquiry",
    "commission",
    "university",
    "trust",
    "nhs",
    "mopac",
    "london",
    "party",
    "group",
}


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
    from_label: bool = True


def _better_form(name: str, from_label: bool, known: _Person) -> bool:
    new, old = len(name.split()), len(known.name.split())
    if new != old:
        return new > old
    if from_label != known.from_label:
        return from_label
    return known.name.isupper() and not name.isupper()


_DESIGNATIONS = (
    ("AM", "Assembly Member"),
    ("MP", "Member of Parliament"),
    ("MS", "Member of the Senedd"),
    ("MSP", "Member of the Scottish Parliament"),
    ("MLA", "Member of the Legislative Assembly"),
)


class SpeakerResolver:
    """Resolve every label of one transcript to a person, using what the transcript itself says."""

    def __init__(
        self,
        labels: list[str],
        header_people: Iterable[tuple[str, str]] = (),
        witnesses: Iterable[str] = (),
    ):
        self._people: dict[str, _Person] = {}
        for name, role in header_people:
            self._remember(name, role, from_label=False)
        for name in witnesses:
            self.remember_witness(name)
        self._labels = [split_label(w) for w in labels]
        for label in self._labels:
            if label.name and not label.is_role_only:
                self._remember(label.name, label.role or self._default_role(label.written))

    @staticmethod
    def _default_role(written: str) -> str:
        text = _PARENS.sub(" ", written)
        text = _QUESTION.sub("", text.strip())
        text = HANSARD_NUMBER.sub("", text, count=1)
        words = [w.upper().strip(".,") for w in text.split()][1:]  # after a name only
        for letters, role in _DESIGNATIONS:
            if letters in words:
                return role
        return ""

    def remember_witness(self, name: str) -> None:
        """A witness sworn, affirmed or continuing ("MR MATT HANCOCK (continued)")."""
        self._remember(name, "Witness", from_label=False)

    def _remember(self, name: str, role: str, *, from_label: bool = True) -> None:
        key = person_key(name)
        if not key:
            return
        known = self._people.get(key)
        if known is None:
            # "Mr Rowley" for someone known as "Sir Mark Rowley": the same person when the surname is unique
            fuller = [p for k, p in self._people.items() if _shorter_form(key, k, name, p.name)]
            if len(fuller) == 1:
                known = fuller[0]
                if (
                    from_label
                    and not known.from_label
                    and known.name.isupper()
                    and not name.isupper()
                ):
                    known.name = _recased(known.name, name)  # "PROFESSOR SIR CHRIS WHITTY"
                if role and not known.role:
                    known.role = role
                return
            self._people[key] = _Person(name=name, role=role, from_label=from_label)
            return
        # keep the fullest form of the name ("Sir Mark Rowley" over "Mark Rowley"); of two as full,
        # the one the speaker labels use, and mixed case over capitals ("Mr Matt Hancock" over
        # "MR MATT HANCOCK"); and the first role
        if _better_form(name, from_label, known):
            known.name, known.from_label = name, from_label
        if role and (not known.role or known.role == "Witness"):
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
        # "Ms Ahmed", "MS VAN DER BERG": the one person named in full with that surname, even when
        # the short form came first
        fuller = [p for k, p in self._people.items() if _shorter_form(key, k, label.name, p.name)]
        if len(fuller) == 1:
            person = fuller[0]
        if person is None:
            return label.name, label.role
        return person.name, label.role or person.role


_HE = {"mr", "sir", "lord", "baron", "viscount", "earl", "marquess", "mister"}
_SHE = {"ms", "mrs", "miss", "dame", "lady", "baroness", "viscountess", "countess", "madam"}


def _recased(capitals: str, written: str) -> str:
    """A name in capitals (from "PROFESSOR SIR CHRIS WHITTY (affirmed)") in the case the speaker
    labels write it ("Professor Sir Whitty" → "Professor Sir Chris Whitty", "McLean" kept)."""
    forms = {w.lower(): w for w in written.split() if not w.isupper()}
    return " ".join(forms.get(w.lower(), w[:1] + w[1:].lower()) for w in capitals.split())


def _shorter_form(key: str, other_key: str, name: str, other_name: str) -> bool:
    """Whether ``key`` ("van der berg") is a shorter form of ``other_key`` ("hugo van der berg")."""
    words, others = key.split(), other_key.split()
    return (
        bool(words)
        and len(others) > len(words)
        and others[-len(words) :] == words
        and _may_be(name, other_name)
    )


def _may_be(short: str, full: str) -> bool:
    """Whether "Ms Carey" may be the same person as "Dr Angela Carey" (yes) or "Mr Tom Carey" (no)."""
    titles = []
    for name in (short, full):
        words = {w.lower().strip(".") for w in name.split()}
        titles.append("he" if words & _HE else "she" if words & _SHE else "")
    return not (titles[0] and titles[1] and titles[0] != titles[1])


def _role_words(role: str) -> list[str]:
    return [w.lower().strip(".,;") for w in role.split()]


_RANK_WORDS = {"deputy", "vice", "assistant", "acting", "temporary"}


def _role_set(words: list[str]) -> set[str]:
    """Role words for matching: "Chairman", "Chairwoman" and "Chair" are the same role."""
    return {"chair" if w in CHAIR_ROLES else w for w in words} - {"the", "of", "and", "for"}
