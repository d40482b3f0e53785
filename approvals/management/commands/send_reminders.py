"""`python manage.py send_reminders`: every reminder job once, for installations using cron.

Safe to run as often as you like: a reminder already sent is never sent again. Komm's digest
goes out on the first run of each ISO week.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from approvals.reminders.jobs import ALL_JOBS, run_job


class Command(BaseCommand):
    help = "Run every reminder job once and print what each sent."

    def add_arguments(self, parser):
        parser.add_argument(
            "jobs",
            nargs="*",
            metavar="JOB",
            help=f"Only these jobs (default: all of them: {', '.join(ALL_JOBS)}).",
        )

    def handle(self, *args, jobs: list[str], **options):
        unknown = sorted(set(jobs) - set(ALL_JOBS))
        if unknown:
            raise CommandError(
                f"Unknown job(s): {', '.join(unknown)}. The jobs are: {', '.join(ALL_JOBS)}."
            )
        total = 0
        for name in jobs or ALL_JOBS:
            result = run_job(name)
            total += len(result.sent)
            summary = result.note or f"{len(result.sent)} sent"
            self.stdout.write(f"{name}: {summary}")
            for reminder in result.sent:
                self.stdout.write(f"  {reminder.kind} → {reminder.recipient}: {reminder.about}")
        self.stdout.write(self.style.SUCCESS(f"{total} reminder(s) sent."))
