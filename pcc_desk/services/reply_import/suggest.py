"""Reading a reply and suggesting, for every ask of the letter it answers, the passage that answers
it (:func:`preview`): nothing is written.

The letter is the one given (a document id or a reference prefix) or the one the reply points to:
its date named in the reply, the reply's sender being the letter's recipient, the subject and the
content alike. The passages are scored against each ask (its words and its paragraph) with TF-IDF,
explicit references added ("Recommendation 3", the ask's reference, its words quoted), then placed
in the letter's order when the reply follows it, one to one otherwise (see
:mod:`pcc_desk.matching`)."""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcc_desk import matching, storage
from pcc_desk.dates import DAY_MONTH_YEAR, house_date, parse_date
from pcc_desk.errors import ImportRejected, InvalidInput, NotFound
from pcc_desk.importers.reply import ParsedReply, read_reply
from pcc_desk.model import Document, DocumentKind, Recommendation
from pcc_desk.services.desk import Desk
from pcc_desk.services.reply_import.values import (
    HIGH,
    LOW,
    MEDIUM,
    AskSuggestion,
    LetterAnswered,
    PassageScore,
    ReplyPreview,
)
from pcc_desk.vocabulary import Position

log = logging.getLogger(__name__)

ALTERNATIVES = 3


@dataclass(frozen=True)
class Ask:
    ref: str
    number: int
    text: str
    context: str


def read(path: Path) -> ParsedReply:
    try:
        return read_reply(path)
    except ImportRejected:
        raise
    except (Exception, RecursionError) as exc:  # a file no rule foresaw: one line
        log.warning("reading a reply failed: %s", type(exc).__name__)
        raise ImportRejected(
            f"{path.name}: the file could not be read as a reply ({type(exc).__name__})."
        ) from None


# --- which letter ----------------------------------------------------------------------------------


def _letters(session: Session) -> list[Document]:
    with_asks = select(Recommendation.document_id).where(Recommendation.document_id.is_not(None))
    return list(
        session.scalars(
            select(Document)
            .where(Document.kind == DocumentKind.LETTER, Document.id.in_(with_asks))
            .order_by(Document.date, Document.created_at)
        )
    )


def _asks(session: Session, document_id: uuid.UUID) -> list[Ask]:
    rows = session.scalars(
        select(Recommendation)
        .where(Recommendation.document_id == document_id)
        .order_by(Recommendation.ordinal, Recommendation.ref)
    )
    return [Ask(r.ref, n, r.text, r.context) for n, r in enumerate(rows, start=1)]


def _given_letter(session: Session, key: str) -> Document:
    key = key.strip()
    letters = _letters(session)
    hex_key = key.replace("-", "").lower()
    by_id = [d for d in letters if hex_key and d.id.hex.startswith(hex_key)]
    if len(by_id) == 1:
        return by_id[0]
    refs = session.scalars(
        select(Recommendation.document_id).where(Recommendation.ref.startswith(key))
    ).all()
    found = {d for d in refs if d is not None}
    doc = session.get(Document, found.pop()) if len(found) == 1 else None
    if doc is not None:
        return doc
    if len(by_id) > 1 or len(found) > 1:
        raise InvalidInput(f"'{key}' names more than one letter: give more of it.")
    raise NotFound(f"No letter in the register matches '{key}'.")


def _dates_named(text: str) -> set[dt.date]:
    found = set()
    for match in DAY_MONTH_YEAR.finditer(text):
        day = parse_date(match.group(0))
        if day is not None:
            found.add(day)
    return found


def _same_person(a: str, b: str) -> bool:
    wa, wb = set(re.findall(r"[a-z]+", a.lower())), set(re.findall(r"[a-z]+", b.lower()))
    wa -= {"sir", "dame", "mr", "mrs", "ms", "dr", "qpm", "cbe", "obe", "mbe"}
    return len(wa & wb) >= 2


def find_letter(session: Session, reply: ParsedReply) -> tuple[Document, str]:
    """The letter the reply most likely answers, and a line saying why."""
    letters = _letters(session)
    if not letters:
        raise NotFound("The register has no imported letter for this reply to answer.")
    whole = "\n".join(p.text for p in reply.passages)
    named = _dates_named(whole + "\n" + reply.head.subject)
    if reply.head.date:
        letters = [d for d in letters if d.date is None or d.date <= reply.head.date] or letters
    asks = {d.id: _asks(session, d.id) for d in letters}
    model = matching.TfIdf([" ".join(a.text for a in asks[d.id]) for d in letters] + [whole])
    reply_vec = model.vector(whole + " " + reply.head.subject)
    scored = []
    for doc in letters:
        reasons, score = [], 0.0
        if doc.date in named:
            score += 1.0
            reasons.append(f"it names its date ({house_date(doc.date)})")
        if doc.recipient and reply.head.sender and _same_person(doc.recipient, reply.head.sender):
            score += 0.3
            reasons.append(f"it is signed by its recipient ({doc.recipient})")
        if doc.subject and reply.head.subject:
            subject = matching.cosine(model.vector(doc.subject), model.vector(reply.head.subject))
            if subject > 0.3:
                score += 0.5 * subject
                reasons.append("its subject is alike")
        content = matching.cosine(
            model.vector(" ".join(f"{a.text} {a.context}" for a in asks[doc.id])), reply_vec
        )
        score += content
        scored.append((score, content, doc, reasons))
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    score, content, doc, reasons = scored[0]
    if not reasons:
        reasons.append(f"its asks are the closest in wording (similarity {content:.2f})")
    return doc, "the reply answers this letter: " + "; ".join(reasons) + "."


# --- which passage for which ask -----------------------------------------------------------------


def score_matrix(
    asks: list[Ask], passages: list[str], bolds: list[str] | None = None
) -> list[list[float]]:
    """Each ask against each passage: lexical similarity (the ask counted with half its paragraph's
    weight added) plus the evidence of an explicit reference."""
    model = matching.TfIdf([*(f"{a.text} {a.context}" for a in asks), *passages])
    pvecs = [model.vector(p) for p in passages]
    rows = []
    for ask in asks:
        avec = matching.combined(model.vector(ask.text), model.vector(ask.context, 0.5))
        row = []
        for j, text in enumerate(passages):
            lexical = matching.cosine(avec, pvecs[j])
            ref = matching.explicit_reference(ask.number, ask.ref, ask.text, text)
            if bolds and bolds[j]:
                ref = max(
                    ref, 0.6 * matching.cosine(model.vector(ask.text), model.vector(bolds[j]))
                )
            row.append(lexical + ref)
        rows.append(row)
    return rows


def _confidence(row: list[float], chosen: int) -> str:
    best = row[chosen]
    others = sorted((s for j, s in enumerate(row) if j != chosen), reverse=True)
    margin = best - (others[0] if others else 0.0)
    if best >= 0.35 and margin >= 0.05:
        return HIGH
    if best >= 0.2:
        return MEDIUM
    return LOW


def _answer(passage: str, bold: str, ask: str) -> str:
    """The passage without the ask it quotes in bold (a special report prints each ask in bold
    before its answer): the position is the reply's, not the Committee's "supports" or "notes". Bold
    that is not the ask quoted (most of its words not the ask's, or short: "Accepted.") stays."""
    said = set(matching.words(bold))
    if len(bold.split()) < 5 or bold not in passage or not said:
        return passage
    if len(said & set(matching.words(ask))) < 0.5 * len(said):
        return passage
    return passage.replace(bold, " ")


def suggest(
    asks: list[Ask],
    passages: list[str],
    *,
    bolds: list[str] | None = None,
    in_order: bool | None = None,
) -> tuple[tuple[AskSuggestion, ...], bool]:
    scores = score_matrix(asks, passages, bolds)
    alignment = matching.align(scores, in_order=in_order)
    out = []
    for ask, row, chosen in zip(asks, scores, alignment.chosen, strict=True):
        ranked = sorted(range(len(passages)), key=lambda j: row[j], reverse=True)
        if chosen is not None:
            ranked = [chosen, *(j for j in ranked if j != chosen)]
        shown = [j for j in ranked if row[j] > 0][: ALTERNATIVES + (1 if chosen is not None else 0)]
        scored = tuple(
            PassageScore(
                j,
                passages[j],
                round(row[j], 3),
                tuple(matching.shared_words(f"{ask.text} {ask.context}", passages[j])),
            )
            for j in shown
        )
        if chosen is None:
            position, words, confidence = matching.position_of("")[0], "", ""
        else:
            bold = bolds[chosen] if bolds else ""
            position, words = matching.position_of(_answer(passages[chosen], bold, ask.text))
            confidence = _confidence(row, chosen)
        out.append(
            AskSuggestion(
                ask.ref,
                ask.number,
                ask.text,
                ask.context,
                scored,
                chosen,
                position,
                words,
                confidence,
            )
        )
    return tuple(out), alignment.in_order


def position_of(text: str) -> Position:
    """The position the wording of ``text`` states (refusals first; OTHER when none is stated)."""
    return matching.position_of(text)[0]


def preview(
    desk: Desk,
    path: str | Path,
    *,
    letter: str | None = None,
    received: dt.date | None = None,
    in_order: bool | None = None,
) -> ReplyPreview:
    """Read ``path`` and suggest the answers; nothing is written. ``letter`` names the letter (a
    document id or a reference prefix); ``in_order`` forces (True) or refuses (False) the letter's
    order; None decides from the scores."""
    source = Path(path)
    if not source.is_file():
        raise InvalidInput(f"{source.name}: no such file.")
    reply = read(source)
    with desk.reading() as session:
        if letter:
            doc = _given_letter(session, letter)
            reason = "the letter given."
        else:
            doc, reason = find_letter(session, reply)
        asks = _asks(session, doc.id)
        answered = LetterAnswered(doc.id, doc.title or doc.subject, doc.date, doc.recipient)
    texts = [p.text for p in reply.passages]
    suggestions, ordered = suggest(
        asks, texts, bolds=[p.bold for p in reply.passages], in_order=in_order
    )
    warnings = list(reply.warnings)
    if reply.head.date is None and received is None:
        warnings.append("the reply's date was not found: give the date received")
    return ReplyPreview(
        path=str(source),
        file_name=source.name,
        sha256=storage.sha256_file(source),
        letter=answered,
        letter_reason=reason,
        received=received or reply.head.date,
        sender=reply.head.sender,
        passages=tuple(texts),
        suggestions=suggestions,
        in_order=ordered,
        warnings=tuple(warnings),
    )
