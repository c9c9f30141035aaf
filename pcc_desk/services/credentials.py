"""A team register's password: kept by the system keyring, never in a file.

The desktop remembers which register to open (a file, or a team register's address without its
password) in the user's own settings; the password goes to the system keyring (Windows Credential
Manager, macOS Keychain, the Secret Service on Linux) under :data:`SERVICE`, named by the login,
server and database (:func:`account`). Where there is no keyring backend (a bare Linux session, a
server without a desktop), nothing is kept: :func:`keyring_usable` is False and the desktop asks for
the password each time it starts. The password travels to the driver inside the address the Desk is
opened with (:func:`with_password`); every message and the status bar name the register without it
(``Location.describe``, ``postgres.describe_host``).
"""

from __future__ import annotations

import contextlib
from typing import Any
from urllib.parse import quote

from sqlalchemy.engine import URL, make_url

from pcc_desk import postgres
from pcc_desk.errors import InvalidInput

SERVICE = "PCC Desk team register"


def _parsed(url: str) -> URL:
    try:
        return make_url(postgres.normalise_url(url))
    except Exception:  # sqlalchemy.exc.ArgumentError: not a URL
        raise InvalidInput(
            f"'{without_password(url)}' is not the address of a team register; give one such as "
            "postgresql+psycopg://alice@server.example/pcc_register."
        ) from None


def check_team_url(url: str) -> str:
    """The team register's address as the settings keep it (no password in it), or
    :class:`InvalidInput` in one line."""
    url = url.strip()
    if not url or not postgres.is_server_url(url):
        raise InvalidInput(
            "A team register's address starts with postgresql:// (e.g. "
            "postgresql+psycopg://alice@server.example/pcc_register)."
        )
    parsed = _parsed(url)
    if not parsed.database:
        raise InvalidInput(
            "The team register's address must end with the database's name (e.g. .../pcc_register)."
        )
    return without_password(url)


def without_password(url: str) -> str:
    """``url`` with any password taken out (for the settings and for messages); as typed when it
    has none."""
    if "://" not in url:
        return url
    try:
        parsed = make_url(url)
    except Exception:
        return url.split("://", 1)[0] + "://…"
    if parsed.password is None:
        return url
    scheme, rest = url.split("://", 1)  # the rest kept as typed (a socket folder stays readable)
    end = rest.find("/") if "/" in rest else len(rest)
    userinfo, _, host = rest[:end].rpartition("@")
    plain = f"{scheme}://{userinfo.split(':', 1)[0]}@{host}{rest[end:]}"
    try:
        cut = make_url(plain)
    except Exception:
        cut = None
    if cut is not None and cut.password is None and cut.username == parsed.username:
        return plain
    return parsed._replace(password=None).render_as_string(hide_password=False)


def same_register(a: str, b: str) -> bool:
    """True when two addresses name the same login, server and database (passwords aside)."""
    try:
        return bool(_parsed(a)._replace(password=None) == _parsed(b)._replace(password=None))
    except InvalidInput:
        return False


def password_in(url: str) -> str | None:
    """The password typed into ``url`` itself, if any."""
    try:
        return make_url(url).password
    except Exception:
        return None


def with_password(url: str, password: str | None) -> str:
    """The address the Desk is opened with: ``url`` carrying ``password`` (or as it is)."""
    if not password:
        return url
    parsed = _parsed(url)
    plain = without_password(url)  # the rest kept as typed (a socket folder stays readable)
    scheme, rest = plain.split("://", 1)
    end = rest.find("/") if "/" in rest else len(rest)
    user, _, host = rest[:end].rpartition("@")
    carrying = f"{scheme}://{user}:{quote(password, safe='')}@{host}{rest[end:]}"
    try:
        if make_url(carrying).password == password:
            return carrying
    except Exception:
        pass
    return str(parsed.set(password=password).render_as_string(hide_password=False))


def account(url: str) -> str:
    """The keyring's name for the password: ``login@host/database`` (no password)."""
    parsed = _parsed(url)
    return f"{parsed.username or ''}@{postgres.describe_host(url)}/{parsed.database or ''}"


def _keyring() -> tuple[Any, Any]:
    """The keyring module and its active backend, or (None, None) when none can keep a secret."""
    try:
        import keyring
        from keyring.backends import chainer, fail
    except ImportError:  # installed without the 'team' extra
        return None, None
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken keyring configuration is the same as none
        return None, None
    if isinstance(backend, fail.Keyring) or type(backend).__module__ == "keyring.backends.null":
        return None, None
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return None, None
    return keyring, backend


def keyring_usable() -> bool:
    """True when this computer has a system keyring to keep the password in."""
    return _keyring()[1] is not None


def stored_password(url: str) -> str | None:
    """The password the keyring keeps for the register at ``url`` (None: none kept, or no keyring)."""
    keyring, backend = _keyring()
    if backend is None:
        return None
    try:
        kept = backend.get_password(SERVICE, account(url))
    except keyring.errors.KeyringError:
        return None
    return None if kept is None else str(kept)


def keep_password(url: str, password: str) -> bool:
    """Keep ``password`` in the keyring for the register at ``url``; False when there is no keyring
    (then nothing is kept anywhere, and the desktop asks again at the next start)."""
    keyring, backend = _keyring()
    if backend is None or not password:
        return False
    try:
        backend.set_password(SERVICE, account(url), password)
    except keyring.errors.KeyringError:
        return False
    return True


def forget_password(url: str) -> None:
    keyring, backend = _keyring()
    if backend is None:
        return
    with contextlib.suppress(keyring.errors.KeyringError):
        backend.delete_password(SERVICE, account(url))
