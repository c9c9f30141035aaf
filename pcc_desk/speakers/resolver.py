"""The one person behind several ways of writing a speaker's label in one transcript."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pcc_desk.speakers.labels import (
    _PARENS,
    _QUESTION,
    CHAIR_ROLES,
    HANSARD_NUMBER,
    person_key,
    role_only_key,
    split_label,
)


@dataclass
class _Person:
    name: str
    role: str
    from_label: bool = True


def _better_form(name: str, from_label: bool, known: _Person) -> bool:
    new, old = len(name.split()), len(known.name.split())
    if new != old:
        return new > old
    if from_label != known.from_label:
        return from_label
    return known.name.isupper() and not name.isupper()


_DESIGNATIONS = (
    ("AM", "Assembly Member"),
    ("MP", "Member of Parliament"),
    ("MS", "Member of the Senedd"),
    ("MSP", "Member of the Scottish Parliament"),
    ("MLA", "Member of the Legislative Assembly"),
)


class SpeakerResolver:
    """Resolve every label of one transcript to a person, using what the transcript itself says."""

    def __init__(
        self,
        labels: list[str],
        header_people: Iterable[tuple[str, str]] = (),
        witnesses: Iterable[str] = (),
    ):
        self._people: dict[str, _Person] = {}
        self._resolved: dict[str, tuple[str, str]] = {}  # labels resolved since the last change
        for name, role in header_people:
            self._remember(name, role, from_label=False)
        for name in witnesses:
            self.remember_witness(name)
        self._labels = [split_label(w) for w in labels]
        for label in self._labels:
            if label.name and not label.is_role_only:
                self._remember(label.name, label.role or self._default_role(label.written))

    @staticmethod
    def _default_role(written: str) -> str:
        text = _PARENS.sub(" ", written)
        text = _QUESTION.sub("", text.strip())
        text = HANSARD_NUMBER.sub("", text, count=1)
        words = [w.upper().strip(".,") for w in text.split()][1:]  # after a name only
        for letters, role in _DESIGNATIONS:
            if letters in words:
                return role
        return ""

    def remember_witness(self, name: str) -> None:
        """A witness sworn, affirmed or continuing ("MR MATT HANCOCK (continued)")."""
        self._remember(name, "Witness", from_label=False)

    def _remember(self, name: str, role: str, *, from_label: bool = True) -> None:
        self._resolved.clear()
        key = person_key(name)
        if not key:
            return
        known = self._people.get(key)
        if known is None:
            # "Mr Rowley" for someone known as "Sir Mark Rowley": the same person when the surname is unique
            fuller = [p for k, p in self._people.items() if _shorter_form(key, k, name, p.name)]
            if len(fuller) == 1:
                known = fuller[0]
                if (
                    from_label
                    and not known.from_label
                    and known.name.isupper()
                    and not name.isupper()
                ):
                    known.name = _recased(known.name, name)  # "PROFESSOR SIR CHRIS WHITTY"
                if role and not known.role:
                    known.role = role
                return
            self._people[key] = _Person(name=name, role=role, from_label=from_label)
            return
        # keep the fullest form of the name ("Sir Mark Rowley" over "Mark Rowley"); of two as full,
        # the one the speaker labels use, and mixed case over capitals ("Mr Matt Hancock" over
        # "MR MATT HANCOCK"); and the first role
        if _better_form(name, from_label, known):
            known.name, known.from_label = name, from_label
        if role and (not known.role or known.role == "Witness"):
            known.role = role

    def _by_role(self, role_key: str) -> _Person | None:
        """The one person whose role holds these words ("commissioner", "deputy chair"), if exactly one."""
        wanted = _role_set(role_key.split())
        if not wanted:
            return None
        candidates = []
        for person in self._people.values():
            held = _role_set(_role_words(person.role))
            if wanted <= held and not ((held & _RANK_WORDS) - wanted):
                candidates.append(person)
        return candidates[0] if len(candidates) == 1 else None

    def resolve(self, written: str) -> tuple[str, str]:
        """(normalised speaker name, role) for a label as written (worked out once a label: a
        transcript writes the same few thousands of times)."""
        resolved = self._resolved.get(written)
        if resolved is None:
            resolved = self._resolved[written] = self._resolve(written)
        return resolved

    def _resolve(self, written: str) -> tuple[str, str]:
        label = split_label(written)
        if label.is_role_only:
            role_key = role_only_key(label.name) or ""
            person = self._by_role(role_key)
            if person is not None:
                return person.name, person.role
            shown = label.name[4:] if label.name.lower().startswith("the ") else label.name
            return shown, shown
        key = person_key(label.name)
        person = self._people.get(key)
        # "Ms Ahmed", "MS VAN DER BERG": the one person named in full with that surname, even when
        # the short form came first
        fuller = [p for k, p in self._people.items() if _shorter_form(key, k, label.name, p.name)]
        if len(fuller) == 1:
            person = fuller[0]
        if person is None:
            return label.name, label.role
        return person.name, label.role or person.role


_HE = {"mr", "sir", "lord", "baron", "viscount", "earl", "marquess", "mister"}
_SHE = {"ms", "mrs", "miss", "dame", "lady", "baroness", "viscountess", "countess", "madam"}


def _recased(capitals: str, written: str) -> str:
    """A name in capitals (from "PROFESSOR SIR CHRIS WHITTY (affirmed)") in the case the speaker
    labels write it ("Professor Sir Whitty" → "Professor Sir Chris Whitty", "McLean" kept)."""
    forms = {w.lower(): w for w in written.split() if not w.isupper()}
    return " ".join(forms.get(w.lower(), w[:1] + w[1:].lower()) for w in capitals.split())


def _shorter_form(key: str, other_key: str, name: str, other_name: str) -> bool:
    """Whether ``key`` ("van der berg") is a shorter form of ``other_key`` ("hugo van der berg")."""
    words, others = key.split(), other_key.split()
    return (
        bool(words)
        and len(others) > len(words)
        and others[-len(words) :] == words
        and _may_be(name, other_name)
    )


def _may_be(short: str, full: str) -> bool:
    """Whether "Ms Carey" may be the same person as "Dr Angela Carey" (yes) or "Mr Tom Carey" (no)."""
    titles = []
    for name in (short, full):
        words = {w.lower().strip(".") for w in name.split()}
        titles.append("he" if words & _HE else "she" if words & _SHE else "")
    return not (titles[0] and titles[1] and titles[0] != titles[1])


def _role_words(role: str) -> list[str]:
    return [w.lower().strip(".,;") for w in role.split()]


_RANK_WORDS = {"deputy", "vice", "assistant", "acting", "temporary"}


def _role_set(words: list[str]) -> set[str]:
    """Role words for matching: "Chairman", "Chairwoman" and "Chair" are the same role."""
    return {"chair" if w in CHAIR_ROLES else w for w in words} - {"the", "of", "and", "for"}
