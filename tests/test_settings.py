import pytest

from pcc_desk.services import Desk
from pcc_desk.services.settings import CommitteeSettings, get_settings, save_settings

# a laptop's file and a team register (PostgreSQL)
pytestmark = pytest.mark.backends("sqlite", "postgresql")


def test_settings_default_and_persist(register_db):
    with Desk.open(register_db) as desk:
        assert get_settings(desk).chair == "Susan Hall AM"
        save_settings(
            desk,
            CommitteeSettings(
                chair="Jane Doe AM", default_cc=("A, B",), wording={"closing": "Thanks"}
            ),
        )
    with Desk.open(register_db) as desk:
        s = get_settings(desk)
        assert (s.chair, s.default_cc, s.wording) == (
            "Jane Doe AM",
            ("A, B",),
            {"closing": "Thanks"},
        )
