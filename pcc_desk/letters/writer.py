"""The follow-up letter: composed from plain records, laid out with the template's styles.

Three steps, each a module of its own and testable alone; this module is their one door:

- :mod:`.wording`: the fixed paragraphs (``resources/templates/letter-wording.json``, overridden by the
  Committee's settings), the placeholders each may use, and the house style of names and quotations;
- :mod:`.compose`: :func:`compose` turns a :class:`LetterInput` into :class:`Block` s (paragraphs with
  a role and inline parts: text, an ask in bold, a footnote) and numbers the footnotes, once;
- :mod:`.render`: :func:`render` lays the blocks out in a copy of the letterhead template with real
  Word footnotes numbered as composed, and :func:`write_letter` writes the file atomically.
"""

from __future__ import annotations

from pcc_desk.letters.compose import (
    Block,
    CitedFootnote,
    Inline,
    ItemInput,
    LetterInput,
    Note,
    OriginalLetter,
    QuoteInput,
    ResponseInput,
    Strong,
    compose,
    number_notes,
)
from pcc_desk.letters.render import (
    ASK_STYLE,
    CORE_PROPERTY_LIMIT,
    PARAGRAPH_ROLES,
    TEMPLATE_NAME,
    Written,
    core_property,
    default_template,
    open_template,
    render,
    resolve_styles,
    save,
    set_core_properties,
    template_errors,
    write_letter,
)
from pcc_desk.letters.wording import (
    COMMON_PLACEHOLDERS,
    RESPONSE_QUOTE_LIMIT,
    WORDING_NAME,
    check_wording,
    committee_name,
    inner_quote,
    placeholders_for,
    salutation_for,
    same_committee,
    shorten_quote,
    wording,
)

__all__ = [
    "ASK_STYLE",
    "COMMON_PLACEHOLDERS",
    "CORE_PROPERTY_LIMIT",
    "PARAGRAPH_ROLES",
    "RESPONSE_QUOTE_LIMIT",
    "TEMPLATE_NAME",
    "WORDING_NAME",
    "Block",
    "CitedFootnote",
    "Inline",
    "ItemInput",
    "LetterInput",
    "Note",
    "OriginalLetter",
    "QuoteInput",
    "ResponseInput",
    "Strong",
    "Written",
    "check_wording",
    "committee_name",
    "compose",
    "core_property",
    "default_template",
    "inner_quote",
    "number_notes",
    "open_template",
    "placeholders_for",
    "render",
    "resolve_styles",
    "salutation_for",
    "same_committee",
    "save",
    "set_core_properties",
    "shorten_quote",
    "template_errors",
    "wording",
    "write_letter",
]
