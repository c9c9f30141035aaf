"""Follow-up letters read back: which asks of a letter chase an ask the register holds already.

A follow-up letter PCC Desk wrote recaps each ask in the house phrasing ("In our letter of 17 March
2023, the Committee said: “…”") before asking again; a follow-up from the archive says "we
previously asked", "following up", "reiterates" and restates the ask. :func:`find` gives, for each
ask of a letter, the earlier ask it follows up, on the strongest evidence it has:

1. ``reference``: the ask (or the paragraphs just before it) names a reference of the register;
2. ``quoted``: it names the date of an earlier letter and quotes one of that letter's asks (at least
   :data:`QUOTE_SHARE` of the quotation's words are that ask's);
3. ``wording``: it is worded as a follow-up (the ask's paragraph or the paragraphs just before it:
   a letter headed "Follow-up" may still make new asks, and a repeat without such words is only
   offered to the clerk) and the repeat matcher scores it at least :data:`FOLLOW_UP_THRESHOLD` against an
   earlier ask (above the :data:`pcc_desk.matching.REPEAT_THRESHOLD` at which a repeat is only
   offered).

:func:`prefill` puts what it found on the letter's asks (``link_to``, ``link_kind`` follows-up):
the import saves each such ask as a new Recommendation of the follow-up letter, linked to the one
it follows up (see the README, *Replies and repeated asks*)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcc_desk import matching
from pcc_desk.letter_values import DOC_MINUTES, ParsedAsk, ParsedLetter
from pcc_desk.model import Recommendation
from pcc_desk.services.desk import Desk
from pcc_desk.services.register.rules import REF_PREFIX
from pcc_desk.services.repeats import RepeatFinder
from pcc_desk.vocabulary import LinkKind, Status

# with follow-up wording alone, the repeat matcher's score needed to link an ask (a repeat is
# offered from 0.4; a follow-up is saved as one without a question, so it must be surer)
FOLLOW_UP_THRESHOLD = 0.5
# the share of a quotation's words that must be an ask's of the letter it names
QUOTE_SHARE = 0.6

_REF = re.compile(rf"\b{re.escape(REF_PREFIX)}-\d{{4}}-\d{{2}}-\d{{2}}/\d{{1,3}}\b")


@dataclass(frozen=True)
class FollowsUp:
    """The earlier ask an ask follows up, and the evidence: reference, quoted or wording."""

    ref: str
    made: dt.date
    status: Status
    score: float
    evidence: str


def _said(ask: ParsedAsk) -> str:
    return " ".join(p for p in (ask.lead_in, ask.context, ask.text) if p)


def _found(rec: Recommendation, score: float, evidence: str) -> FollowsUp:
    return FollowsUp(rec.ref, rec.made, rec.status, round(score, 3), evidence)


def _by_reference(session: Session, text: str, made: dt.date | None) -> FollowsUp | None:
    for ref in dict.fromkeys(_REF.findall(text)):
        rec = session.scalars(select(Recommendation).where(Recommendation.ref == ref)).first()
        if rec is not None and (made is None or rec.made < made):
            return _found(rec, 1.0, "reference")
    return None


def _by_quote(
    session: Session, cues: matching.FollowUpCues, made: dt.date | None
) -> FollowsUp | None:
    best: tuple[float, Recommendation] | None = None
    for day in cues.letter_dates:
        if made is not None and day >= made:
            continue
        asks = session.scalars(select(Recommendation).where(Recommendation.made == day)).all()
        for quote in cues.quotes:
            for rec in asks:
                share = matching.quote_share(quote, f"{rec.text} {rec.context}")
                if share >= QUOTE_SHARE and (best is None or share > best[0]):
                    best = (share, rec)
    return _found(best[1], best[0], "quoted") if best is not None else None


def find(desk: Desk, letter: ParsedLetter) -> tuple[FollowsUp | None, ...]:
    """For each ask of ``letter``, the earlier ask of the register it follows up, or None (always
    None for minutes: an undertaking "to follow up" is the Met's promise, not the Committee's ask)."""
    if letter.document_kind == DOC_MINUTES:
        return (None,) * len(letter.asks)
    cues = [matching.follow_up_cues(_said(ask)) for ask in letter.asks]
    found: list[FollowsUp | None] = []
    with desk.reading() as session:
        for ask, cue in zip(letter.asks, cues, strict=True):
            made = ask.made or letter.head.date
            found.append(_by_reference(session, _said(ask), made) or _by_quote(session, cue, made))
    worded = [
        n
        for n, cue in enumerate(cues)
        if found[n] is None and cue.worded and letter.asks[n].text.strip()
    ]
    if worded:  # the whole register's index, only when some ask is worded as a follow-up
        finder = RepeatFinder(desk, FOLLOW_UP_THRESHOLD)
        for n in worded:
            ask = letter.asks[n]
            text = " ".join((ask.text, *cues[n].quotes))
            earlier = finder.earlier(text, before=ask.made or letter.head.date)
            if earlier:
                e = earlier[0]
                found[n] = FollowsUp(e.ref, e.made, e.status, e.score, "wording")
    return tuple(found)


def prefill(
    letter: ParsedLetter, found: Sequence[FollowsUp | None], new: Sequence[bool]
) -> ParsedLetter:
    """The letter with each new ask that follows up an earlier one set to be linked to it (an ask
    the clerk already linked is left as it is)."""
    asks = list(letter.asks)
    for n, (ask, follows, is_new) in enumerate(zip(asks, found, new, strict=True)):
        if follows is None or not is_new or ask.link_to:
            continue
        context = ask.context
        if follows.evidence != "wording" and ask.lead_in and ask.lead_in not in context:
            context = f"{ask.lead_in} {context}".strip()  # the recap says what is followed up
        asks[n] = dataclasses.replace(
            ask, link_to=follows.ref, link_kind=LinkKind.FOLLOWS_UP.value, context=context
        )
    return dataclasses.replace(letter, asks=tuple(asks))
