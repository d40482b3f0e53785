"""`python manage.py import_registry FILE [--commit --user KOMM_USER]`: import Komm's
spreadsheet (docs/registry-import.md). A dry run by default: each row's result is printed and
nothing is written. With --commit every row is written in one transaction, or none if any row
has an error. Exits non-zero when a row has an error or the file cannot be read."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from channels.register.importing import (
    ImportFileError,
    ImportPlan,
    parse_registry_file,
    registry_import_commit,
    registry_import_plan,
)


class Command(BaseCommand):
    help = "Import Komm's spreadsheet (CSV) into the register; a dry run unless --commit."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The spreadsheet saved as CSV (UTF-8 or Excel's ;).")
        parser.add_argument("--commit", action="store_true", help="Write the rows (all or none).")
        parser.add_argument("--user", help="The Komm member the import is recorded as (--commit).")

    def handle(self, *args, **options):
        try:
            rows = parse_registry_file(Path(options["file"]).read_bytes())
        except (OSError, ImportFileError) as error:
            raise CommandError(str(error)) from None
        plan = registry_import_plan(rows)
        self._print(plan)
        if plan.has_errors:
            raise CommandError("Nothing imported: some rows have errors.")
        if not options["commit"]:
            self.stdout.write("Dry run: nothing written. Run again with --commit to import.")
            return
        try:
            registry_import_commit(rows=rows, imported_by=self._user(options["user"]))
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        self.stdout.write(self.style.SUCCESS("Imported."))

    def _user(self, name: str | None):
        if not name:
            raise CommandError("--commit needs --user: the Komm member the import is recorded as.")
        user = (
            get_user_model().objects.filter(username=name).first()
            or get_user_model().objects.filter(email__iexact=name).first()
        )
        if user is None:
            raise CommandError(f"No user {name!r}.")
        return user

    def _print(self, plan: ImportPlan) -> None:
        for row in plan.rows:
            self.stdout.write(f"{row.number:>5}  {row.outcome:<9}  {row.name}  {row.address}")
            details = row.errors + [f"{w}: {b} -> {a}" for w, b, a in row.changes] + row.notes
            for detail in details:
                self.stdout.write(f"{'':>18}{detail}")
        summary = ", ".join(f"{n} {outcome}" for outcome, _label, n in plan.counts())
        self.stdout.write(summary)
