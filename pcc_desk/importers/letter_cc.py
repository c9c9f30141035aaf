"""The words that mark a letter's head (salutation, closing, roles) and its "CC:" list, however it
wraps.
"""

from __future__ import annotations

import re

from pcc_desk.dates import parse_date
from pcc_desk.importers.letter_blocks import Block, clean, ends_sentence
from pcc_desk.speakers import POST_NOMINALS

# --- the letter head -------------------------------------------------------------------------------

_SALUTATION = re.compile(r"^Dear\s+\S.*$", re.IGNORECASE)
_CLOSING = re.compile(
    r"^(Yours (sincerely|faithfully|truly|ever)|Kind regards|Best wishes|With (best|kind) (wishes|regards)|Regards)\b[,.]?",
    re.IGNORECASE,
)
_CC = re.compile(
    r"^(cc|c\.c\.|copied to|copy to)(?![A-Za-z])\s*[:.\-–]?\s*(?P<rest>.*)$", re.IGNORECASE
)
_ROLE_WORDS = re.compile(
    r"\b(Chair|Chairman|Chairwoman|Chairperson|Commissioner|Mayor|Deputy|Director|Chief|CEO|Officer|Head|"
    r"Member|Secretary|Minister|Committee|Police|Metropolis|Executive|Service|Office|Assembly|Authority|MOPAC|"
    r"Manager|President|Leader|Lead|Clerk|Council)\b"
)
_NAME_PARTICLES = {"of", "the", "and", "de", "van", "von", "da", "le", "la", "du", "bin"}
_NOISE = re.compile(
    r"^\(.*\)$|by e-?mail|^sent by|^our ref|^your ref|^ref(erence)?\s*:|^tel\b|^telephone|^email\b|^e-mail|@|^www\.|https?://",
    re.IGNORECASE,
)


_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")


def _split_cc(text: str) -> list[str]:
    return [clean(p) for p in (text or "").split(";") if p.strip()]


# --- the "CC:" list ---------------------------------------------------------------------------------
# A CC list is written inline ("CC: A, role; B, role"), or one entry a line under "CC:". Either may
# wrap: on a PDF's or a text file's lines, on a Word line break, or on paragraphs made line by line.
# A wrapped line goes on with its entry; only ";" (or, in a list, a new line that is not a wrap)
# starts a new entry.

_WRAP_JOINERS = {
    "and",
    "of",
    "for",
    "the",
    "to",
    "on",
    "in",
    "at",
    "with",
    "by",
    "a",
    "an",
    "de",
    "van",
    "von",
    "da",
    "le",
    "la",
    "du",
}
# words that do not end an entry: a name's title, or a role cut in two ("Deputy" / "Mayor for …")
_CUT_WORDS = {
    "sir",
    "dame",
    "lord",
    "lady",
    "baroness",
    "dr",
    "mr",
    "mrs",
    "ms",
    "miss",
    "professor",
    "prof",
    "cllr",
    "councillor",
    "rt",
    "hon",
    "deputy",
    "assistant",
    "acting",
    "interim",
    "detective",
    "vice",
    "chief",
    "metropolitan",  # the first word of a name that runs on: "Metropolitan" / "Police Service"
    "greater",
    "crown",
    "home",
    "national",
    "independent",
}
_GIVEN_NAME = re.compile(r"^[A-Z][a-zà-ÿ’']+(?:-[A-Z][a-zà-ÿ’']+)*$")  # "Diana", "Anne-Marie"


def _given_name_only(entry: str) -> bool:
    """ "Diana", "Sir Mark", "Dr Anne-Marie": a name cut after its first name (not "MOPAC")."""
    words = entry.split()
    return (
        bool(words)
        and all(w.lower().strip(".") in _CUT_WORDS for w in words[:-1])
        and bool(_GIVEN_NAME.match(words[-1]))
        and not _ROLE_WORDS.search(words[-1])  # not "Committee", "Service"
    )


def _post_nominal(word: str) -> bool:
    return word.upper().strip(".,") in POST_NOMINALS and word.strip(".,").isupper()


def _surname_first(line: str) -> bool:
    """ "Luchford, CEO, MOPAC" or "Desai AM": a line that starts with the rest of a name."""
    words = line.split(",", 1)[0].split()
    return (
        bool(words)
        and bool(re.fullmatch(r"[A-Z][a-zà-ÿ’'][\w’'-]*", words[0]))  # not an acronym
        and all(_post_nominal(w) for w in words[1:])
    )


FULL_LINE = 0.8
_ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,9}$")  # "MOPAC", "HMICFRS": an organisation on its own line


def _wrapped(entry: str, before: str, after: str, width: int, following: str = "") -> bool:
    """Is line ``after`` the rest of line ``before`` (whose CC entry so far is ``entry``), cut where
    the line was full, rather than a new entry? ``width`` is the longest line of the list (about
    where its lines wrap); ``following`` the line after ``after``."""
    entry, before, after = entry.strip(), before.rstrip(), after.strip()
    if not entry or not after or before.endswith(";"):
        return False
    if entry.endswith((",", "-", "–", "—", "&", "/", "(", "’s", "'s")):
        return True
    last = entry.split()[-1].lower().strip(".")
    if last in _WRAP_JOINERS or last in _CUT_WORDS:
        return True
    if after[0].islower() or after[0] in "&()–-—/" or _post_nominal(after.split()[0]):
        return True  # "… Commissioner" / "of Police"; "Sir Mark Rowley" / "QPM, Commissioner …"
    if entry.count("(") > entry.count(")"):
        return True
    if _given_name_only(entry) and _surname_first(after):
        return True  # "Diana" / "Luchford, CEO, MOPAC"
    if _given_name_only(after.split(",", 1)[0]) and _surname_first(following):
        return False  # "Anne-Marie" / "Kowalczyk, Head of Strategy": a new name, itself cut
    # its first word did not fit; counted in characters, so with room for a proportional font's
    # wide letters (a PDF line of capitals is full well before the longest line's character count)
    full = len(before) + 1 + len(after.split()[0]) > FULL_LINE * width
    person = _starts_with_person(after) or (
        _starts_with_person(f"{after} {following}") and len(after.split()) >= 2
    )  # "Caroline Russell" / "AM, Deputy Chair …"
    return full and not person and not _ACRONYM.match(after)


_TITLES = {"sir", "dame", "lord", "lady", "baroness", "dr", "mr", "mrs", "ms", "miss", "professor"}


def _starts_with_person(line: str) -> bool:
    """ "Sophie Linden, Deputy Mayor…", "Unmesh Desai AM", "Sir Mark Rowley": a person's full name
    first, known as one by the role after it, a post-nominal or a title (not "West BCU")."""
    name, comma, _ = line.partition(",")
    words = name.split()
    if len(words) < 2 or not _is_name(name):
        return False
    return bool(comma) or _post_nominal(words[-1]) or words[0].lower().strip(".") in _TITLES


def _join_wrap(text: str, line: str) -> str:
    if re.search(r"[A-Za-zÀ-ÿ]-$", text) and line[:1].isalpha():
        return text + line  # a word hyphenated at the line's end ("Anne-" / "Marie")
    return f"{text} {line}" if text else line


def _cc_entries(run: list[tuple[str, str]]) -> list[str]:
    """The entries of one CC list: ``run`` is its lines as written and as read (without "CC:")."""
    texts = [text for _, text in run]
    if any(";" in text for text in texts):  # separated by ";": every line break is a wrap
        joined = ""
        for text in texts:
            joined = _join_wrap(joined, text)
        return _split_cc(joined)
    width = max(len(raw.rstrip()) for raw, _ in run)
    entries: list[str] = []
    before = ""
    for n, (raw, text) in enumerate(run):
        following = run[n + 1][1] if n + 1 < len(run) else ""
        if entries and _wrapped(entries[-1], before, text, width, following):
            entries[-1] = _join_wrap(entries[-1], text)
        elif text.strip():
            entries.append(text)
        before = raw
    return [clean(e) for e in entries if clean(e)]


def _ends_cc(line: str) -> bool:
    """A line that is never part of a CC list: a date, the subject, another CC, "Dear …", the close."""
    return bool(
        (parse_date(line) and len(line.split()) <= 6)
        or re.match(r"^(re|subject)\s*:", line, re.IGNORECASE)
        or _CC.match(line)
        or _SALUTATION.match(line)
        or _CLOSING.match(line)
    )


def _starts_other_part(line: str) -> bool:
    """A paragraph after a CC line that is another part of the letter head, not more of the list: a
    person's name alone, an address, a reference, "(Sent by email)"."""
    return bool(
        _is_name(line) or _NOISE.search(line) or _POSTCODE.search(line) or re.match(r"^\d", line)
    )


def read_cc(blocks: list[Block], start: int, stop: int) -> tuple[list[str], set[tuple[int, int]]]:
    """Every CC list in ``blocks[start:stop]``: (the entries, the (block, line) places they use).

    A CC list goes on over the lines of its paragraph, then over the next paragraphs while they
    continue it: a list under a bare "CC:" until an empty paragraph; an inline list while a line
    ends with "," or ";", holds a ";", is wrapped (see :func:`_wrapped`) or is not another part of
    the head (see :func:`_starts_other_part`)."""
    entries: list[str] = []
    used: set[tuple[int, int]] = set()
    items = [
        (n, j, line)
        for n in range(start, stop)
        for j, line in (enumerate(blocks[n].lines) if blocks[n].lines else [(-1, "")])
    ]
    k = 0
    while k < len(items):
        n, j, line = items[k]
        k += 1
        found = _CC.match(line) if line else None
        if found is None:
            continue
        rest = found.group("rest").strip()
        run = [(line, rest)] if rest else []
        list_form = not rest
        used.add((n, j))
        before, block_of_before = line, n
        while k < len(items):
            n2, j2, nxt = items[k]
            if not nxt or _ends_cc(nxt):
                break
            if n2 != block_of_before:  # the next paragraph: does it go on with the list?
                entry = " ".join(text for _, text in run).rsplit(";", 1)[-1]
                goes_on = (
                    list_form
                    or before.rstrip().endswith((",", ";"))
                    or ";" in nxt
                    or _wrapped(entry, before, nxt, max(len(raw) for raw, _ in [*run, (nxt, "")]))
                    or not _starts_other_part(nxt)
                )
                if not goes_on:
                    break
            run.append((nxt, nxt))
            used.add((n2, j2))
            before, block_of_before = nxt, n2
            k += 1
        if run:
            entries.extend(_cc_entries(run))
    return entries, used


_RANKED_NAME = re.compile(
    r"^(?:(?:Deputy|Assistant|Acting)\s+)?(?:Commissioner|Commander|Chief Superintendent|Superintendent|"
    r"Chief Constable|Chief Inspector|Inspector)\s+(?:[A-Z][\w’'-]*\s*){2,5}$"
)


def _is_name(line: str) -> bool:
    words = line.replace(",", " ").split()
    if not 1 <= len(words) <= 7 or ends_sentence(line):
        return False
    if _ROLE_WORDS.search(line):
        return bool(_RANKED_NAME.match(line.strip()))  # "Deputy Commissioner Dame Lynne Owens"
    return all(
        w[0].isupper() or w.lower() in _NAME_PARTICLES for w in words if w[0].isalpha()
    ) and any(w[0].isupper() for w in words)
