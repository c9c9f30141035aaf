"""Speaker labels as transcripts write them: the name, its honours and post-nominals, the role in
brackets (Hansard's role first, the person in brackets), question numbers, and the words that say a
label is an office, a place or a party rather than a person."""

from __future__ import annotations

import functools
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
