"""Writing the register's rows as CSV or JSON: one writer for Komm's downloads and for
`manage.py export_registry`, so both give the same stable field names (CSV_COLUMNS)."""

from __future__ import annotations

import csv
import json
from typing import IO

from channels.register.selectors import CSV_COLUMNS

FORMATS = ("csv", "json")
# A cell that starts with one of these is a formula to Excel and LibreOffice (CSV injection: a
# channel named "=HYPERLINK(...)" would run when Komm opens the export). Such a cell is written
# with a leading apostrophe, which spreadsheets show as text; the import takes it off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_spreadsheet_text(value: object) -> object:
    """The value as a spreadsheet shows it, never run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def from_spreadsheet_text(value: str) -> str:
    """The exported value again (undoes as_spreadsheet_text)."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def register_write(stream: IO[str], rows: list[dict], *, fmt: str, lineterminator="\r\n") -> None:
    """CSV with a header line, or JSON: a list of objects, one per channel."""
    if fmt == "json":
        stream.write(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS, lineterminator=lineterminator)
    writer.writeheader()
    writer.writerows({key: as_spreadsheet_text(val) for key, val in row.items()} for row in rows)
