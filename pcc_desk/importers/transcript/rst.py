"""reStructuredText transcripts as plain text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

RST_SUFFIXES = (".rst", ".rest")
_RST_RULE = re.compile(r"^([=\-~^\"'`#*+_.:<>])\1{2,}\s*$")  # section over- and underlines
_RST_DIRECTIVE = re.compile(r"^\s*\.\.(?:\s|$)")  # ".. toctree::", ".. _target:", ".. comment"
_RST_INLINE = (
    (re.compile(r"`([^`<>]+?)\s*<[^<>`]+>`__?"), r"\1"),  # `text <url>`_
    (re.compile(r":[A-Za-z][\w:+-]*:`([^`]+)`"), r"\1"),  # :role:`text`
    (re.compile(r"``(.+?)``"), r"\1"),  # ``literal``
    (re.compile(r"`([^`]+)`__?"), r"\1"),  # `reference`_
    (re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), r"\1"),  # **strong**
    (re.compile(r"(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?![\w*])"), r"\1"),  # *emphasis*
    (re.compile(r"`([^`]+)`"), r"\1"),  # `interpreted`
    (re.compile(r"\|([^|\n]+)\|(?:__?)?"), r"\1"),  # |substitution|
    (re.compile(r"\\(.)"), r"\1"),  # escapes
)


def rst_to_text(text: str) -> str:
    """reStructuredText as plain text (what the transcript says, without its markup): section rules,
    directives and comments go, ``**Name**: …`` turns become ``Name: …``, links keep their text."""
    return "\n".join(rst_lines(text.split("\n")))


def rst_lines(lines: Iterable[str]) -> Iterator[str]:
    """:func:`rst_to_text`, a line at a time."""
    skip_indent: int | None = None
    for raw in lines:
        indent = len(raw) - len(raw.lstrip())
        if skip_indent is not None:
            if not raw.strip() or indent > skip_indent:
                continue
            skip_indent = None
        if _RST_DIRECTIVE.match(raw):
            skip_indent = indent  # the directive and its indented body
            continue
        line = raw.strip()
        if _RST_RULE.match(line):
            yield ""
            continue
        if line.startswith("| "):
            line = line[2:]  # a line block
        if re.match(r"^:[A-Za-z][\w -]{0,30}:\s", line):
            line = line[1:]  # a field list: ":Date: 1 May" → "Date: 1 May"
        for pattern, replacement in _RST_INLINE:
            line = pattern.sub(replacement, line)
        line = re.sub(r"(?<=\S)::$", ":", line)
        line = "" if line == "::" else line
        yield line
