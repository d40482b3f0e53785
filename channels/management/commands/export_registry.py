"""`python manage.py export_registry --format csv|json [--output FILE]`: the whole register, for
scheduled jobs (the archive, reporting). The same rows and column names as Komm's CSV export."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from channels.register.export import FORMATS, register_write
from channels.register.selectors import register_channels, register_row


class Command(BaseCommand):
    help = "Export every channel of the register as CSV or JSON (stable column names)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, default="csv")
        parser.add_argument("--output", help="A file to write; standard output when not given.")

    def handle(self, *args, **options):
        rows = [register_row(channel) for channel in register_channels()]
        path = options["output"]
        out = open(path, "w", encoding="utf-8", newline="") if path else None  # noqa: SIM115
        stream = out or self.stdout
        try:
            register_write(stream, rows, fmt=options["format"], lineterminator="\n")
        finally:
            if out:
                out.close()
