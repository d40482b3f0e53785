"""Writing the register's rows as CSV or JSON: one writer for Komm's downloads and for
`manage.py export_registry`, so both give the same stable field names (CSV_COLUMNS)."""

from __future__ import annotations

import csv
import json
from typing import IO

from channels.register.selectors import CSV_COLUMNS

FORMATS = ("csv", "json")


def register_write(stream: IO[str], rows: list[dict], *, fmt: str, lineterminator="\r\n") -> None:
    """CSV with a header line, or JSON: a list of objects, one per channel."""
    if fmt == "json":
        stream.write(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS, lineterminator=lineterminator)
    writer.writeheader()
    writer.writerows(rows)
