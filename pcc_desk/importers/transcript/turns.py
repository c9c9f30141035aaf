"""Paragraphs into speaker turns: which labels are speakers, who answers and who asks in inquiry
evidence, each turn's person and role, and notes on what was read without confidence."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pcc_desk.importers.transcript.header import _header_facts
from pcc_desk.importers.transcript.labels import (
    _QA,
    inquiry_style,
    match_label,
    questions_from,
    witness_called,
)
from pcc_desk.importers.transcript.model import MAX_HEADER_PARAGRAPHS, ParsedSegment, _Para
from pcc_desk.speakers import (
    POST_NOMINALS,
    PREFIXES,
    SpeakerResolver,
    person_key,
    role_only_key,
    split_label,
)

_ROLE_HINTS = {
    "chair",
    "chairman",
    "chairwoman",
    "chairperson",
    "commissioner",
    "mayor",
    "clerk",
    "witness",
    "minister",
    "secretary",
    "director",
    "officer",
    "superintendent",
    "commander",
    "inspector",
    "chief",
    "member",
    "speaker",
}


def _strong(label: str, known_role_words: set[str]) -> bool:
    """A label that says by itself that it is a speaker: a question number, a role, an honour, a form of
    address, or a role written for a name ("The Commissioner")."""
    parsed = split_label(label)
    words = re.sub(r"\([^()]*\)", " ", label).split()
    if parsed.question is not None or parsed.role:
        return True
    if any(w.upper().rstrip(".,") in POST_NOMINALS for w in words[1:]):
        return True
    if parsed.name.split() and parsed.name.split()[0].lower().strip(".") in PREFIXES - {"the"}:
        return True
    key = role_only_key(parsed.name)
    if key is not None:
        role_words = set(key.split()) - {"the", "of", "and", "for"}
        return bool(role_words & _ROLE_HINTS) or (
            bool(role_words) and role_words <= known_role_words
        )
    return False


@dataclass
class _Turn:
    label: str  # as written ("MR KEITH", "THE WITNESS"), or "Q" / "A"
    texts: list[str]
    page: int | None
    who: str | None = (
        None  # the person speaking, when the label does not say (the witness, counsel)
    )
    kind: str = "label"  # "label" | "qa"


def _same_person(label: str, other: str | None) -> bool:
    if not other:
        return False
    a, b = person_key(split_label(label).name), person_key(split_label(other).name)
    return bool(a and b) and (a == b or a.split()[-1] == b.split()[-1])


def segments_from_paragraphs(
    paras: list[_Para],
) -> tuple[list[str], list[ParsedSegment], list[str]]:
    """Header paragraphs (before the first speaker), the speaker turns, and notes on what was read
    without confidence.

    A bare "Firstname Lastname:" is a speaker only when the transcript shows elsewhere that the person
    speaks (a label with a role or honour, or the same bare label twice); otherwise "Operation Trident:"
    at the start of a paragraph would end the turn it belongs to.

    Public inquiry evidence: "THE WITNESS" and answers ("A. …") are the witness last called ("MR X
    (sworn)", "MR X (continued)"); questions ("Q. …") are asked by the last speaker whose words the
    witness answered ("MR KEITH: Could you give your full name?" / "A. …"), or else by the one named
    in "Questions from MR Y". (A transcript names counsel again when they take over from the chair.)
    """
    found = [match_label(p.text) for p in paras]
    # each distinct label is weighed once (a transcript writes the same few thousands of times)
    label_counts = Counter(item[0] for item in found if item)
    known_role_words: set[str] = set()
    for label in label_counts:
        for role in re.findall(r"\(([^()]*)\)", label):
            known_role_words.update(w.lower().strip(".,;") for w in role.split())
    strong = {label: _strong(label, known_role_words) for label in label_counts}
    keys = {label: person_key(split_label(label).name) for label in label_counts}
    strong_keys: set[str] = set()
    bare_counts: dict[str, int] = {}
    for label, count in label_counts.items():
        if strong[label]:
            strong_keys.add(keys[label])
        else:
            bare_counts[keys[label]] = bare_counts.get(keys[label], 0) + count
    strong_surnames = {k.split()[-1] for k in strong_keys if k}

    def weighed(label: str) -> bool:
        key = keys[label]
        return (
            key in strong_keys
            or bare_counts.get(key, 0) >= 2
            or bool(key.split()[-1:] and key.split()[-1] in strong_surnames)
        )

    accepted = {label: strong[label] or weighed(label) for label in label_counts}
    as_witness = {
        label: role_only_key(split_label(label).name) == "witness" for label in label_counts
    }

    called_at = [witness_called(p.text) for p in paras]  # read once, for the style and the turns
    qa = inquiry_style([p.text for p in paras], called_at)
    header: list[str] = []
    turns: list[_Turn] = []
    witnesses: list[str] = []
    doubtful: list[str] = []  # labels seen once, with nothing to say they are speakers
    witness: str | None = None  # the witness giving evidence now
    questioner: str | None = None  # whoever asks the "Q." questions now
    for para, item, called in zip(paras, found, called_at, strict=True):
        if called is not None:
            witness, questioner = called, None
            witnesses.append(called)
        asking = questions_from(para.text)
        if asking is not None:
            questioner = asking or None
        qa_item = _QA.match(para.text) if qa else None
        if qa_item:
            kind, rest = qa_item.group("qa"), qa_item.group("rest").strip()
            previous = turns[-1] if turns else None
            if (
                kind == "A"
                and previous is not None
                and previous.kind == "label"
                and previous.who is None
                and not _same_person(previous.label, witness)
            ):
                questioner = (
                    previous.label
                )  # the witness answers their question: they ask the "Q."s
            who = witness if kind == "A" else questioner
            turns.append(_Turn(kind, [rest], para.page, who=who, kind="qa"))
        elif item and (para.label or accepted[item[0]]):
            label, rest = item
            who = witness if as_witness[label] else None
            turns.append(_Turn(label, [rest.strip()] if rest.strip() else [], para.page, who=who))
        elif turns:
            if item:
                doubtful.append(item[0])
            turns[-1].texts.append(para.text)
            if turns[-1].page is None:
                turns[-1].page = para.page
        else:
            header.append(para.text)
    header_facts = _header_facts(header[:MAX_HEADER_PARAGRAPHS])
    labels = [t.label for t in turns if t.kind == "label"]
    askers = [(t.who, "") for t in turns if t.kind == "qa" and t.label == "Q" and t.who]
    resolver = SpeakerResolver(labels, header_facts[3] + askers, witnesses)
    segments = []
    for turn in turns:
        text = "\n\n".join(t for t in turn.texts if t).strip()
        if not text:
            continue
        written = split_label(turn.label).written
        if turn.who:
            name, role = resolver.resolve(turn.who)
        elif turn.kind == "qa":
            name, role = ("Witness", "Witness") if turn.label == "A" else (turn.label, "")
        else:
            name, role = resolver.resolve(turn.label)
        segments.append(
            ParsedSegment(speaker=written, speaker_name=name, role=role, text=text, page=turn.page)
        )
    return header, segments, _notes(turns, doubtful)


def _notes(turns: list[_Turn], doubtful: list[str]) -> list[str]:
    """One line each on what the clerk should check."""
    notes = []
    if doubtful:
        shown = ", ".join(f"'{label}:'" for label in doubtful[:3]) + (
            " …" if len(doubtful) > 3 else ""
        )
        notes.append(
            f"{len(doubtful)} paragraph(s) start like a speaker seen only once, with no title, role "
            f"or honour ({shown}): kept as words of the turn before."
        )
    answers = sum(1 for t in turns if t.kind == "qa" and t.label == "A" and not t.who)
    if answers:
        notes.append(
            f"{answers} answer(s) ('A.') come before any witness is called ('MR X (sworn)'): "
            "their speaker is shown as 'Witness'."
        )
    questions = sum(1 for t in turns if t.kind == "qa" and t.label == "Q" and not t.who)
    if questions:
        notes.append(
            f"{questions} question(s) ('Q.') come before it is known who asks them: their speaker "
            "is shown as 'Q'."
        )
    return notes
