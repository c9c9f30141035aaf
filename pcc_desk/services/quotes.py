"""Quotes: verbatim spans of one transcript turn, attached to the recommendations they support.

A quote stores its segment, the start and end offsets in the segment's text and the exact words
(``segment.text[start:end] == quote.text``), the speaker and a citation in the house style of the
Committee's footnotes. The clerk's words are matched exactly, except that straight and curly quotes
and apostrophes, dashes and runs of spaces count as the same (and, when nothing else matches, a
hyphen between letters counts as nothing): the stored text is always the transcript's own.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcc_desk.errors import Conflict, InvalidInput, NotFound
from pcc_desk.model import (
    Operation,
    OperationKind,
    Quote,
    Recommendation,
    RecommendationQuote,
    Segment,
)
from pcc_desk.model import RecordKind as R
from pcc_desk.services import journal
from pcc_desk.services.desk import Desk
from pcc_desk.services.dto import QuoteRecord, citation
from pcc_desk.services.records import quote_record
from pcc_desk.services.register import get_recommendation, recommendation_by_id
from pcc_desk.services.register import recommendation_by_ref as load_recommendation
from pcc_desk.services.transcripts import find_transcript
from pcc_desk.vocabulary import ChangeKind as C

CHANGES = (C.QUOTES, C.RECOMMENDATIONS)
MAX_QUOTE = 20_000
_SAME = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "′": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "″": '"',
        "–": "-",
        "—": "-",
        "‑": "-",
        "\u00a0": " ",
    }
)


def _normalised(text: str, *, hyphens: bool = True) -> tuple[str, list[int]]:
    """The text with quotes, dashes and whitespace runs made uniform, and each character's original index.

    With ``hyphens=False`` a hyphen between two letters is dropped too (with the spaces after it), so
    "large-scale", "largescale" and a line break's "large- scale" read the same."""
    out: list[str] = []
    index: list[int] = []
    previous_space = False
    skip_to = 0
    for i, ch in enumerate(text):
        if i < skip_to:
            continue
        ch = ch.translate(_SAME)
        if not hyphens and ch == "-" and out and out[-1].isalpha():
            after = i + 1
            while after < len(text) and text[after].isspace():
                after += 1
            if after < len(text) and text[after].isalpha():
                skip_to = after
                continue
        if ch.isspace():
            if previous_space:
                continue
            ch = " "
            previous_space = True
        else:
            previous_space = False
        out.append(ch)
        index.append(i)
    return "".join(out), index


@dataclass(frozen=True)
class Span:
    segment_id: uuid.UUID
    start: int
    end: int


def find_spans(segments: list[Segment], wanted: str) -> list[Span]:
    """Every place ``wanted`` occurs within one segment, in meeting order.

    Words found nowhere as typed are looked for once more with hyphens between letters set aside:
    "large-scale" typed as spoken finds a transcript's "largescale" or "large- scale" (a word broken
    at a line end in the PDF it came from), and the other way round."""
    return _find_spans(segments, wanted, hyphens=True) or _find_spans(
        segments, wanted, hyphens=False
    )


def _find_spans(segments: list[Segment], wanted: str, *, hyphens: bool) -> list[Span]:
    needle, _ = _normalised(wanted.strip(), hyphens=hyphens)
    if not needle:
        return []
    spans = []
    for segment in segments:
        hay, index = _normalised(segment.text, hyphens=hyphens)
        start = hay.find(needle)
        while start != -1:
            last = start + len(needle) - 1
            spans.append(Span(segment.id, index[start], index[last] + 1))
            start = hay.find(needle, start + 1)
    return spans


def create_quote(
    desk: Desk,
    transcript_id: str | uuid.UUID,
    text: str,
    occurrence: int | None = None,
    refs: list[str] | tuple[str, ...] = (),
) -> QuoteRecord:
    """Find ``text`` in the transcript and keep it as a quote (attached to ``refs`` when given).

    The words must lie within one speaker's turn. When they occur more than once, ``occurrence``
    (1 = the first, in meeting order) says which. Quoting the same span again returns the same quote."""
    wanted = (text or "").strip()
    if not wanted:
        raise InvalidInput("The words to quote cannot be empty.")
    if len(wanted) > MAX_QUOTE:
        raise InvalidInput(
            f"The quote is too long ({len(wanted):,} characters; at most {MAX_QUOTE:,})."
        )
    if occurrence is not None and occurrence < 1:
        raise InvalidInput("--occurrence counts from 1 (the first time the words are said).")
    with desk.transaction(CHANGES) as session:
        transcript = find_transcript(session, transcript_id)
        recs = [load_recommendation(session, ref) for ref in refs]
        segments = list(transcript.segments)
        spans = find_spans(segments, wanted)
        label = citation(transcript.committee, transcript.meeting_date).removesuffix(
            " – transcript"
        )
        if not spans:
            raise NotFound(
                f"Those words are not in the transcript of {label} (they must lie within one speaker's turn)."
            )
        if occurrence is None and len(spans) > 1:
            raise InvalidInput(
                f"Those words occur {len(spans)} times in the transcript of {label}; say which with --occurrence 1 to {len(spans)}."
            )
        if occurrence is not None and occurrence > len(spans):
            raise InvalidInput(
                f"Those words occur only {len(spans)} time(s) in the transcript of {label}."
            )
        span = spans[(occurrence or 1) - 1]
        return _write_quote(session, desk, span.segment_id, span.start, span.end, recs)


def quote_span(
    desk: Desk,
    segment_id: str | uuid.UUID,
    start: int,
    end: int,
    refs: list[str] | tuple[str, ...] = (),
) -> QuoteRecord:
    """Quote ``segment.text[start:end]`` exactly (what a clerk selects in the transcript view)."""
    try:
        key = segment_id if isinstance(segment_id, uuid.UUID) else uuid.UUID(str(segment_id))
    except ValueError:
        raise InvalidInput(f"'{segment_id}' is not a turn of a transcript.") from None
    with desk.transaction(CHANGES) as session:
        segment = session.get(Segment, key)
        if segment is None:
            raise NotFound("That turn of the transcript no longer exists.")
        if not (0 <= start < end <= len(segment.text)) or not segment.text[start:end].strip():
            raise InvalidInput("Select some words of the turn to quote.")
        # no spaces at either end of a quote
        while segment.text[start].isspace():
            start += 1
        while segment.text[end - 1].isspace():
            end -= 1
        recs = [load_recommendation(session, ref) for ref in refs]
        return _write_quote(session, desk, segment.id, start, end, recs)


def _write_quote(
    session: Session,
    desk: Desk,
    segment_id: uuid.UUID,
    start: int,
    end: int,
    recs: list[Recommendation],
) -> QuoteRecord:
    op = journal.pending(
        OperationKind.QUOTE,
        {
            "segment": segment_id,
            "start": start,
            "end": end,
            "recommendations": [rec.id for rec in recs],
            "refs": [rec.ref for rec in recs],
        },
        desk.user,
    )
    quote = apply_quote(session, op, op.payload)
    journal.write(session, op)
    session.flush()
    session.refresh(quote)
    return quote_record(quote)


def apply_quote(session: Session, op: journal.Pending, p: dict[str, Any]) -> Quote:
    # the turn locked: two clerks quoting the same words at once make one quote, not two
    segment = session.get(
        Segment, journal.uid(p["segment"]), with_for_update=_FOR_WRITING, populate_existing=True
    )
    if segment is None:
        raise NotFound("That turn of the transcript no longer exists.")
    start, end = int(p["start"]), int(p["end"])
    if not (0 <= start < end <= len(segment.text)):
        raise InvalidInput("Select some words of the turn to quote.")
    recs = [recommendation_by_id(session, ident) for ident in p["recommendations"]]
    quote, created = _quote_of(session, segment, start, end, op)
    op.replaced["quote_created"] = created
    op.note(journal.CREATED if created else journal.USED, R.QUOTE, quote.id)
    op.used(R.TRANSCRIPT, segment.transcript_id)
    linked = link(session, op, quote, recs)
    label = citation(segment.transcript.committee, segment.transcript.meeting_date)
    label = label.removesuffix(" – transcript")
    op.summary = f"Quote the transcript of {label}" + (
        f" for {', '.join(r.ref for r in linked)}" if linked else ""
    )
    return quote


def _quote_of(
    session: Session, segment: Segment, start: int, end: int, op: journal.Pending
) -> tuple[Quote, bool]:
    """The quote of exactly that span: the existing one, or a new one (and whether it is new)."""
    quote = session.scalars(
        select(Quote).where(Quote.segment_id == segment.id, Quote.start == start, Quote.end == end)
    ).first()
    if quote is not None:
        return quote, False
    transcript = segment.transcript
    quote = Quote(
        id=op.new_id(R.QUOTE),
        transcript_id=transcript.id,
        segment_id=segment.id,
        start=start,
        end=end,
        text=segment.text[start:end],
        speaker=segment.speaker_name or segment.speaker,
        citation=citation(transcript.committee, transcript.meeting_date),
    )
    session.add(quote)
    session.flush()
    return quote, True


def link(
    session: Session, op: journal.Pending, quote: Quote, recs: list[Recommendation]
) -> list[Recommendation]:
    """Attach ``quote`` to ``recs`` (those attached already stay as they are); the ones newly
    attached are returned and kept in ``op.replaced["links"]`` (what an undo detaches)."""
    _lock(session, quote)
    added = []
    for rec in recs:
        found = session.get(RecommendationQuote, (rec.id, quote.id))
        if found is None:
            session.add(RecommendationQuote(recommendation_id=rec.id, quote_id=quote.id))
            added.append(rec)
            op.changed(R.RECOMMENDATION, rec.id, ["quotes"])
        elif op.replayed and op.at < found.created_at:  # attached on two registers (a sync):
            times = op.replaced.setdefault("link_times", {})  # (the time an undo gives back)
            times[str(rec.id)] = journal.enc(found.created_at)
            found.created_at = op.at  # the earlier time on both, whichever order they sync in
    op.replaced.setdefault("links", [])
    op.replaced["links"] += [str(rec.id) for rec in added]
    session.flush()
    return added


def restore_times(session: Session, target: Operation, quote: Quote) -> None:
    """Undoing an attach made on another register that found links here already and gave them its
    earlier time (:func:`link`): they have the time they had before again (the other attach's, in
    effect still), unless an attach earlier still gave them its own since."""
    for rec_id, before in (target.replaced.get("link_times") or {}).items():
        found = session.get(RecommendationQuote, (journal.uid(rec_id), quote.id))
        if found is not None and found.created_at == target.at:
            found.created_at = dt.datetime.fromisoformat(before)
    session.flush()


def hold_times(
    session: Session, target: Operation, quote: Quote, held: dict[str, dt.datetime]
) -> None:
    """Undoing an attach whose links other attaches still hold (``held``: each recommendation's
    earliest such attach): a link that had the undone attach's time takes that attach's, as it has
    on every register whichever order the attaches and the undo synced in."""
    for rec_id, earliest in held.items():
        found = session.get(RecommendationQuote, (journal.uid(rec_id), quote.id))
        if found is not None and found.created_at == target.at:
            found.created_at = earliest
    session.flush()


def unlink(session: Session, op: journal.Pending, quote: Quote, recs: list[Recommendation]) -> None:
    """Detach ``quote`` from ``recs`` (each must be attached); kept in ``op.replaced["links"]``."""
    _lock(session, quote)
    for rec in recs:
        found = session.get(RecommendationQuote, (rec.id, quote.id))
        if found is None:
            raise NotFound(f"That quote is not attached to {rec.ref}.")
        session.delete(found)
        op.changed(R.RECOMMENDATION, rec.id, ["quotes"])
    op.replaced.setdefault("links", [])
    op.replaced["links"] += [str(rec.id) for rec in recs]
    session.flush()


# a row locked for writing until the transaction ends (FOR NO KEY UPDATE on a team register; SQLite's
# write lock on a file): two clerks attaching one quote at once, the second sees the first's links;
# two quoting the same words at once (the turn locked), the second finds the first's quote
_FOR_WRITING = {"key_share": True}


def _lock(session: Session, quote: Quote) -> None:
    """Lock the quote for writing and read it (its links) as last committed: every change of its
    links (attach, detach, quoting its words for a recommendation) comes one after the other."""
    session.flush()
    session.refresh(quote, with_for_update=_FOR_WRITING)
    session.expire(quote, ["recommendation_links"])


def _quote(session: Session, quote_id: str | uuid.UUID, *, lock: bool = False) -> Quote:
    try:
        key = quote_id if isinstance(quote_id, uuid.UUID) else uuid.UUID(str(quote_id).strip())
    except ValueError:
        raise InvalidInput(f"'{quote_id}' is not a quote id.") from None
    if lock:
        quote = session.get(Quote, key, with_for_update=_FOR_WRITING, populate_existing=True)
    else:
        quote = session.get(Quote, key)
    if quote is None:
        raise NotFound(f"There is no quote {quote_id}.")
    return quote


def _links_op(
    kind: OperationKind,
    desk: Desk,
    session: Session,
    quote_id: uuid.UUID | str,
    refs: Iterable[str],
) -> journal.Pending:
    quote = _quote(session, quote_id)
    recs = [load_recommendation(session, ref) for ref in refs]
    return journal.pending(
        kind,
        {
            "quote": quote.id,
            "recommendations": [rec.id for rec in recs],
            "refs": [rec.ref for rec in recs],
        },
        desk.user,
    )


def attach_quote(
    desk: Desk, quote_id: str | uuid.UUID, refs: list[str] | tuple[str, ...]
) -> QuoteRecord:
    """Attach a quote to one or more recommendations (attaching twice changes nothing)."""
    if not refs:
        raise InvalidInput("Name at least one recommendation to attach the quote to.")
    with desk.transaction(CHANGES) as session:
        op = _links_op(OperationKind.ATTACH_QUOTE, desk, session, quote_id, refs)
        quote = apply_attach(session, op, op.payload)
        journal.write(session, op)
        return quote_record(quote)


def apply_attach(session: Session, op: journal.Pending, p: dict[str, Any]) -> Quote:
    quote = _quote(session, journal.uid(p["quote"]))
    recs = [recommendation_by_id(session, ident) for ident in p["recommendations"]]
    op.used(R.QUOTE, quote.id)
    link(session, op, quote, recs)
    op.summary = f"Attach a quote to {', '.join(rec.ref for rec in recs)}"
    return quote


def detach_quote(
    desk: Desk, quote_id: str | uuid.UUID, refs: list[str] | tuple[str, ...]
) -> QuoteRecord:
    """Detach a quote from recommendations. The quote itself is kept (it may be attached elsewhere)."""
    if not refs:
        raise InvalidInput("Name at least one recommendation to detach the quote from.")
    with desk.transaction(CHANGES) as session:
        op = _links_op(OperationKind.DETACH_QUOTE, desk, session, quote_id, refs)
        quote = apply_detach(session, op, op.payload)
        journal.write(session, op)
        return quote_record(quote)


def apply_detach(session: Session, op: journal.Pending, p: dict[str, Any]) -> Quote:
    quote = _quote(session, journal.uid(p["quote"]))
    recs = [recommendation_by_id(session, ident) for ident in p["recommendations"]]
    op.used(R.QUOTE, quote.id)
    unlink(session, op, quote, recs)
    op.summary = f"Detach a quote from {', '.join(rec.ref for rec in recs)}"
    return quote


def delete_quote(desk: Desk, quote_id: str | uuid.UUID, *, force: bool = False) -> QuoteRecord:
    """Delete a quote; refused while it is attached to a recommendation unless ``force``."""
    with desk.transaction(CHANGES) as session:
        quote = _quote(session, quote_id)
        op = journal.pending(
            OperationKind.DELETE_QUOTE, {"quote": quote.id, "force": force}, desk.user
        )
        record = apply_delete_quote(session, op, op.payload)
        journal.write(session, op)
        return record


def apply_delete_quote(session: Session, op: journal.Pending, p: dict[str, Any]) -> QuoteRecord:
    quote = _quote(session, journal.uid(p["quote"]), lock=True)
    record = quote_record(quote)
    refs = quote_refs(session, quote.id)
    if refs and not p.get("force"):
        raise Conflict(f"That quote is attached to {', '.join(refs)}; detach it first.")
    op.replaced["quote"] = journal.enc(
        {
            name: getattr(quote, name)
            for name in (
                "transcript_id",
                "segment_id",
                "start",
                "end",
                "text",
                "speaker",
                "citation",
            )
        }
    )
    op.replaced["links"] = [str(link.recommendation_id) for link in quote.recommendation_links]
    for ident in op.replaced["links"]:
        op.changed(R.RECOMMENDATION, journal.uid(ident), ["quotes"])
    session.delete(quote)
    session.flush()
    op.removed(R.QUOTE, record.id)
    op.summary = "Delete a quote" + (f" (attached to {', '.join(refs)})" if refs else "")
    return record


def restore_quote(
    session: Session, op: journal.Pending, quote_id: uuid.UUID, values: dict[str, Any]
) -> Quote:
    """Make a deleted quote again, with its id and exact words (the turn must still be there)."""
    segment = session.get(Segment, journal.uid(values["segment_id"]))
    if segment is None or segment.text[values["start"] : values["end"]] != values["text"]:
        raise Conflict("The turn that quote came from is no longer in the register.")
    quote = Quote(
        id=quote_id,
        transcript_id=segment.transcript_id,
        segment_id=segment.id,
        start=values["start"],
        end=values["end"],
        text=values["text"],
        speaker=values["speaker"],
        citation=values["citation"],
    )
    session.add(quote)
    session.flush()
    op.created(R.QUOTE, quote.id)
    return quote


def quote_refs(session: Session, quote_id: uuid.UUID) -> list[str]:
    return list(
        session.scalars(
            select(Recommendation.ref)
            .join(RecommendationQuote, RecommendationQuote.recommendation_id == Recommendation.id)
            .where(RecommendationQuote.quote_id == quote_id)
            .order_by(Recommendation.ref)
        )
    )


def quotes_for(desk: Desk, ref: str) -> tuple[QuoteRecord, ...]:
    """A recommendation's quotes in meeting order (date, then place in the meeting)."""
    return get_recommendation(desk, ref).quotes


def list_quotes(
    desk: Desk, transcript_id: str | uuid.UUID | None = None
) -> list[tuple[QuoteRecord, tuple[str, ...]]]:
    """Every quote (of one transcript, when given) with the refs it is attached to, in meeting order."""
    with desk.reading() as session:
        stmt = select(Quote)
        if transcript_id is not None:
            stmt = stmt.where(Quote.transcript_id == find_transcript(session, transcript_id).id)
        quotes = list(session.scalars(stmt))
        quotes.sort(key=lambda q: (q.transcript.meeting_date, q.segment.ordinal, q.start))
        return [(quote_record(q), tuple(quote_refs(session, q.id))) for q in quotes]
