"""Speaker labels as transcripts write them, and the one person behind several ways of writing them.

``Sir Mark Rowley QPM (Commissioner of Police of the Metropolis)``, ``Sir Mark Rowley`` and, once the
transcript has said who the Commissioner is, ``The Commissioner`` all become the speaker
``Sir Mark Rowley`` with the role ``Commissioner of Police of the Metropolis``. Honours and post-nominals
(QPM, AM, OBE, MP...) are dropped from the name; a role in brackets is kept as the role.

A word that is both a form of address and post-nominal letters is read by its place: ``Ms Carey`` and
``MS CAREY`` are Ms Carey, ``Mark Drakeford MS`` is a Member of the Senedd. Brackets that only say how
someone speaks (``(continued)``, ``(sworn)``, ``(via video link)``) are not a role. Hansard writes the
role first and the person in brackets (``The Prime Minister (Rishi Sunak)``, ``Sir Keir Starmer
(Holborn and St Pancras) (Lab)``): both are read.
"""

from __future__ import annotations

from pcc_desk.speakers.labels import (
    CHAIR_ROLES,
    HANSARD_NUMBER,
    PARTIES,
    POST_NOMINALS,
    PREFIXES,
    ROLE_WORDS_ONLY,
    Label,
    drop_post_nominals,
    is_not_a_role,
    is_office,
    looks_like_a_name,
    person_key,
    role_only_key,
    split_label,
    surname,
)
from pcc_desk.speakers.resolver import SpeakerResolver

__all__ = [
    "CHAIR_ROLES",
    "HANSARD_NUMBER",
    "PARTIES",
    "POST_NOMINALS",
    "PREFIXES",
    "ROLE_WORDS_ONLY",
    "Label",
    "SpeakerResolver",
    "drop_post_nominals",
    "is_not_a_role",
    "is_office",
    "looks_like_a_name",
    "person_key",
    "role_only_key",
    "split_label",
    "surname",
]
