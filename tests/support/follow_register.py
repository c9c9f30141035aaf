"""A small register whose figures are worked out by hand (tests/test_statistics.py says how), built
through the services the way a clerk builds it: seven asks, two addressees and one without, two
themes and one without, made in 2023 and 2024, answered early, late or not at all, one closed as
implemented, one closed as not accepted, one with its due date put back. The figures are taken on
:data:`TODAY`."""

from __future__ import annotations

import datetime as dt

from pcc_desk.model import Assessment, Implementation, Position, ResponseKind, Status
from pcc_desk.services import register

TODAY = dt.date(2024, 6, 30)
MET = "Metropolitan Police Service"
MOPAC = "MOPAC"
STOP = "Stop and search"
NEIGHBOURHOOD = "Neighbourhood policing"


def _respond(desk, ref, received, position, implementation=Implementation.NOT_STATED, **kw):
    register.log_response(
        desk,
        ref,
        received=received,
        position=position,
        implementation=implementation,
        assessment=Assessment.NOT_YET_ASSESSED,
        text=f"Response of {received.isoformat()}.",
        from_whom="The Met",
        **kw,
    )


def build(desk) -> dict[str, str]:
    """The asks A1…A7 (name → reference)."""

    def add(name, made, addressee, theme):
        refs[name] = register.add_recommendation(
            desk, f"Ask {name}", made=made, addressee=addressee, theme=theme
        ).ref

    refs: dict[str, str] = {}
    add("A1", dt.date(2023, 1, 10), MET, STOP)  # due 10 Mar 2023
    add("A2", dt.date(2023, 1, 10), MET, STOP)
    add("A3", dt.date(2023, 6, 5), MOPAC, NEIGHBOURHOOD)  # due 5 Aug 2023
    add("A4", dt.date(2023, 6, 5), MOPAC, NEIGHBOURHOOD)
    add("A5", dt.date(2024, 5, 20), MET, NEIGHBOURHOOD)  # due 20 Jul 2024: not yet
    add("A6", dt.date(2024, 2, 1), MET, STOP)  # due 1 Apr 2024
    add("A7", dt.date(2023, 9, 1), "", None)  # due 1 Nov 2023, put back to 31 Dec 2024
    # A1: on time (50 days), accepted, in progress
    _respond(desk, refs["A1"], dt.date(2023, 3, 1), Position.ACCEPTED, Implementation.IN_PROGRESS)
    # A2: late (100 days), not accepted, closed
    _respond(desk, refs["A2"], dt.date(2023, 4, 20), Position.NOT_ACCEPTED)
    register.change_status(desk, refs["A2"], Status.CLOSED_NOT_ACCEPTED, "Not accepted")
    # A3: on time (30 days), partly accepted, reported complete, verified and closed
    _respond(
        desk,
        refs["A3"],
        dt.date(2023, 7, 5),
        Position.PARTLY_ACCEPTED,
        Implementation.REPORTED_COMPLETE,
    )
    register.change_status(desk, refs["A3"], Status.CLOSED_IMPLEMENTED, "Verified")
    # A6: on time (43 days: 2024 is a leap year), accepted; a progress update reports it complete
    _respond(desk, refs["A6"], dt.date(2024, 3, 15), Position.ACCEPTED, Implementation.NOT_STARTED)
    _respond(
        desk,
        refs["A6"],
        dt.date(2024, 5, 1),
        None,
        Implementation.REPORTED_COMPLETE,
        kind=ResponseKind.PROGRESS_UPDATE,
    )
    register.revise_due(desk, refs["A7"], dt.date(2024, 12, 31), "Extension agreed")
    return refs
