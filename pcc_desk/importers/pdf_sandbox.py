"""PDF reading in a child process, within bounds of memory, time and decompressed size.

A PDF is a container of compressed streams: a file of under 1 MB can hold a page whose content inflates
to hundreds of MB, and the PDF libraries (pdfminer, under pdfplumber) inflate a stream whole and then
parse it in pure Python, for hours and gigabytes. So every reading of a PDF the clerk brings in runs
here, in a child process (the ``spawn`` start method: the same on Linux, Windows and macOS, and in the
frozen app, whose entry point calls :func:`multiprocessing.freeze_support`):

1. **Decompressed size first.** Before any PDF library sees the file, every compressed stream is
   inflated as a stream of small pieces and counted, never held: a stream that expands to more than
   ``stream_mb`` MB, or all of them together to more than ``total_mb`` MB, is refused at once.
2. **Memory.** The child's address space is capped (``RLIMIT_AS`` on Linux and the BSDs), and a watchdog
   thread in the child ends it when its resident memory passes the same bound (on every system).
3. **Time.** The parent ends the child when reading takes longer than the time allowed: ``seconds``
   plus ``seconds_per_mb`` for each MB of decompressed data (a 100-page transcript is about 1 MB).

A refusal is one line: "<file>: this PDF could not be read safely: …". The child's warnings (pdfminer
names the file's full path in its log messages) never reach the terminal or the log.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import logging
import multiprocessing
import os
import re
import sys
import threading
import time
import warnings
import zlib
from collections.abc import Callable
from ctypes import wintypes
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from pcc_desk.errors import ImportRejected
from pcc_desk.importers.pdf_reading import PdfLine
from pcc_desk.importers.pdf_reading import read_pdf_lines as read

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

T = TypeVar("T")


class Cancellable(Protocol):
    """A cancel token: ``check()`` raises :class:`pcc_desk.errors.Cancelled` once the clerk cancels."""

    def check(self) -> None: ...


log = logging.getLogger(__name__)

# pdfminer and pdfplumber log the file object (with its full path: a casework name) in their warnings
QUIET_LOGGERS = ("pdfminer", "pdfplumber", "PIL")

EXIT_MEMORY = 86  # the watchdog's exit code: the child passed its memory bound


@dataclass(frozen=True)
class Limits:
    stream_mb: float = 24  # one stream, decompressed
    total_mb: float = 96  # every stream together, decompressed
    memory_mb: float = 512  # the child's memory (a 100-page transcript needs under 50 MB)
    seconds: float = 60  # time allowed for any PDF...
    seconds_per_mb: float = 45  # ...plus this for each MB of decompressed data
    max_seconds: float = 15 * 60

    def time_for(self, decompressed_bytes: int) -> float:
        allowed = self.seconds + self.seconds_per_mb * decompressed_bytes / 1_048_576
        return min(allowed, self.max_seconds)


LIMITS = Limits()


def refusal(name: str, reason: str) -> ImportRejected:
    return ImportRejected(f"{name}: this PDF could not be read safely: {reason}.")


def short_name(name: str) -> str:
    """A file's name for a log message: a short hash (a file name is casework)."""
    return "file " + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def quiet_pdf_logging() -> None:
    """Keep the PDF libraries' log messages (which carry file paths) out of every log and terminal."""
    for name in QUIET_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(logging.CRITICAL + 1)
        logger.propagate = False


# --- 1. decompressed size, before any PDF library reads the file ------------------------------------

_STREAM = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[\]<>()]+)")
_NAME = re.compile(rb"/([^\s/\[\]<>()]+)")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_FLATE = {b"FlateDecode", b"Fl"}
CHUNK = 64 * 1024


@dataclass(frozen=True)
class StreamScan:
    streams: int
    decompressed: int  # bytes, every Flate stream together (images aside)
    largest: int


def _dictionary_before(data: bytes, at: int) -> bytes:
    """The stream's dictionary: from its object's ``obj`` keyword (at most 8 KB back) to ``at``."""
    start = max(0, at - 8192)
    head = data[start:at]
    found = head.rfind(b"obj")
    return head[found:] if found >= 0 else head


def _inflated_size(data: bytes, start: int, end: int, layers: int, bound: int) -> int:
    """Bytes the stream at ``data[start:end]`` inflates to through ``layers`` Flate filters, counted
    piece by piece and never more than ``bound`` + 1 (so a bomb is known without inflating it)."""
    inflaters = [zlib.decompressobj() for _ in range(layers)]
    produced = 0

    def feed(level: int, piece: bytes) -> None:
        nonlocal produced
        inflater = inflaters[level]
        while piece and not inflater.eof and produced <= bound:
            out = inflater.decompress(piece, CHUNK)
            piece = inflater.unconsumed_tail
            if level + 1 < layers:
                feed(level + 1, out)
            else:
                produced += len(out)

    with contextlib.suppress(zlib.error):  # a damaged stream: the library meets it as such too
        for offset in range(start, end, CHUNK):
            feed(0, data[offset : min(offset + CHUNK, end)])
            if produced > bound or inflaters[0].eof:
                break
    return produced


def scan_streams(path: Path, limits: Limits = LIMITS) -> StreamScan:
    """Count what every Flate-compressed stream of the PDF inflates to (one after another, a piece at
    a time); refuse with one line when one stream or all of them pass the limits. Images are not
    counted: reading text never inflates them."""
    path = Path(path)
    name = path.name
    data = path.read_bytes()  # the safety checks capped the file at 50 MB
    stream_bound = int(limits.stream_mb * 1_048_576)
    total_bound = int(limits.total_mb * 1_048_576)
    total = largest = count = 0
    for match in _STREAM.finditer(data):
        dictionary = _dictionary_before(data, match.start() + 2)
        if _IMAGE.search(dictionary):
            continue
        found = _FILTER.search(dictionary)
        if not found:
            continue
        filters = _NAME.findall(found.group(1))
        layers = 0
        for filter_name in filters:
            if filter_name not in _FLATE:
                break
            layers += 1
        if not layers:
            continue
        start = match.end()
        length = _LENGTH.search(dictionary)
        end = start + int(length.group(1)) if length else data.find(b"endstream", start)
        if end < start or end > len(data):
            end = len(data)
        size = _inflated_size(data, start, end, layers, min(stream_bound, total_bound - total))
        count += 1
        largest = max(largest, size)
        total += size
        if size > stream_bound:
            raise refusal(
                name,
                f"a part of it expands to more than {limits.stream_mb:g} MB, far more than any letter or transcript holds",
            )
        if total > total_bound:
            raise refusal(
                name,
                f"its parts expand to more than {limits.total_mb:g} MB, far more than any letter or transcript holds",
            )
    return StreamScan(count, total, largest)


# --- 2. memory, in the child -------------------------------------------------------------------------


def _resident_bytes() -> int | None:
    """This process's memory in use now (or its peak where only that is known)."""
    if sys.platform.startswith("linux"):
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    if sys.platform == "win32":
        return _windows_private_bytes()
    try:
        import resource
    except ImportError:  # pragma: no cover
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _windows_private_bytes() -> int | None:  # pragma: no cover - Windows only
    if sys.platform != "win32":
        return None

    class Counters(ctypes.Structure):
        _fields_ = [
            ("cb", wintypes.DWORD),
            ("PageFaultCount", wintypes.DWORD),
            ("PeakWorkingSetSize", ctypes.c_size_t),
            ("WorkingSetSize", ctypes.c_size_t),
            ("QuotaPeakPagedPoolUsage", ctypes.c_size_t),
            ("QuotaPagedPoolUsage", ctypes.c_size_t),
            ("QuotaPeakNonPagedPoolUsage", ctypes.c_size_t),
            ("QuotaNonPagedPoolUsage", ctypes.c_size_t),
            ("PagefileUsage", ctypes.c_size_t),
            ("PeakPagefileUsage", ctypes.c_size_t),
        ]

    counters = Counters()
    counters.cb = ctypes.sizeof(Counters)
    process = ctypes.windll.kernel32.GetCurrentProcess()
    if not ctypes.windll.psapi.GetProcessMemoryInfo(process, ctypes.byref(counters), counters.cb):
        return None
    return max(counters.WorkingSetSize, counters.PagefileUsage)


def _limit_memory(limit_bytes: int) -> None:
    """Cap the child: the address space where the system allows it, and a watchdog everywhere."""
    with contextlib.suppress(ImportError, ValueError, OSError, AttributeError):
        import resource

        if sys.platform != "darwin":  # macOS does not enforce RLIMIT_AS
            _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            cap = limit_bytes + 256 * 1_048_576  # the interpreter and libraries' own mappings
            if hard != resource.RLIM_INFINITY:
                cap = min(cap, hard)
            resource.setrlimit(resource.RLIMIT_AS, (cap, hard))

    def watch() -> None:
        while True:
            try:
                used = _resident_bytes()
            except Exception:  # no way to measure here: the address-space cap and the clock remain
                return
            if used is not None and used > limit_bytes:
                os._exit(EXIT_MEMORY)
            time.sleep(0.05)

    threading.Thread(target=watch, name="pdf-memory-watchdog", daemon=True).start()


# --- 3. the child, and the parent waiting for it -------------------------------------------------------


def _silence_child() -> None:
    quiet_pdf_logging()
    logging.disable(logging.CRITICAL)

    warnings.simplefilter("ignore")
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)  # nothing the libraries print reaches the clerk's terminal
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for the child's whole life


def _child(
    conn: Connection,
    func: Callable[..., object],
    path: str,
    args: tuple[object, ...],
    kwargs: dict[str, Any],
    limits: Limits,
) -> None:
    """In the child: the size scan, then the time allowed to the parent, then the reading."""
    try:
        _silence_child()
        _limit_memory(int(limits.memory_mb * 1_048_576))
        scan = scan_streams(Path(path), limits)
        conn.send(("time", limits.time_for(scan.decompressed)))
        result: tuple[str, object] = ("ok", func(Path(path), *args, **kwargs))
    except ImportRejected as exc:
        result = ("rejected", str(exc))
    except MemoryError:
        result = ("memory", None)
    except RecursionError:
        result = ("error", "RecursionError")
    except Exception as exc:
        result = ("error", type(exc).__name__)
    try:
        conn.send(result)
    except MemoryError:
        os._exit(EXIT_MEMORY)
    finally:
        conn.close()


def run(
    func: Callable[..., T],
    path: str | os.PathLike[str],
    *args: object,
    limits: Limits | None = None,
    token: Cancellable | None = None,
    **kwargs: Any,
) -> T:
    """``func(path, *args, **kwargs)`` in a child process within ``limits``; its (picklable) result.

    ``func`` must be a module-level function (the child imports it). Whatever it raises becomes an
    :class:`ImportRejected` with one line; so do the limits. ``token`` (``check()`` raising
    :class:`Cancelled`) lets the clerk cancel: the child is ended at once."""
    limits = limits or LIMITS
    path = Path(path)
    name = path.name
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_child,
        args=(sender, func, str(path), args, kwargs, limits),
        name="pcc-desk-pdf",
        daemon=True,
    )
    started = time.monotonic()
    child.start()
    sender.close()
    deadline = started + limits.time_for(0) + 30  # the scan itself; replaced once it is done
    try:
        while True:
            if token is not None:
                token.check()
            now = time.monotonic()
            if now > deadline:
                log.info("PDF reading ended after %.0f s: %s", now - started, short_name(name))
                raise refusal(name, f"reading it took longer than {deadline - started:.0f} seconds")
            if not receiver.poll(min(0.1, max(0.0, deadline - now))):
                continue
            try:
                kind, value = receiver.recv()
            except (EOFError, OSError):
                child.join(5)
                raise _died(name, child.exitcode, limits) from None
            if kind == "time":
                deadline = started + value
                continue
            if kind == "ok":
                result: T = value
                return result
            if kind == "rejected":
                raise ImportRejected(value)
            if kind == "memory":
                raise _memory(name, limits)
            raise ImportRejected(f"{name}: the PDF is damaged and cannot be read ({value}).")
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(10)
        with contextlib.suppress(ValueError):
            child.close()


def _memory(name: str, limits: Limits) -> ImportRejected:
    log.info("PDF reading ended at its memory bound: %s", short_name(name))
    return refusal(name, f"reading it needed more than {limits.memory_mb:g} MB of memory")


def _died(name: str, exitcode: int | None, limits: Limits) -> ImportRejected:
    if exitcode == EXIT_MEMORY:
        return _memory(name, limits)
    log.info("PDF reader stopped (exit code %s): %s", exitcode, short_name(name))
    return refusal(name, "the PDF reader stopped unexpectedly")


# --- what the importers read through here ---------------------------------------------------------------


def read_pdf_lines(
    path: str | os.PathLike[str], *, keep_furniture: bool = False, limits: Limits | None = None
) -> list[PdfLine]:
    """:func:`pcc_desk.importers.pdf_reading.read_pdf_lines`, in the child."""
    return run(read, path, keep_furniture=keep_furniture, limits=limits)


def page_texts(path: Path) -> list[str]:
    """The text of each page (pdfplumber's own reading order); runs in the child through :func:`run`."""
    import pdfplumber

    name = Path(path).name
    pages: list[str] = []
    try:
        with pdfplumber.open(str(path)) as pdf:
            for page in pdf.pages:
                pages.append(page.extract_text() or "")
                page.close()
    except Exception:
        raise ImportRejected(
            f"{name}: this PDF cannot be read (it is damaged or protected)."
        ) from None
    return pages


quiet_pdf_logging()
