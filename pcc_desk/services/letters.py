"""Letters and exports: the follow-up letter, the tracker, the Summary List of Actions.

Each reads the register in one session, hands plain records to :mod:`pcc_desk.letters` and writes
one file atomically (a target open in Word gives :class:`~pcc_desk.errors.FileLocked`, nothing
written). Nothing here changes the register.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session, selectinload

from pcc_desk.dates import house_date
from pcc_desk.errors import InvalidInput, NotFound
from pcc_desk.letters.wording import salutation_for as house_style
from pcc_desk.model import (
    Document,
    Quote,
    Recommendation,
    RecommendationQuote,
    Response,
    Status,
)
from pcc_desk.services import repeats
from pcc_desk.services.desk import Desk
from pcc_desk.services.dto import shown_ref
from pcc_desk.services.follow_up import updates_due
from pcc_desk.services.records import footnote_record
from pcc_desk.services.register import add_months
from pcc_desk.services.settings import CommitteeSettings, get_settings
from pcc_desk.services.sync_state import provisional_ids
from pcc_desk.vocabulary import EXPORT_FORMATS

if TYPE_CHECKING:  # python-docx waits for the first letter (pcc_desk.lazy)
    from pcc_desk.letters.export import TrackerRow
    from pcc_desk.letters.writer import ItemInput, LetterInput, OriginalLetter

REPLY_PERIOD_MONTHS = 1


@dataclass(frozen=True)
class Selection:
    """Which recommendations: by reference, by status, or awaiting a response past due."""

    refs: tuple[str, ...] = ()
    status: Status | None = None
    overdue: bool = False
    updates_due: bool = False  # a request for progress updates: the asks whose update is due

    def check(self) -> None:
        chosen = sum((bool(self.refs), self.status is not None, self.overdue, self.updates_due))
        if chosen != 1:
            raise InvalidInput(
                "Choose the recommendations one way: by reference, by status, overdue or "
                "progress updates due."
            )

    def describe(self) -> str:
        if self.refs:
            return "the references given"
        if self.status is not None:
            return f"status '{self.status.value}'"
        return "progress updates due" if self.updates_due else "overdue"


@dataclass(frozen=True)
class DraftedLetter:
    path: Path
    refs: tuple[str, ...]
    themes: tuple[str, ...]
    footnotes: int
    quotes: int
    without_response: int
    recipient: str
    salutation: str
    template: Path


@dataclass(frozen=True)
class ExportedFile:
    path: Path
    format: str
    rows: int


def salutation_for(name: str) -> str:
    """The salutation a letter to ``name`` opens with (``Dear Sir Mark,`` for Sir Mark Rowley)."""
    return house_style(name)


# --- selecting ----------------------------------------------------------------------------------


def _order_key(rec: Recommendation) -> tuple[dt.date, str, int, dt.date, str]:
    doc_date = rec.document.date if rec.document and rec.document.date else rec.made
    return (doc_date, str(rec.document_id or ""), rec.ordinal, rec.made, rec.ref)


def _select(session: Session, selection: Selection, today: dt.date) -> list[Recommendation]:
    selection.check()
    stmt = select(Recommendation).options(
        selectinload(Recommendation.theme),
        selectinload(Recommendation.document),
        selectinload(Recommendation.footnotes),
        selectinload(Recommendation.responses),
        selectinload(Recommendation.quote_links)
        .selectinload(RecommendationQuote.quote)
        .selectinload(Quote.transcript),
        selectinload(Recommendation.quote_links)
        .selectinload(RecommendationQuote.quote)
        .selectinload(Quote.segment),
    )
    if selection.refs:
        wanted = [r.strip() for r in selection.refs if r.strip()]
        recs = list(
            session.scalars(
                stmt.where(func.upper(Recommendation.ref).in_([r.upper() for r in wanted]))
            )
        )
        found = {r.ref.upper() for r in recs}
        missing = [r for r in wanted if r.upper() not in found]
        if missing:
            raise NotFound(f"There is no recommendation {', '.join(missing)} in the register.")
    elif selection.status is not None:
        recs = list(session.scalars(stmt.where(Recommendation.status == selection.status)))
    else:
        recs = list(
            session.scalars(
                stmt.where(
                    Recommendation.status == Status.AWAITING_RESPONSE, Recommendation.due < today
                )
            )
        )
    if not recs:
        raise InvalidInput(f"No recommendations match {selection.describe()}; nothing was written.")
    recs.sort(key=_order_key)
    return recs


def _in_theme_order(recs: list[Recommendation]) -> list[Recommendation]:
    """Grouped by theme, themes in the order they first appear in the original letter(s)."""
    first: dict[str, int] = {}
    for i, rec in enumerate(recs):
        first.setdefault(rec.theme.name if rec.theme else "", i)
    order = sorted(
        enumerate(recs),
        key=lambda pair: (first[pair[1].theme.name if pair[1].theme else ""], pair[0]),
    )
    return [rec for _i, rec in order]


# --- the follow-up letter -----------------------------------------------------------------------


def _item(rec: Recommendation, ask: str, committee: str, update: bool = False) -> ItemInput:
    from pcc_desk.letters import writer

    quotes = sorted(
        (link.quote for link in rec.quote_links),
        key=lambda q: (
            q.transcript.meeting_date or dt.date.min,
            q.segment.ordinal if q.segment else 0,
            q.start,
        ),
    )
    latest = rec.responses[-1] if rec.responses else None
    return writer.ItemInput(
        ref=_shown_ref(rec),
        theme=rec.theme.name if rec.theme else "",
        ask=rec.text,
        made=rec.made,
        due=rec.due,
        letter_date=rec.document.date if rec.document else None,
        footnotes=tuple(footnote_record(n) for n in rec.footnotes),
        quotes=tuple(
            writer.QuoteInput(
                text=q.text,
                speaker=q.speaker,
                citation=q.citation,
                meeting=q.transcript.meeting_date,
                committee=q.transcript.committee,
            )
            for q in quotes
        ),
        response=writer.ResponseInput(
            received=latest.received, text=latest.text, from_whom=latest.from_whom
        )
        if latest
        else None,
        follow_up_needed=rec.status is Status.FOLLOW_UP_NEEDED and not update,
        follow_up_ask=ask,
        target=rec.target,
        first_asked=_first_asked(rec),
    )


def _shown_ref(rec: Recommendation) -> str:
    """``rec``'s reference as a letter shows it: marked while it is a laptop's provisional one."""
    session = object_session(rec)
    provisional = session is not None and rec.id in provisional_ids(session)
    return shown_ref(rec.ref, provisional)


def _first_asked(rec: Recommendation) -> dt.date | None:
    """The date of the earliest ask ``rec`` repeats (confirmed links), when earlier than it."""
    session = object_session(rec)
    asked = repeats.chain_of(session, rec) if session is not None else ()
    if not asked or asked[0].ref == rec.ref:
        return None
    return asked[0].made


def _recipient_role(session: Session, name: str, settings: CommitteeSettings) -> str:
    if name.strip().lower() == settings.default_recipient.strip().lower():
        return settings.default_recipient_role
    role = session.scalars(
        select(Document.recipient_role)
        .where(
            func.lower(Document.recipient) == name.strip().lower(), Document.recipient_role != ""
        )
        .order_by(Document.date.desc())
        .limit(1)
    ).first()
    return role or ""


def _letter_input(
    desk: Desk,
    selection: Selection,
    *,
    recipient: str | None = None,
    recipient_role: str | None = None,
    salutation: str | None = None,
    cc: tuple[str, ...] | None = None,
    subject: str = "",
    letter_date: dt.date | None = None,
    reply_by: dt.date | None = None,
    asks: dict[str, str] | None = None,
    today: dt.date | None = None,
) -> tuple[LetterInput, CommitteeSettings]:
    """Everything the letter says, read from the register and the settings in one session."""
    from pcc_desk.letters import writer

    settings = get_settings(desk)
    today = today or dt.date.today()
    letter_date = letter_date or today
    asks = {k.strip().upper(): v for k, v in (asks or {}).items()}
    update = selection.updates_due
    if update:  # a request for progress updates: the asks whose update is due, asked for one
        selection.check()
        refs = tuple(u.ref for u in updates_due(desk, today))
        if not refs:
            raise InvalidInput("No progress updates are due; nothing was written.")
        selection = Selection(refs=refs)
    with desk.reading() as session:
        recs = _in_theme_order(_select(session, selection, today))
        addressees = {r.addressee.strip() for r in recs if r.addressee.strip()}
        to = (recipient or "").strip() or (
            addressees.pop() if len(addressees) == 1 else settings.default_recipient
        )
        role = (
            recipient_role if recipient_role is not None else _recipient_role(session, to, settings)
        )
        originals: list[OriginalLetter] = []
        seen: set[uuid.UUID] = set()
        for rec in recs:
            doc = rec.document
            if doc is not None and doc.id not in seen:
                seen.add(doc.id)
                originals.append(writer.OriginalLetter(doc.date, doc.subject or doc.title))
        originals.sort(key=lambda o: o.date or dt.date.min)
        items = tuple(
            _item(r, asks.get(r.ref.upper(), ""), settings.committee, update) for r in recs
        )
    letter = writer.LetterInput(
        committee=settings.committee,
        sender=settings.chair,
        sender_role=settings.chair_role,
        recipient=to,
        recipient_role=role,
        date=letter_date,
        items=items,
        originals=tuple(originals),
        cc=tuple(settings.default_cc) if cc is None else tuple(c for c in cc if c.strip()),
        salutation=(salutation or "").strip() or writer.salutation_for(to),
        subject=subject.strip(),
        reply_by=reply_by or add_months(letter_date, REPLY_PERIOD_MONTHS),
        clerk_name=settings.clerk_name,
        clerk_email=settings.clerk_email,
        wording=dict(settings.wording),
    )
    return letter, settings


@dataclass(frozen=True)
class OutlineFootnote:
    """A footnote as the letter numbers it and says it (its URLs after its text), as in the Word file."""

    number: int
    text: str


@dataclass(frozen=True)
class OutlineParagraph:
    """One paragraph of a letter as a preview shows it: its role, its text, its footnotes."""

    role: str
    text: str
    footnotes: tuple[OutlineFootnote, ...] = ()
    ask: bool = False


def outline_letter(
    desk: Desk, selection: Selection, **options: Any
) -> tuple[OutlineParagraph, ...]:
    """The letter :func:`draft_letter` would write (same options, no ``out``/``template``), as text,
    its footnotes numbered by the letter writer's own numbering."""
    from pcc_desk.letters import writer

    letter, _settings = _letter_input(desk, selection, **options)
    return tuple(
        OutlineParagraph(
            role=b.role,
            text=b.text,
            footnotes=tuple(OutlineFootnote(n.number, n.full_text) for n in b.notes),
            ask=any(isinstance(p, writer.Strong) for p in b.parts),
        )
        for b in writer.compose(letter)
    )


def draft_letter(
    desk: Desk,
    selection: Selection,
    out: str | Path,
    *,
    template: str | Path | None = None,
    **options: Any,
) -> DraftedLetter:
    """Write a follow-up letter about the selected recommendations to ``out`` (.docx).

    ``options``: ``recipient``, ``recipient_role``, ``salutation`` (default: derived from the
    recipient), ``cc`` (default: from settings), ``subject``, ``letter_date``, ``reply_by``, ``asks``
    (ref → the clerk's own words for that ask) and ``today`` (for ``overdue``).
    """
    from pcc_desk.letters import writer

    out = Path(out)
    if out.suffix.lower() != ".docx":
        raise InvalidInput(f"{out.name}: a letter is written as a Word .docx file; name it ….docx.")
    letter, settings = _letter_input(desk, selection, **options)
    template_path = Path(template or settings.letter_template or writer.default_template())
    written = writer.write_letter(letter, out, template_path)
    items = letter.items
    return DraftedLetter(
        path=written.path,
        refs=tuple(i.ref for i in items),
        themes=tuple(dict.fromkeys(i.theme for i in items)),
        footnotes=written.footnotes,
        quotes=sum(len(i.quotes) for i in items),
        without_response=sum(1 for i in items if i.response is None),
        recipient=letter.recipient,
        salutation=letter.salutation,
        template=template_path,
    )


# --- tracker and summary of actions ---------------------------------------------------------------


def _all_in_order(
    session: Session, selection: Selection | None, today: dt.date
) -> list[Recommendation]:
    if selection is not None and (
        selection.refs or selection.status is not None or selection.overdue
    ):
        return _select(session, selection, today)
    stmt = select(Recommendation).options(
        selectinload(Recommendation.theme),
        selectinload(Recommendation.document),
        selectinload(Recommendation.responses),
    )
    return sorted(session.scalars(stmt), key=_order_key)


def tracker_rows(
    desk: Desk, selection: Selection | None = None, today: dt.date | None = None
) -> list[TrackerRow]:
    from pcc_desk.letters.export import TrackerRow

    with desk.reading() as session:
        recs = _all_in_order(session, selection, today or dt.date.today())
        rows = []
        for rec in recs:
            latest = rec.responses[-1] if rec.responses else None
            rows.append(
                TrackerRow(
                    ref=_shown_ref(rec),
                    theme=rec.theme.name if rec.theme else "",
                    ask=rec.text,
                    latest_response=latest.text if latest else "",
                    response_date=latest.received if latest else None,
                    position=latest.position.label if latest else "",
                    implementation=latest.implementation.label if latest else "",
                    assessment=latest.assessment.label if latest else "",
                    status=rec.status.label,
                    due=rec.due,
                )
            )
        return rows


FORMATS = EXPORT_FORMATS


def export_tracker(
    desk: Desk,
    out: str | Path,
    fmt: str | None = None,
    selection: Selection | None = None,
    today: dt.date | None = None,
) -> ExportedFile:
    """The register as a Word table, a .csv or a .xlsx file (formula-like cells neutralised)."""
    from pcc_desk.letters import export

    out = Path(out)
    fmt = (fmt or out.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise InvalidInput(f"Export format '{fmt}' is not one of: {', '.join(FORMATS)}.")
    if out.suffix.lower() != f".{fmt}":
        raise InvalidInput(f"{out.name}: a {fmt} export should be named ….{fmt}.")
    rows = tracker_rows(desk, selection, today)
    settings = get_settings(desk)
    if fmt == "csv":
        export.write_tracker_csv(rows, out)
    elif fmt == "xlsx":
        export.write_tracker_xlsx(rows, out)
    else:
        export.write_tracker_docx(
            rows,
            out,
            title=f"{settings.committee}: recommendations tracker",
            date=today or dt.date.today(),
        )
    return ExportedFile(path=out, format=fmt, rows=len(rows))


def summary_of_actions(
    desk: Desk,
    out: str | Path,
    *,
    selection: Selection | None = None,
    meeting: dt.date | None = None,
    include_closed: bool = False,
    today: dt.date | None = None,
) -> ExportedFile:
    """The Committee's "Summary List of Actions" (minute item | action required | status | action by)."""
    from pcc_desk.letters import export

    out = Path(out)
    if out.suffix.lower() != ".docx":
        raise InvalidInput(
            f"{out.name}: the Summary List of Actions is written as a Word .docx file."
        )
    settings = get_settings(desk)
    with desk.reading() as session:
        recs = _all_in_order(session, selection, today or dt.date.today())
        if not include_closed and not (selection and (selection.refs or selection.status)):
            recs = [r for r in recs if r.status.is_open]
        rows = []
        for rec in recs:
            latest = rec.responses[-1] if rec.responses else None
            rows.append(
                export.ActionRow(
                    minute_item=_minute_item(rec),
                    action=rec.text,
                    status=_action_status(rec, latest),
                    action_by=rec.addressee or settings.default_recipient,
                    ref=_shown_ref(rec),
                )
            )
    heading = settings.committee + (f" – {house_date(meeting)}" if meeting else "")
    export.write_summary_of_actions(rows, out, heading=heading)
    return ExportedFile(path=out, format="docx", rows=len(rows))


def _minute_item(rec: Recommendation) -> str:
    doc = rec.document
    if doc is not None and doc.date:
        kind = {
            "letter": "Letter",
            "report": "Report",
            "minutes": "Meeting",
            "transcript": "Meeting",
        }.get(doc.kind.value, "Document")
        return f"{kind} of {house_date(doc.date)}\n{_shown_ref(rec)}"
    return f"{_shown_ref(rec)}, made {house_date(rec.made)}"


def _action_status(rec: Recommendation, latest: Response | None) -> str:
    if latest is None:
        if rec.status is Status.AWAITING_RESPONSE:
            return f"Awaiting response (due {house_date(rec.due)})."
        return f"{rec.status.label}."
    detail = f"Response received {house_date(latest.received)}: {latest.position.label.lower()}"
    if latest.implementation.value != "not-stated":
        detail += f", {latest.implementation.label.lower()}"
    return f"{rec.status.label}. {detail}."
