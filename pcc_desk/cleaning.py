"""Control characters out of text, on the way into the register and on the way out to files.

Text from PDFs (``pdftotext`` separates pages with a form feed), from old word processors (a vertical tab
for a line break) or pasted from anywhere can hold control characters. Word (.docx) and Excel (.xlsx)
files cannot hold them at all: XML 1.0 forbids them, and one such character in one record would make every
export fail. :func:`clean_text` keeps the text and replaces each such character by one character (so
offsets into the text stay valid):

- tab, newline and carriage return are kept;
- form feed, vertical tab, the file/group/record separators and NEL (U+0085) become a newline;
- every other C0 or C1 control character and DEL become a space;
- a lone surrogate (from undecodable bytes) and the non-characters U+FFFE/U+FFFF become U+FFFD (�).

It is applied to every text written to the register (:mod:`pcc_desk.storage` cleans each ORM string
column at flush time) and again by every writer of .docx, .xlsx and .csv files, for data written by an
older version.
"""

from __future__ import annotations

import json
import re

_LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85"
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _replacement(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _LINE_BREAKS:
        return "\n"
    if "\ud800" <= char <= "\udfff" or char in "\ufffe\uffff":
        return "\ufffd"
    return " "


def clean_text(text: str) -> str:
    """``text`` with every control character replaced (see the module's doc); unchanged when clean."""
    if not text or _CONTROLS.search(text) is None:
        return text
    return _CONTROLS.sub(_replacement, text)


def has_controls(text: str) -> bool:
    return bool(text) and _CONTROLS.search(text) is not None


def clean_value(value: object) -> object:
    """Every string in a JSON-like value (dicts, lists, tuples) cleaned."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_value(k): clean_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_value(v) for v in value]
    return value


def clean_json_text(text: str) -> str:
    """A JSON document whose strings are cleaned (escaped controls such as ``\\u000c`` too); ``text``
    itself when there is nothing to clean or it is not JSON."""
    if not text or ("\\u" not in text and not has_controls(text)):
        return text
    try:
        value = json.loads(text)
    except ValueError:
        return clean_text(text)
    cleaned = clean_value(value)
    return text if cleaned == value else json.dumps(cleaned, ensure_ascii=False)
