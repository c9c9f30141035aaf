from pcc_desk.services import Desk
from pcc_desk.services.settings import CommitteeSettings, get_settings, save_settings


def test_settings_default_and_persist(db_path):
    with Desk.open(db_path) as desk:
        assert get_settings(desk).chair == "Susan Hall AM"
        save_settings(
            desk,
            CommitteeSettings(
                chair="Jane Doe AM", default_cc=("A, B",), wording={"closing": "Thanks"}
            ),
        )
    with Desk.open(db_path) as desk:
        s = get_settings(desk)
        assert (s.chair, s.default_cc, s.wording) == (
            "Jane Doe AM",
            ("A, B",),
            {"closing": "Thanks"},
        )
