"""Argument types and output helpers shared by the CLI's command modules."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from pcc_desk.services import dto
from pcc_desk.vocabulary import SlugEnum


def date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date in the form YYYY-MM-DD") from None


def slug_arg(enum_cls: type[SlugEnum]):
    def parse(text: str):
        try:
            return enum_cls.parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = enum_cls.__name__.lower()
    return parse


def read_text_file(path: str) -> str:
    """Read a UTF-8 (or UTF-16 with BOM, or Windows-1252) text file for a --text-file option."""
    from pcc_desk.services.reading import read_text_file as read

    return read(path)


def print_json(value) -> None:
    sys.stdout.write(dto.dumps(value) + "\n")


def fmt_date(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def table(rows: list[list[str]], headers: list[str]) -> str:
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    return "\n".join(lines)


def shorten(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
