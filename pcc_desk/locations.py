"""Is this a safe place for the register? The location guard.

SQLite keeps one file and relies on the operating system's file locks and on writes reaching the disk
in order. Sync clients (OneDrive, Dropbox, Google Drive, iCloud Drive) copy the file while it is being
written, and may put back an older copy or a conflicted one; network file systems (SMB/CIFS, NFS) have
locks that do not work reliably. Both corrupt SQLite databases. So a database path in either kind of
place is refused with an explanation, unless the clerk insists (``--allow-unsafe-location``).

:func:`classify` works on the path's text, so it can be tested on any platform with sample paths; the
facts it needs from the running system (environment, mount table, Windows drive types) are gathered by
:func:`system_facts` and can be injected.
"""

from __future__ import annotations

import ctypes
import enum
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

from pcc_desk.errors import UnsafeLocation


class Place(enum.Enum):
    LOCAL = "local"
    CLOUD_SYNC = "cloud-sync"
    NETWORK = "network"


@dataclass(frozen=True)
class Verdict:
    place: Place
    reason: str = ""  # what was recognised, e.g. "a OneDrive folder"

    @property
    def safe(self) -> bool:
        return self.place is Place.LOCAL


# Folder names that sync clients create. Compared case-insensitively, one path component at a time.
_CLOUD_NAMES = {
    "onedrive": "OneDrive",
    "dropbox": "Dropbox",
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "icloud drive": "iCloud Drive",
    "iclouddrive": "iCloud Drive",  # iCloud for Windows
    "box sync": "Box",
    "nextcloud": "Nextcloud",
    "owncloud": "ownCloud",
    "pclouddrive": "pCloud",
}
# "OneDrive - Greater London Authority", "Dropbox (Personal)", "Dropbox (GLA)"
_CLOUD_PREFIXES = (("onedrive - ", "OneDrive"), ("dropbox (", "Dropbox"))
# What sync programs leave in the folder they keep in sync, whatever it is called: Syncthing's
# marker folder, Dropbox's marker file, Resilio Sync's own folder.
_SYNC_MARKERS = (
    (".stfolder", "a Syncthing folder"),
    (".dropbox", "a Dropbox folder"),
    (".dropbox.cache", "a Dropbox folder"),
    (".sync/IgnoreList", "a Resilio Sync folder"),
)
# GNOME's gvfs mounts shares under /run/user/<uid>/gvfs/<kind>:<details> (older: ~/.gvfs), through a
# FUSE bridge without the file locks SQLite needs. The kinds that are cloud storage; the others are
# network shares (smb-share, sftp, dav, ftp, nfs, afp-volume…) or devices (mtp, gphoto2, afc).
_GVFS_CLOUD = {"google-drive": "Google Drive", "onedrive": "OneDrive"}
_GVFS_DEVICES = ("mtp", "gphoto2", "afc")
# Google Drive for desktop on Windows mounts a virtual drive whose root holds these folders.
_GOOGLE_DRIVE_ROOTS = {"my drive", "shared drives", "other computers"}
_ONEDRIVE_ENV = ("OneDrive", "OneDriveCommercial", "OneDriveConsumer")

# File-system types that are network (or otherwise remote) file systems on Linux.
NETWORK_FS_TYPES = frozenset(
    {
        "nfs", "nfs4", "cifs", "smbfs", "smb3", "ncpfs", "afs", "coda", "ceph", "glusterfs", "lustre",
        "gpfs", "ocfs2", "gfs2", "davfs", "fuse.sshfs", "fuse.davfs2", "fuse.rclone", "fuse.s3fs",
        "fuse.gcsfuse", "fuse.glusterfs", "fuse.cephfs", "sshfs", "9p.remote", "fuse.onedriver",
        "fuse.google-drive-ocamlfuse", "fuse.dropbox", "fuse.gdfs", "fuse.gvfsd-fuse",
        "fuse.gvfs-fuse-daemon",
    }
)  # fmt: skip
DRIVE_REMOTE = 4  # GetDriveTypeW


@dataclass(frozen=True)
class SystemFacts:
    """What :func:`classify` needs to know about the machine; injectable for tests."""

    platform: str  # sys.platform: "win32", "darwin", "linux"
    env: Mapping[str, str] = field(default_factory=dict)
    mounts: tuple[tuple[str, str], ...] = ()  # (mount point, fs type), Linux
    drive_type: Callable[[str], int] | None = None  # Windows: GetDriveTypeW("X:\\")
    cloud_file: Callable[[str], bool] | None = None  # Windows: managed by a Cloud Files provider?
    exists: Callable[[str], bool] | None = None  # does this path exist (sync programs' markers)?


def _read_proc_mounts() -> tuple[tuple[str, str], ...]:
    try:
        text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ()
    return parse_mounts(text)


def parse_mounts(text: str) -> tuple[tuple[str, str], ...]:
    """``/proc/mounts`` lines → (mount point, fs type); octal escapes (``\\040`` for space) decoded."""
    found = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3:
            point = parts[1].encode("latin-1", "replace").decode("unicode_escape", "replace")
            found.append((point, parts[2]))
    return tuple(found)


def _windows_drive_type(root: str) -> int:
    if sys.platform != "win32":
        raise OSError("drive types are read on Windows only")
    return int(ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)))


# Windows marks files and folders that a Cloud Files provider (OneDrive, SharePoint libraries synced
# by OneDrive, iCloud for Windows, Dropbox, Box...) manages with these attributes or reparse tag.
FILE_ATTRIBUTE_RECALL_ON_OPEN = 0x00040000
FILE_ATTRIBUTE_PINNED = 0x00080000
FILE_ATTRIBUTE_UNPINNED = 0x00100000
FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS = 0x00400000
_CLOUD_ATTRIBUTES = (
    FILE_ATTRIBUTE_RECALL_ON_OPEN
    | FILE_ATTRIBUTE_PINNED
    | FILE_ATTRIBUTE_UNPINNED
    | FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS
)
IO_REPARSE_TAG_CLOUD = 0x9000001A  # with the 0x0000F000 bits masked out (CLOUD_1 … CLOUD_F)


def _windows_cloud_file(path: str) -> bool:
    """Is the nearest existing folder of ``path`` (or the file) managed by a Cloud Files provider?"""
    current = Path(path)
    for candidate in (current, *current.parents):
        try:
            st = os.stat(candidate, follow_symlinks=False)
        except OSError:
            continue
        attributes = getattr(st, "st_file_attributes", 0)
        tag = getattr(st, "st_reparse_tag", 0)
        return bool(attributes & _CLOUD_ATTRIBUTES) or (tag & 0xFFFF0FFF) == IO_REPARSE_TAG_CLOUD
    return False


def system_facts() -> SystemFacts:
    platform = sys.platform
    return SystemFacts(
        platform=platform,
        env={k: v for k, v in os.environ.items() if k in _ONEDRIVE_ENV},
        mounts=_read_proc_mounts() if platform.startswith("linux") else (),
        drive_type=_windows_drive_type if platform == "win32" else None,
        cloud_file=_windows_cloud_file if platform == "win32" else None,
        exists=os.path.exists,
    )


def _pure(path: str | os.PathLike[str], platform: str) -> PurePath:
    return PureWindowsPath(path) if platform == "win32" else PurePosixPath(path)


def _is_under(path: PurePath, folder: PurePath, windows: bool) -> bool:
    a = [p.lower() if windows else p for p in path.parts]
    b = [p.lower() if windows else p for p in folder.parts]
    return len(b) > 0 and a[: len(b)] == b


def _cloud_reason(path: PurePath, facts: SystemFacts) -> str:
    windows = facts.platform == "win32"
    for var in _ONEDRIVE_ENV:
        value = facts.env.get(var)
        if value and _is_under(path, _pure(value, facts.platform), windows):
            return "a OneDrive folder"
    parts = path.parts
    lowered = [p.lower() for p in parts]
    for part in lowered:
        if part in _CLOUD_NAMES:
            return f"a {_CLOUD_NAMES[part]} folder"
        for prefix, service in _CLOUD_PREFIXES:
            if part.startswith(prefix):
                return f"a {service} folder"
    for i in range(len(lowered) - 1):
        if lowered[i] == "library" and lowered[i + 1] == "mobile documents":
            return "an iCloud Drive folder"
        if lowered[i] == "library" and lowered[i + 1] == "cloudstorage":
            return "a cloud storage folder (Library/CloudStorage)"
    if windows and len(lowered) > 1 and lowered[1] in _GOOGLE_DRIVE_ROOTS:
        return "a Google Drive folder"
    # Box Drive: C:\Users\<name>\Box on Windows, /Users/<name>/Box on macOS (older versions;
    # newer ones use Library/CloudStorage/Box-Box, recognised above)
    boxed = len(lowered) > 3 and lowered[1] == "users" and lowered[3] == "box"
    if facts.platform in ("win32", "darwin") and boxed:
        return "a Box Drive folder"
    kind = _gvfs_kind(path) if facts.platform not in ("win32", "darwin") else ""
    if kind in _GVFS_CLOUD:
        return f"a {_GVFS_CLOUD[kind]} folder (mounted by GNOME)"
    if facts.exists is not None:
        for folder in (path.parent, *path.parent.parents):
            for marker, what in _SYNC_MARKERS:
                try:
                    if facts.exists(str(folder / marker)):
                        return what
                except OSError:
                    continue
    if windows and facts.cloud_file is not None:
        try:
            if facts.cloud_file(str(path)):
                return "a folder kept in sync with cloud storage (OneDrive, SharePoint or similar)"
        except OSError:
            return ""
    return ""


def _gvfs_kind(path: PurePath) -> str:
    """``smb-share`` for /run/user/1000/gvfs/smb-share:server=x,share=y/…, ``gvfs`` for the older
    ~/.gvfs/<share>/…; "" when the path is not under gvfs."""
    parts = path.parts
    if len(parts) > 5 and parts[:3] == ("/", "run", "user") and parts[4] == "gvfs":
        return parts[5].split(":", 1)[0].lower()
    if ".gvfs" in parts[:-1]:
        return "gvfs"
    return ""


def _network_reason(path: PurePath, facts: SystemFacts) -> str:
    if facts.platform not in ("win32", "darwin"):
        kind = _gvfs_kind(path)
        if kind in _GVFS_DEVICES:
            return f"a device mounted by GNOME ({kind})"
        if kind:
            return f"a network share mounted by GNOME ({kind})"
    if facts.platform == "win32":
        drive = path.drive
        if drive.startswith(("\\\\?\\UNC\\", "\\\\?\\unc\\")):
            return "a network share"
        if drive.startswith("\\\\") and not drive.startswith(("\\\\?\\", "\\\\.\\")):
            return "a network share"
        if len(drive) == 2 and drive[1] == ":" and facts.drive_type is not None:
            try:
                if facts.drive_type(drive + "\\") == DRIVE_REMOTE:
                    return f"a mapped network drive ({drive})"
            except OSError:
                return ""
        return ""
    if facts.platform == "darwin":
        parts = path.parts
        if len(parts) >= 3 and parts[0] == "/" and parts[1] == "Volumes":
            return (
                f"another volume (/Volumes/{parts[2]}), such as a network share or removable disk"
            )
        return ""
    best, best_type = None, ""
    for point, fstype in facts.mounts:
        mount = PurePosixPath(point)
        if _is_under(path, mount, False) and (best is None or len(mount.parts) > len(best.parts)):
            best, best_type = mount, fstype
    if best is not None and best_type.lower() in NETWORK_FS_TYPES:
        return f"a network file system ({best_type} at {best})"
    return ""


def classify(path: str | os.PathLike[str], facts: SystemFacts | None = None) -> Verdict:
    """Where ``path`` (an absolute path, already resolved) lives: locally, in a synced folder or on a
    network share."""
    facts = facts or system_facts()
    pure = _pure(path, facts.platform)
    reason = _cloud_reason(pure, facts)
    if reason:
        return Verdict(Place.CLOUD_SYNC, reason)
    reason = _network_reason(pure, facts)
    if reason:
        return Verdict(Place.NETWORK, reason)
    return Verdict(Place.LOCAL)


def explain(path: str | os.PathLike[str], verdict: Verdict) -> str:
    name = _pure(path, sys.platform).name or str(path)
    if verdict.place is Place.CLOUD_SYNC:
        why = "sync programs copy the file while PCC Desk is writing it and can put back an older or conflicted copy"
    else:
        why = "file locking over a network is unreliable and writes can arrive out of order"
    return (
        f"{name} is in {verdict.reason}. PCC Desk keeps its register in a single SQLite file, which is "
        f"corrupted in such places because {why}. Keep the register in the local data folder "
        "(the default) — PCC Desk takes its own backups — or start with --allow-unsafe-location to use it anyway."
    )


def guard(
    path: str | os.PathLike[str], *, allow_unsafe: bool = False, facts: SystemFacts | None = None
) -> Verdict:
    """Raise :class:`UnsafeLocation` for a synced or network path, unless ``allow_unsafe``."""
    verdict = classify(path, facts)
    if not verdict.safe and not allow_unsafe:
        raise UnsafeLocation(explain(path, verdict))
    return verdict
