"""Several addressees named by an ask ("the Met and MOPAC should…", "The Mayor and the Commissioner
must…"): read from the words before the ask's verb, in the ask's own sentence. Only the bodies the
Committee writes to are recognised, and only two or more of them make a suggestion: the import
shows them for the clerk to confirm (the review dialog, ``import --dry-run --json``); one body, or
none, leaves the ask to the letter's recipient as before. Parse only, no database."""

from __future__ import annotations

import re

# the bodies, each by the ways letters name it, with the name the register gives it
BODIES: tuple[tuple[str, str], ...] = (
    ("MOPAC", r"mopac|(?:the\s+)?mayor['’]?s\s+office\s+for\s+policing\s+and\s+crime"),
    ("the Met", r"(?:the\s+)?(?:met|mps|metropolitan\s+police(?:\s+service)?)"),
    ("the Commissioner", r"(?:the\s+)?(?:met\s+)?commissioner"),
    ("the Mayor", r"(?:the\s+)?mayor(?:\s+of\s+london)?"),
    ("the Deputy Mayor", r"(?:the\s+)?deputy\s+mayor(?:\s+for\s+policing\s+and\s+crime)?"),
    ("the Home Office", r"(?:the\s+)?home\s+office"),
    ("the Home Secretary", r"(?:the\s+)?home\s+secretary"),
    ("the Government", r"(?:the\s+)?government"),
    ("the College of Policing", r"(?:the\s+)?college\s+of\s+policing"),
    ("HMICFRS", r"hmicfrs|(?:his|her|hm)\s+majesty['’]?s\s+inspectorate[\w\s,]*services"),
    ("the IOPC", r"(?:the\s+)?iopc|(?:the\s+)?independent\s+office\s+for\s+police\s+conduct"),
    ("London Councils", r"london\s+councils"),
    ("the London boroughs", r"(?:the\s+)?london\s+boroughs"),
)
_LONG = [
    (name, re.compile(pattern.split("|", 1)[1], re.IGNORECASE))
    for name, pattern in BODIES
    if name in ("MOPAC", "HMICFRS")
]
_BODY = [(name, re.compile(rf"^(?:{pattern})$", re.IGNORECASE)) for name, pattern in BODIES]
# the verb the addressees come before
_VERB = re.compile(
    r"\b(?:should|must|shall|will|needs?\s+to|ought\s+to|are\s+(?:asked|invited)\s+to|"
    r"(?:jointly|together|both)\s+(?:should|must))\b",
    re.IGNORECASE,
)
_CUT = re.compile(r"[;:(]|\b(?:that|recommends?|asks?|calls\s+on|urges?)\b", re.IGNORECASE)
_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+)?|\band\b|&|\bwith\b)\s*", re.IGNORECASE)


def body_named(words: str) -> str | None:
    """The register's name of the body ``words`` name, or None."""
    words = " ".join(words.split()).strip(" .")
    for name, pattern in _BODY:
        if pattern.match(words):
            return name
    return None


def named_addressees(text: str, context: str = "") -> tuple[str, ...]:
    """The addressees an ask names when it names several (in the order named), else ()."""
    for sentence in (text, *_sentences_with(context, text)):
        found = _subject(sentence)
        if found:
            return found
    return ()


def _sentences_with(context: str, text: str) -> list[str]:
    head = " ".join(text.split()[:6])
    return [s for s in re.split(r"(?<=[.!?])\s+", context or "") if head and head in s]


def _subject(sentence: str) -> tuple[str, ...]:
    verb = _VERB.search(sentence)
    if verb is None:
        return ()
    before = sentence[: verb.start()]
    cuts = list(_CUT.finditer(before))
    subject = before[cuts[-1].end() :] if cuts else before
    for short, long in _LONG:  # names with "and" inside, before the list is split
        subject = long.sub(short, subject)
    parts = [p for p in _JOIN.split(subject) if p.strip()]
    names: list[str] = []
    for part in reversed(parts):  # the bodies just before the verb ("In future, the Met and …")
        name = body_named(part)
        if name is None:
            break
        names.insert(0, name)
    if len(names) < 2 or len(parts) - len(names) > 1:  # more than one clause before: not a list
        return ()
    unique = list(dict.fromkeys(names))
    return tuple(unique) if len(unique) >= 2 else ()
