"""Small PDFs written byte by byte: ordinary one-page letters and "PDF bombs" whose streams inflate to
hundreds of MB. The streams are compressed as they are made, so making a bomb never holds it inflated."""

from __future__ import annotations

import random
import zlib
from pathlib import Path

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TEXT_LINE = b"BT /F1 11 Tf 72 %d Td (%s) Tj ET\n"


def flate(chunks, level: int = 9) -> bytes:
    """Deflate an iterable of byte chunks (a zlib stream, as /FlateDecode wants)."""
    out = zlib.compressobj(level)
    parts = [out.compress(chunk) for chunk in chunks]
    parts.append(out.flush())
    return b"".join(parts)


def flate_repeated(head: bytes, unit: bytes, total: int, block: int = 1 << 20) -> bytes:
    """A zlib stream of ``head`` then ``unit`` repeated to ``total`` bytes, made without compressing
    ``total`` bytes: after a full flush deflate starts afresh, so one block's compressed bytes can be
    repeated; only the Adler-32 checksum runs over the whole (quickly)."""
    piece = unit * max(1, block // len(unit))
    count, rest = divmod(total, len(piece))
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = raw.compress(head) + raw.flush(zlib.Z_FULL_FLUSH)
    repeated = raw.compress(piece) + raw.flush(zlib.Z_FULL_FLUSH)
    again = raw.compress(piece) + raw.flush(zlib.Z_FULL_FLUSH)
    assert again == repeated
    tail = raw.compress(piece[:rest]) + raw.flush()
    checksum = zlib.adler32(head)
    for _ in range(count):
        checksum = zlib.adler32(piece, checksum)
    checksum = zlib.adler32(piece[:rest], checksum)
    # the piece compressed twice: once counted in ``repeated`` for the check above, so ``count`` times
    return b"\x78\xda" + first + repeated * count + tail + checksum.to_bytes(4, "big")


def text_lines(lines: list[str]) -> bytes:
    body = b"".join(
        TEXT_LINE % (770 - 16 * n, line.replace("(", "[").replace(")", "]").encode("latin-1"))
        for n, line in enumerate(lines)
    )
    return body


class Pdf:
    """Objects in order; ``page`` adds a page whose /Contents are the given streams."""

    def __init__(self) -> None:
        self.objects: list[bytes] = []
        self.pages: list[int] = []
        self.font = self.add(FONT)

    def add(self, body: bytes) -> int:
        self.objects.append(body)
        return len(self.objects)

    def stream(
        self, data: bytes, filters: list[str] = (), extra: bytes = b"", length_ref=False
    ) -> int:
        """A stream object holding ``data`` (already encoded by ``filters``)."""
        names = b"".join(b"/" + f.encode() for f in filters)
        filt = (
            (b" /Filter [" + names + b"]" if len(filters) > 1 else b" /Filter " + names)
            if filters
            else b""
        )
        if length_ref:
            length_obj = self.add(b"%d" % len(data))
            length = b"%d 0 R" % (length_obj + 1)  # this stream is the next object
        else:
            length = b"%d" % len(data)
        return self.add(
            b"<< /Length " + length + filt + extra + b" >>\nstream\n" + data + b"\nendstream"
        )

    def page(self, contents: list[int]) -> int:
        refs = b" ".join(b"%d 0 R" % c for c in contents)
        number = self.add(
            b"<< /Type /Page /Parent PAGES /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
            b"/Contents [%s] >>" % (self.font, refs)
        )
        self.pages.append(number)
        return number

    def write(self, path: Path) -> Path:
        pages_number = len(self.objects) + 1
        catalog_number = pages_number + 1
        kids = b" ".join(b"%d 0 R" % p for p in self.pages)
        objects = [
            o.replace(b"/Parent PAGES", b"/Parent %d 0 R" % pages_number) for o in self.objects
        ]
        objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(self.pages)))
        objects.append(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_number)
        out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for n, body in enumerate(objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        for offset in offsets:
            out += b"%010d 00000 n \n" % offset
        out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
            len(objects) + 1,
            catalog_number,
            xref,
        )
        Path(path).write_bytes(bytes(out))
        return Path(path)


def letter_pdf(path: Path, lines: list[str], pages: int = 1) -> Path:
    """An ordinary text PDF: ``lines`` on each of ``pages`` pages."""
    pdf = Pdf()
    for n in range(pages):
        body = text_lines([*lines, f"Page {n + 1}"])
        pdf.page([pdf.stream(flate([body]), ["FlateDecode"])])
    return pdf.write(path)


def text_bomb(path: Path, inflated_mb: int, *, streams: int = 1, seed: int = 0, **options) -> Path:
    """A page whose content (text operators, repeated) inflates to ``inflated_mb`` MB over ``streams``."""
    rng = random.Random(seed)
    words = [rng.choice(["policing", "vetting", "Met", "plan", "reform"]) for _ in range(8)]
    unit = TEXT_LINE % (700, " ".join(words).encode())
    per = inflated_mb * 1024 * 1024 // streams
    pdf = Pdf()
    head = text_lines(["Dear Sir Mark,"])
    contents = [
        pdf.stream(flate_repeated(head, unit, per), ["FlateDecode"], **options)
        for _ in range(streams)
    ]
    pdf.page(contents)
    return pdf.write(path)


def zeros_bomb(path: Path, inflated_mb: int, **options) -> Path:
    """A page whose content stream is ``inflated_mb`` MB of zero bytes, deflated."""
    pdf = Pdf()
    head = text_lines(["Dear Sir Mark,"])
    stream = pdf.stream(
        flate_repeated(head, b"\0", inflated_mb * 1024 * 1024), ["FlateDecode"], **options
    )
    pdf.page([stream])
    return pdf.write(path)


def double_flate_bomb(path: Path, inflated_mb: int) -> Path:
    """Deflated twice (/Filter [/FlateDecode /FlateDecode]): small on disk and after the first inflate."""
    inner = flate_repeated(b"", b" ", inflated_mb * 1024 * 1024)
    pdf = Pdf()
    pdf.page([pdf.stream(flate([inner]), ["FlateDecode", "FlateDecode"])])
    return pdf.write(path)


def font_bomb(path: Path, inflated_mb: int) -> Path:
    """An embedded font program that inflates to ``inflated_mb`` MB, on an ordinary page."""
    pdf = Pdf()
    font_file = pdf.stream(
        flate_repeated(b"", b"\0\1", inflated_mb * 1024 * 1024),
        ["FlateDecode"],
        extra=b" /Length1 100",
    )
    descriptor = pdf.add(
        b"<< /Type /FontDescriptor /FontName /Bomb /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0 "
        b"/Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 %d 0 R >>" % font_file
    )
    pdf.objects[pdf.font - 1] = (
        b"<< /Type /Font /Subtype /TrueType /BaseFont /Bomb /FirstChar 32 /LastChar 126 "
        b"/FontDescriptor %d 0 R >>" % descriptor
    )
    pdf.page(
        [
            pdf.stream(
                flate([text_lines(["Dear Sir Mark,", "The Committee asks for more."])]),
                ["FlateDecode"],
            )
        ]
    )
    return pdf.write(path)


def runlength_bomb(path: Path, inflated_mb: int) -> Path:
    """/RunLengthDecode (two bytes for 128): not inflated by the size scan, stopped by the memory bound."""
    head = text_lines(["Dear Sir Mark,"])
    data = bytearray()
    for i in range(0, len(head), 128):
        chunk = head[i : i + 128]
        data.append(len(chunk) - 1)
        data += chunk
    data += b"\x81 " * (inflated_mb * 1024 * 1024 // 128) + b"\x80"
    pdf = Pdf()
    pdf.page([pdf.stream(bytes(data), ["RunLengthDecode"])])
    return pdf.write(path)
