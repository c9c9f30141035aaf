"""The location guard: synced folders and network shares are recognised from sample paths on any
platform, and a database there is refused unless the clerk insists."""

from __future__ import annotations

import pytest

from pcc_desk import locations, storage
from pcc_desk.errors import UnsafeLocation
from pcc_desk.locations import Place, SystemFacts
from pcc_desk.services import Desk, register

WIN = SystemFacts(
    platform="win32", env={"OneDrive": r"C:\Users\ann\OneDrive - Greater London Authority"}
)
MAC = SystemFacts(platform="darwin")
LINUX_MOUNTS = locations.parse_mounts(
    "/dev/sda1 / ext4 rw 0 0\n"
    "//fileserver/committee /mnt/committee cifs rw 0 0\n"
    "nas:/export/home /home/shared nfs4 rw 0 0\n"
    "/dev/sdb1 /home/shared/local\\040disk ext4 rw 0 0\n"
    "tmpfs /tmp tmpfs rw 0 0\n"
    "me@host:/srv /media/ssh fuse.sshfs rw 0 0\n"
)
LINUX = SystemFacts(platform="linux", mounts=LINUX_MOUNTS)


def _mapped_drive(root: str) -> int:
    return {"Z:\\": locations.DRIVE_REMOTE, "C:\\": 3}.get(root.upper(), 3)


WIN_MAPPED = SystemFacts(platform="win32", env={}, drive_type=_mapped_drive)
# a SharePoint library synced by OneDrive lives under a folder named for the organisation; Windows
# marks it as managed by a Cloud Files provider
WIN_SHAREPOINT = SystemFacts(
    platform="win32",
    cloud_file=lambda p: p.lower().startswith("c:\\users\\ann\\greater london authority"),
)


@pytest.mark.parametrize(
    ("path", "facts", "place"),
    [
        # Windows
        (r"C:\Users\ann\AppData\Local\pcc-desk\pcc-desk.sqlite3", WIN, Place.LOCAL),
        (r"C:\Users\ann\OneDrive\Documents\pcc-desk.sqlite3", WIN, Place.CLOUD_SYNC),
        (
            r"C:\Users\ann\OneDrive - Greater London Authority\PCC\reg.sqlite3",
            WIN,
            Place.CLOUD_SYNC,
        ),
        (r"D:\Sync\OneDrive - Org\reg.sqlite3", SystemFacts(platform="win32"), Place.CLOUD_SYNC),
        (r"c:\users\ann\onedrive - greater london authority\x.sqlite3", WIN, Place.CLOUD_SYNC),
        (
            r"E:\Work\Business\reg.sqlite3",
            SystemFacts(platform="win32", env={"OneDriveCommercial": r"E:\Work\Business"}),
            Place.CLOUD_SYNC,
        ),
        (r"C:\Users\ann\Dropbox (GLA)\reg.sqlite3", WIN, Place.CLOUD_SYNC),
        (r"C:\Users\ann\iCloudDrive\reg.sqlite3", WIN, Place.CLOUD_SYNC),
        (r"G:\My Drive\PCC\reg.sqlite3", WIN, Place.CLOUD_SYNC),
        (r"\\fileserver\committee\reg.sqlite3", WIN, Place.NETWORK),
        (r"\\?\UNC\fileserver\committee\reg.sqlite3", WIN, Place.NETWORK),
        (r"\\?\C:\Users\ann\AppData\Local\pcc-desk\reg.sqlite3", WIN, Place.LOCAL),
        (r"Z:\PCC\reg.sqlite3", WIN_MAPPED, Place.NETWORK),
        (r"C:\PCC\reg.sqlite3", WIN_MAPPED, Place.LOCAL),
        (r"C:\Users\ann\Documents\Dropboxes-old\reg.sqlite3", WIN, Place.LOCAL),
        (
            r"C:\Users\ann\Greater London Authority\PCC - Documents\reg.sqlite3",
            WIN_SHAREPOINT,
            Place.CLOUD_SYNC,
        ),
        (r"C:\Users\ann\AppData\Local\pcc-desk\reg.sqlite3", WIN_SHAREPOINT, Place.LOCAL),
        # macOS
        ("/Users/ann/Library/Application Support/pcc-desk/pcc-desk.sqlite3", MAC, Place.LOCAL),
        (
            "/Users/ann/Library/Mobile Documents/com~apple~CloudDocs/reg.sqlite3",
            MAC,
            Place.CLOUD_SYNC,
        ),
        ("/Users/ann/Library/CloudStorage/OneDrive-Personal/reg.sqlite3", MAC, Place.CLOUD_SYNC),
        (
            "/Users/ann/Library/CloudStorage/GoogleDrive-ann@example.org/My Drive/reg.sqlite3",
            MAC,
            Place.CLOUD_SYNC,
        ),
        ("/Users/ann/Dropbox/reg.sqlite3", MAC, Place.CLOUD_SYNC),
        ("/Volumes/committee/reg.sqlite3", MAC, Place.NETWORK),
        ("/Users/ann/Volumes/reg.sqlite3", MAC, Place.LOCAL),
        # Linux
        ("/home/ann/.local/share/pcc-desk/pcc-desk.sqlite3", LINUX, Place.LOCAL),
        ("/home/ann/Dropbox/reg.sqlite3", LINUX, Place.CLOUD_SYNC),
        ("/home/ann/Nextcloud/PCC/reg.sqlite3", LINUX, Place.CLOUD_SYNC),
        ("/mnt/committee/reg.sqlite3", LINUX, Place.NETWORK),
        ("/mnt/committee-local/reg.sqlite3", LINUX, Place.LOCAL),
        ("/home/shared/reg.sqlite3", LINUX, Place.NETWORK),
        ("/home/shared/local disk/reg.sqlite3", LINUX, Place.LOCAL),  # the deeper, local mount wins
        ("/media/ssh/reg.sqlite3", LINUX, Place.NETWORK),
        ("/tmp/reg.sqlite3", LINUX, Place.LOCAL),
    ],
)
def test_sample_paths_are_classified(path, facts, place):
    verdict = locations.classify(path, facts)
    assert verdict.place is place, verdict
    assert verdict.safe is (place is Place.LOCAL)
    assert bool(verdict.reason) is (place is not Place.LOCAL)


def test_mount_table_escapes_are_decoded():
    assert ("/home/shared/local disk", "ext4") in LINUX_MOUNTS


def test_guard_explains_why_and_how_to_insist():
    path = "/Users/ann/Library/CloudStorage/OneDrive-Personal/reg.sqlite3"
    with pytest.raises(UnsafeLocation) as info:
        locations.guard(path, facts=MAC)
    message = str(info.value)
    assert "reg.sqlite3" in message and "cloud storage" in message
    assert "--allow-unsafe-location" in message and "\n" not in message
    assert locations.guard(path, allow_unsafe=True, facts=MAC).place is Place.CLOUD_SYNC


def test_opening_a_register_in_a_synced_folder_is_refused_and_writes_nothing(tmp_path):
    folder = tmp_path / "Dropbox" / "PCC"
    folder.mkdir(parents=True)
    with pytest.raises(UnsafeLocation, match="Dropbox"):
        Desk.open(folder / "reg.sqlite3")
    assert list(folder.iterdir()) == []


def test_the_clerk_can_insist_on_an_unsafe_location(tmp_path):
    path = tmp_path / "Dropbox" / "reg.sqlite3"
    with Desk.open(path, allow_unsafe_location=True) as desk:
        register.add_recommendation(desk, "Kept in Dropbox at the clerk's insistence")
    location, engine = storage.open_database(path, allow_unsafe_location=True)
    engine.dispose()
    assert location.path == path


def test_cli_refuses_an_unsafe_location_unless_allowed(run_cli, tmp_path):
    path = tmp_path / "OneDrive" / "reg.sqlite3"
    refused = run_cli("list", db=path)
    assert refused.returncode == 2
    assert "OneDrive" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    assert not path.exists()
    run_cli("add", "--text", "Insisted", "--allow-unsafe-location", db=path, check_rc=0)
    assert path.exists()


def test_this_machine_s_facts_classify_the_test_folder_as_local(tmp_path):
    facts = locations.system_facts()
    if facts.platform.startswith("linux"):
        assert any(point == "/" for point, _ in facts.mounts)
    assert locations.classify(tmp_path / "reg.sqlite3", facts).place is Place.LOCAL


# --- GNOME's gvfs mounts, Box Drive, folders that sync programs mark, SQLite file: URLs -----------


@pytest.mark.parametrize(
    ("path", "facts", "place", "said"),
    [
        ("/run/user/1000/gvfs/smb-share:server=fileserver,share=committee/PCC/reg.sqlite3",
         LINUX, Place.NETWORK, "smb-share"),
        ("/run/user/1000/gvfs/smb-share:domain=GLA,server=fs01,share=pcc,user=ann/reg.sqlite3",
         LINUX, Place.NETWORK, "smb-share"),
        ("/run/user/1001/gvfs/sftp:host=nas.local,user=ann/home/ann/reg.sqlite3",
         LINUX, Place.NETWORK, "sftp"),
        ("/run/user/1000/gvfs/dav:host=cloud.example.org,ssl=true/reg.sqlite3",
         LINUX, Place.NETWORK, "dav"),
        ("/run/user/1000/gvfs/google-drive:host=gmail.com,user=ann/0AB/reg.sqlite3",
         LINUX, Place.CLOUD_SYNC, "Google Drive"),
        ("/run/user/1000/gvfs/mtp:host=Phone/Internal storage/reg.sqlite3",
         LINUX, Place.NETWORK, "device"),
        ("/home/ann/.gvfs/committee on fileserver/reg.sqlite3", LINUX, Place.NETWORK, "GNOME"),
        ("/run/user/1000/gvfs-notes/reg.sqlite3", LINUX, Place.LOCAL, ""),
        (r"C:\Users\ann\Box\PCC\reg.sqlite3", WIN, Place.CLOUD_SYNC, "Box Drive"),
        ("/Users/ann/Box/Committee/reg.sqlite3", MAC, Place.CLOUD_SYNC, "Box Drive"),
        ("/Users/ann/Library/CloudStorage/Box-Box/reg.sqlite3", MAC, Place.CLOUD_SYNC, "cloud"),
        ("/Users/ann/Documents/Box/reg.sqlite3", MAC, Place.LOCAL, ""),
        ("/home/ann/Box/reg.sqlite3", LINUX, Place.LOCAL, ""),
    ],
)  # fmt: skip
def test_gvfs_mounts_and_box_drive_are_recognised(path, facts, place, said):
    verdict = locations.classify(path, facts)
    assert verdict.place is place, verdict
    assert said in verdict.reason


@pytest.mark.parametrize(
    ("marker", "said"),
    [(".stfolder", "Syncthing"), (".dropbox", "Dropbox"), (".sync/IgnoreList", "Resilio Sync")],
)
@pytest.mark.parametrize("depth", [0, 1, 3])
def test_a_folder_marked_by_a_sync_program_is_refused_whatever_its_name(
    tmp_path, marker, said, depth
):
    synced = tmp_path / "Work papers"
    (synced / marker).parent.mkdir(parents=True, exist_ok=True)
    if marker.endswith("IgnoreList") or marker == ".dropbox":
        (synced / marker).write_text("")
    else:
        (synced / marker).mkdir()
    folder = synced.joinpath(*[f"level {i}" for i in range(depth)])
    folder.mkdir(parents=True, exist_ok=True)
    with pytest.raises(UnsafeLocation, match=said):
        Desk.open(folder / "reg.sqlite3")
    assert [p.name for p in folder.iterdir()] == (
        [] if depth else sorted(p.name for p in synced.iterdir())
    )
    # beside it, not inside it: local
    assert locations.classify(tmp_path / "elsewhere" / "reg.sqlite3").place is Place.LOCAL


def test_a_sqlite_file_url_is_guarded_like_a_path(tmp_path, run_cli):
    path = tmp_path / "Dropbox" / "reg.sqlite3"
    path.parent.mkdir()
    for url in (
        f"sqlite:///file:{path}?uri=true",
        f"sqlite:///file://{path}?uri=true",
        f"sqlite:///file://localhost{path}?mode=rwc&uri=true",
    ):
        assert storage.resolve_location(url).path == path
        with pytest.raises(UnsafeLocation, match="Dropbox"):
            Desk.open(url)
        proc = run_cli("--db", url, "list")
        assert proc.returncode == 2 and "Dropbox" in proc.stderr
    assert not path.exists()


def test_a_sqlite_file_url_gets_the_same_checks_and_backups_as_a_path(db_path):
    url = f"sqlite:///file:{db_path}?uri=true"
    with Desk.open(url) as desk:
        register.add_recommendation(desk, "Through a file: URL")
        assert desk.location.path == db_path
    from pcc_desk import backup

    taken = backup.take_backup(storage.resolve_location(url))
    assert taken.path.parent == storage.resolve_location(db_path).backups_dir
    db_path.write_bytes(b"")
    from pcc_desk.errors import DatabaseDamaged

    with pytest.raises(DatabaseDamaged) as info:
        Desk.open(url)
    assert info.value.offer.backup.path == taken.path


@pytest.mark.parametrize(
    "query", ["mode=ro&uri=true", "immutable=1&uri=true", "vfs=unix-none&uri=true"]
)
def test_a_sqlite_file_url_with_options_pcc_desk_cannot_honour_is_refused(tmp_path, query):
    from pcc_desk.errors import InvalidInput

    with pytest.raises(InvalidInput, match="not supported"):
        storage.resolve_location(f"sqlite:///file:{tmp_path / 'reg.sqlite3'}?{query}")
    assert storage.resolve_location("sqlite:///file::memory:?uri=true").path is None
