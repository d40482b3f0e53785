"""`python manage.py benchmark_reminders`: how long one sweep of every reminder job takes.

A benchmark, not a test: on a THROWAWAY PostgreSQL database it creates many channels (100,000
by default) with a realistic share due, runs every job twice (the first sweep sends everything
due; the second is a rerun that must send nothing) and reports seconds and queries per job,
then deletes what it made. E-mail delivery is not measured, but handing it to the broker is:
the outbox rows are written and their delivery tasks published on the configured broker
(Redis with REDIS_URL), then purged. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import gc
import resource
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from unittest import mock

from celery import current_app as celery_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from approvals.models import Handover, PrefectSignoff
from approvals.reminders import delivery, jobs
from channels.models import Channel, Deputyship, Platform, Unit
from core.models import OutgoingEmail, SentReminder
from core.tasks import DELIVERY_BATCH, send_emails

BENCH_UNIT = "umusocial benchmark (safe to delete)"
BENCH_USER_PREFIX = "bench-"
BATCH = 5000


def peak_memory_mb() -> int:
    """The process's peak resident memory. Linux's VmHWM: `ru_maxrss` of a process started by
    fork and exec still counts the forking parent's memory at the fork (the kernel keeps the old
    image's high-water mark across exec), so --fresh-process reported the setup's 153 MB."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class Command(BaseCommand):
    help = "Benchmark one sweep of every reminder job over many channels (throwaway PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--channels", type=int, default=100_000)
        parser.add_argument(
            "--yes-i-know",
            action="store_true",
            help="Run on a database whose name does not contain 'bench'. It writes and deletes "
            "many rows: never on a database you care about.",
        )
        parser.add_argument(
            "--fresh-process",
            action="store_true",
            help="Sweep in a new process (manage.py benchmark_reminders --sweep-only), so that "
            "its peak memory is the sweep's alone, not the setup's.",
        )
        parser.add_argument("--sweep-only", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, channels: int, yes_i_know: bool, **options):
        if options["sweep_only"]:  # the child of --fresh-process: the data is there
            self._sweeps()
            return
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL only (set DATABASE_URL).")
        name = connection.settings_dict["NAME"]
        if "bench" not in name and not yes_i_know:
            raise CommandError(
                f"Refusing to write {channels} channels into the database {name!r}. Use a "
                "dedicated database whose name contains 'bench' (createdb umusocial_bench), "
                "or pass --yes-i-know."
            )
        if Unit.objects.filter(name=BENCH_UNIT).exists():
            raise CommandError("A previous benchmark's data is still there; delete it first.")
        self.stdout.write(f"Database {name} on PostgreSQL, {channels:,} channels.")
        start_peak = peak_memory_mb()
        self.stdout.write(f"Memory of the process before the setup: {start_peak} MB")
        outbox_before = OutgoingEmail.objects.order_by("-pk").values_list("pk", flat=True).first()
        started = timezone.now()
        try:
            with self._timed("Setting up"):
                self._create(channels)
                # As autovacuum soon does on a real database: without statistics of the fresh
                # rows the planner misjudges (flagging departed staff read every channel).
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            if options["fresh_process"]:
                self.stdout.write(self._in_a_fresh_process())
            else:
                self._sweeps()
        finally:
            with self._timed("Cleaning up"):
                self._clean(outbox_before or 0, started)

    # --- Measuring ----------------------------------------------------------------------------

    def _sweeps(self) -> None:
        # As in production, where DEBUG is off: with it on, Django keeps the SQL of every query
        # in memory, here megabytes of outbox rows per batch (it was most of the peak memory).
        settings.DEBUG = False
        # The deliveries are enqueued on the configured broker, as in production (publishing
        # is part of the sweep's cost), counted, and purged afterwards: no worker sends them.
        published = [0]
        real_delay = send_emails.delay

        def counted_delay(*args, **kwargs):
            published[0] += 1
            return real_delay(*args, **kwargs)

        try:
            with mock.patch.object(send_emails, "delay", counted_delay):
                self._sweep("First sweep (everything due is sent)")
                self._sweep("Second sweep (a rerun: nothing new)")
        finally:
            purged = celery_app.control.purge()
        self.stdout.write(
            f"\nDelivery tasks published to {celery_app.conf.broker_url.split(':')[0]}: "
            f"{published[0]:,} (one per {DELIVERY_BATCH} e-mails); {purged:,} purged unsent."
        )

    def _in_a_fresh_process(self) -> str:
        connection.close()  # the child must see what the setup committed
        manage = Path(settings.BASE_DIR) / "manage.py"
        child = subprocess.run(  # noqa: S603 (this very command)
            [sys.executable, str(manage), "benchmark_reminders", "--sweep-only"],
            capture_output=True,
            text=True,
            check=True,
        )
        return child.stdout

    @contextmanager
    def _timed(self, label: str):
        self.stdout.write(f"{label}…")
        start = time.perf_counter()
        yield
        self.stdout.write(f"{label}: {time.perf_counter() - start:.1f} s")

    def _sweep(self, label: str) -> None:
        self.stdout.write(f"\n{label}")
        real_queue = delivery._queue
        queue_seconds = [0.0]

        def timed_queue(reminder):
            start = time.perf_counter()
            real_queue(reminder)
            queue_seconds[0] += time.perf_counter() - start

        rows: list[tuple[str, int, float, float, int]] = []
        with mock.patch.object(delivery, "_queue", timed_queue):
            for job in jobs.ALL_JOBS:
                counter = QueryCounter()
                queue_seconds[0] = 0.0
                start = time.perf_counter()
                with connection.execute_wrapper(counter):
                    result = jobs.run_job(job)
                seconds = time.perf_counter() - start
                rows.append((job, len(result.sent), seconds, queue_seconds[0], counter.count))
        self.stdout.write(
            f"{'job':<22}{'sent':>8}{'seconds':>10}{'of which e-mails':>18}{'queries':>10}"
        )
        for job, sent, seconds, queued, queries in rows:
            self.stdout.write(f"{job:<22}{sent:>8,}{seconds:>10.1f}{queued:>18.1f}{queries:>10,}")
        sent_all = sum(row[1] for row in rows)
        seconds_all, queued_all = sum(row[2] for row in rows), sum(row[3] for row in rows)
        queries_all = sum(row[4] for row in rows)
        self.stdout.write(
            f"{'total':<22}{sent_all:>8,}{seconds_all:>10.1f}{queued_all:>18.1f}{queries_all:>10,}"
        )
        # The process's peak so far: the setup is made to stay below the sweep (see _create).
        peak = peak_memory_mb()
        self.stdout.write(f"Peak memory of the process so far: {peak} MB")

    # --- Data ---------------------------------------------------------------------------------

    def _create(self, n: int) -> None:
        """n channels: most active, with evaluation dates spread over a year (about 8 % coming
        up within 30 days, 4 % due, 5 % overdue), 0.5 % each waiting for the head of department
        (half of those reminded, half expired), waiting for Komm, flagged, or in a handover.

        Made in chunks and keeping only primary keys, so that the setup's memory stays below
        the sweep's (the peak memory reported is the sweep's)."""
        now = timezone.now()
        unit = Unit.objects.create(name=BENCH_UNIT, kind=Unit.Kind.DEPARTMENT)
        people = self._people(max(n // 4, 2))
        small = max(n // 200, 1)
        awaiting, handed_over = [], []
        for start in range(0, n, BATCH):
            made = self._channels(
                range(start, min(start + BATCH, n)),
                n=n,
                small=small,
                unit=unit,
                people=people,
                now=now,
            )
            Deputyship.objects.bulk_create(
                Deputyship(channel_id=channel.pk, user_id=people[(i + 1) % len(people)])
                for i, channel in zip(range(start, start + len(made)), made, strict=True)
            )
            awaiting += [
                (c.pk, c.responsible_id) for c in made if c.state == Channel.State.AWAITING_PREFECT
            ]
            handed_over += [
                (c.pk, c.responsible_id, i)
                for i, c in zip(range(start, start + len(made)), made, strict=True)
                if 3 * small <= i < 4 * small
            ]
        self._signoffs(awaiting, now=now)
        self._handovers(handed_over, people=people, now=now)
        gc.collect()

    def _people(self, count: int) -> list[int]:
        unusable = make_password(None)  # nobody logs in as a benchmark user
        return [
            user.pk
            for user in get_user_model().objects.bulk_create(
                (
                    get_user_model()(
                        username=f"{BENCH_USER_PREFIX}{i}",
                        email=f"{BENCH_USER_PREFIX}{i}@umu.se",
                        password=unusable,
                    )
                    for i in range(count)
                ),
                batch_size=BATCH,
            )
        ]

    def _channels(self, numbers, *, n: int, small: int, unit, people: list[int], now) -> list:
        today = timezone.localdate(now)
        platform = Platform.objects.order_by("pk").first()

        def state(i: int) -> str:
            if i < small:
                return Channel.State.AWAITING_PREFECT
            if i < 2 * small:
                return Channel.State.AWAITING_KOMM
            return Channel.State.ACTIVE

        return Channel.objects.bulk_create(
            Channel(
                name=f"Benchmark channel {i}",
                platform=platform,
                address=f"https://example.com/bench/{i}",
                address_is_planned=state(i) != Channel.State.ACTIVE,
                sender=Channel.Sender.UNIT,
                sender_unit=unit,
                responsible_unit=unit,
                created_by_id=people[i % len(people)],
                responsible_id=people[i % len(people)],
                state=state(i),
                state_changed_at=now,
                next_evaluation_on=today + timedelta(days=-30 + (i * 365) // n),
                needs_handover_since=now if 2 * small <= i < 3 * small else None,
            )
            for i in numbers
        )

    def _signoffs(self, awaiting: list[tuple[int, int]], *, now) -> None:
        """A link for each channel awaiting its head of department: half due for a reminder,
        half expired."""
        PrefectSignoff.objects.bulk_create(
            PrefectSignoff(
                channel_id=channel,
                prefect_name="Petra Prefekt",
                prefect_email="petra.prefekt@umu.se",
                responsible_id=responsible,
                requested_by_id=responsible,
                token_hash=f"bench-{channel}",
                expires_at=now + timedelta(days=10),
            )
            for channel, responsible in awaiting
        )
        signoffs = PrefectSignoff.objects.filter(channel__name__startswith="Benchmark channel ")
        half = [channel for channel, _responsible in awaiting[: len(awaiting) // 2]]
        signoffs.exclude(channel__in=half).update(requested_at=now - timedelta(days=4))
        signoffs.filter(channel__in=half).update(
            requested_at=now - timedelta(days=20), expires_at=now - timedelta(days=6)
        )

    def _handovers(self, channels: list[tuple[int, int, int]], *, people: list[int], now) -> None:
        Handover.objects.bulk_create(
            Handover(
                channel_id=channel,
                state=Handover.State.IN_PROGRESS,
                previous_responsible_id=responsible,
                new_responsible_id=people[(i + 2) % len(people)],
                reason=Handover.Reason.NEW_ROLE,
                started_by_id=responsible,
            )
            for channel, responsible, i in channels
        )
        Handover.objects.filter(channel__name__startswith="Benchmark channel ").update(
            started_at=now - timedelta(days=8)
        )

    def _clean(self, outbox_before: int, started) -> None:
        OutgoingEmail.objects.filter(pk__gt=outbox_before).delete()
        SentReminder.objects.filter(sent_at__gte=started).delete()
        unit = Unit.objects.filter(name=BENCH_UNIT).first()
        if unit is None:
            return
        ours = Channel.objects.filter(responsible_unit=unit)
        Handover.objects.filter(channel__in=ours).delete()
        PrefectSignoff.objects.filter(channel__in=ours).delete()
        with connection.cursor() as cursor:
            # Raw deletes: the ORM's cascade collector would load 100,000 channels into memory.
            for table, column in [
                (Deputyship._meta.db_table, "channel_id"),
                ("channels_auditentry", "channel_id"),
            ]:
                cursor.execute(
                    f"DELETE FROM {table} WHERE {column} IN "  # noqa: S608 (fixed names)
                    f"(SELECT id FROM {Channel._meta.db_table} WHERE responsible_unit_id = %s)",
                    [unit.pk],
                )
            cursor.execute(
                f"DELETE FROM {Channel._meta.db_table} WHERE responsible_unit_id = %s",  # noqa: S608
                [unit.pk],
            )
        get_user_model().objects.filter(username__startswith=BENCH_USER_PREFIX).delete()
        unit.delete()
