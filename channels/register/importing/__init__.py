"""Importing Komm's spreadsheet into the register: parse (parse.py), a dry run of every row
(validate.py), and an all-or-nothing commit of that plan (commit.py). The columns are documented
in docs/registry-import.md; the page is channels:register_import, the command import_registry."""

from __future__ import annotations

from channels.register.importing.commit import registry_import_commit
from channels.register.importing.parse import IMPORT_COLUMNS, ImportFileError, parse_registry_file
from channels.register.importing.validate import ImportPlan, RowResult, registry_import_plan

__all__ = [
    "IMPORT_COLUMNS",
    "ImportFileError",
    "ImportPlan",
    "RowResult",
    "parse_registry_file",
    "registry_import_commit",
    "registry_import_plan",
]
