"""`python manage.py bench_data --channels N`: fill an EMPTY, throwaway database with a registry of
N channels for the benchmark (umusocial.bench.data; `make bench` runs it, docs/benchmarks.md).

It refuses a database that already has channels, and one whose name does not contain "bench".
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from channels.models import Channel
from umusocial.bench.data import BENCH_PASSWORD, build


class Command(BaseCommand):
    help = "Fill an empty, throwaway database with N channels for the benchmark."

    def add_arguments(self, parser):
        parser.add_argument("--channels", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=11)

    def handle(self, *args, channels: int, seed: int, **options):
        name = str(connection.settings_dict["NAME"])
        if "bench" not in name:
            raise CommandError(
                f"Refusing to fill the database {name!r}: use a throwaway one whose name "
                "contains 'bench' (createdb umusocial_bench10k)."
            )
        if Channel.objects.exists():
            raise CommandError(f"The database {name!r} already has channels: start empty.")
        start = time.perf_counter()
        with transaction.atomic():
            counts = build(channels, seed=seed)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        seconds = time.perf_counter() - start
        for what, n in counts.items():
            self.stdout.write(f"{what:>20}: {n:,}")
        self.stdout.write(
            f"Built in {seconds:.1f} s. Log in as bench-owner, bench-komm or bench-admin with "
            f"the password {BENCH_PASSWORD!r}."
        )
