"""Reading Komm's spreadsheet: CSV in UTF-8 (with or without Excel's BOM) or in Excel's Swedish
dialect (";" between fields, and Windows-1252 when it was saved as plain "CSV"); the delimiter is
sniffed from the header line. Column names are the export's where they mean the same
(channels.register.selectors.CSV_COLUMNS), matched without regard to case or surrounding space;
export-only columns (id, approved_at, ...) are ignored, so an export imports as it is."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from channels.register.export import from_spreadsheet_text

# Every column the import reads. The first five must be there (a value may still be missing in
# a row, which is that row's error); the rest are optional.
REQUIRED_COLUMNS = ("name", "platform", "address", "responsible_unit", "responsible_email")
OPTIONAL_COLUMNS = (
    "state",
    "language",
    "deputy_emails",
    "case_number",
    "opened_at",
    "closed_at",
    "next_evaluation_on",
    "unit_head_name",
    "unit_head_title",
    "unit_head_email",
)
IMPORT_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# Rows beyond this are refused: the register has a few hundred channels.
MAX_ROWS = 5000


class ImportFileError(ValueError):
    """The file as a whole cannot be read (not CSV, no header, a required column missing)."""


@dataclass(frozen=True)
class SourceRow:
    number: int  # the line in the file, the header being line 1
    values: dict[str, str]


def decode(data: bytes) -> str:
    """UTF-8 (Excel's "CSV UTF-8" adds a BOM), else Windows-1252 (Excel's plain "CSV")."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(header: str) -> str:
    try:
        return csv.Sniffer().sniff(header, delimiters=";,\t").delimiter
    except csv.Error:
        return ";" if header.count(";") > header.count(",") else ","


def parse_registry_file(data: bytes | str) -> list[SourceRow]:
    """The file's rows as {column: value}, values stripped; blank lines skipped."""
    text = decode(data) if isinstance(data, bytes) else data
    header = text.split("\n", 1)[0]
    if not header.strip():
        raise ImportFileError(_("The file is empty."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(header))
    try:
        lines = list(reader)
    except csv.Error as error:
        raise ImportFileError(
            _("The file is not valid CSV: %(error)s") % {"error": error}
        ) from None
    names = [name.strip().lower() for name in lines[0]]
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if missing:
        raise ImportFileError(
            _("Columns missing from the first line: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    if len(lines) - 1 > MAX_ROWS:
        raise ImportFileError(_("The file has more than %(n)s rows.") % {"n": MAX_ROWS})
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in line):
            continue
        values = {
            name: (from_spreadsheet_text(line[i].strip()) if i < len(line) else "")
            for i, name in enumerate(names)
            if name in IMPORT_COLUMNS
        }
        rows.append(SourceRow(number=number, values=values))
    return rows
