"""A team register's password: in the address the Desk is opened with, never in what is kept or shown;
kept by a real keyring backend (in memory here), nothing kept without one."""

from __future__ import annotations

import random
import string

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail
from sqlalchemy.engine import make_url

from pcc_desk import postgres
from pcc_desk.errors import InvalidInput
from pcc_desk.services import credentials

ADDRESSES = [
    "postgresql+psycopg://alice@server.example/pcc_register",
    "postgresql://alice@server.example:6432/pcc_register?sslmode=require",
    "postgresql+psycopg://alice@/pcc_register?host=/tmp/pcc socket&port=5433",
    "postgres://o.brien@db.internal/register_2026",
]


def passwords(seed: int, count: int = 6) -> list[str]:
    """Passwords with the characters that break a URL written by hand (@ : / % ? # & spaces)."""
    rng = random.Random(seed)
    alphabet = string.ascii_letters + string.digits + "@:/%?#&+= £é'\""
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24))) for _ in range(count)]


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.secrets.get((service, username))

    def set_password(self, service, username, password):
        self.secrets[(service, username)] = password

    def delete_password(self, service, username):
        self.secrets.pop((service, username), None)


@pytest.fixture
def use_keyring():
    before = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(before)


@pytest.mark.parametrize("address", ADDRESSES)
@pytest.mark.parametrize("seed", [1, 2])
def test_a_password_travels_in_the_address_and_comes_out_of_it_whole(address, seed):
    for password in passwords(seed):
        carrying = credentials.with_password(address, password)
        parsed = make_url(carrying)
        assert parsed.password == password and parsed.username == make_url(address).username
        assert parsed.query == make_url(address).query and parsed.database
        plain = credentials.without_password(carrying)
        assert plain == address  # as typed: a socket folder stays readable
        assert credentials.check_team_url(carrying) == address
        assert credentials.same_register(carrying, address)
        # what is shown or printed of it never holds the password
        assert postgres.describe_host(carrying) == postgres.describe_host(address)
        as_bob = make_url(postgres.url_as(carrying, "bob"))
        assert as_bob.username == "bob" and as_bob.password is None


@pytest.mark.parametrize(
    "typed", ["", "mysql://alice@server/pcc", "postgresql://alice@server.example/", "not a url"]
)
def test_an_address_that_is_not_a_team_register_is_one_line(typed):
    with pytest.raises(InvalidInput) as refused:
        credentials.check_team_url(typed)
    assert "\n" not in str(refused.value)


def test_the_keyring_keeps_one_password_per_login_server_and_database(use_keyring):
    backend = MemoryKeyring()
    use_keyring(backend)
    assert credentials.keyring_usable()
    for n, address in enumerate(ADDRESSES):
        assert credentials.keep_password(address, f"secret {n}")
    for n, address in enumerate(ADDRESSES):
        assert credentials.stored_password(credentials.with_password(address, "other")) == (
            f"secret {n}"
        )
    assert len(backend.secrets) == len(ADDRESSES)
    assert all(service == credentials.SERVICE for service, _ in backend.secrets)
    assert not any(":" in name.split("@")[0] for _, name in backend.secrets)
    credentials.forget_password(ADDRESSES[0])
    assert credentials.stored_password(ADDRESSES[0]) is None


@pytest.mark.parametrize("backend", [fail.Keyring, lambda: chainer.ChainerBackend()])
def test_without_a_keyring_backend_nothing_is_kept(use_keyring, backend, monkeypatch):
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [], raising=False)
    use_keyring(backend())
    assert not credentials.keyring_usable()
    assert credentials.keep_password(ADDRESSES[0], "secret") is False
    assert credentials.stored_password(ADDRESSES[0]) is None
