"""Periodic tasks of the approval workflow: the reminder jobs (approvals/reminders/).

Beat runs `send_reminders` every morning and `send_komm_digest` on Monday mornings. Both are
safe to run again, or in two workers at once: each reminder is claimed once, by a unique row.
They take no arguments but job names, so a lost or repeated message does no harm.
"""

from __future__ import annotations

import logging

from celery import shared_task

from approvals.reminders.jobs import DAILY_JOBS, WEEKLY_JOBS, run_job

log = logging.getLogger(__name__)


def _run_jobs(jobs: tuple[str, ...] | list[str]) -> dict[str, int]:
    """Run each job in its own transaction; one job failing does not stop the others."""
    counts: dict[str, int] = {}
    failures = []
    for name in jobs:
        try:
            counts[name] = len(run_job(name).sent)
        except Exception as exc:  # report, run the rest, then fail the task
            log.exception("Reminder job %s failed", name)
            failures.append((name, exc))
    if failures:
        _first, cause = failures[0]
        raise RuntimeError(
            f"Reminder job(s) failed: {', '.join(n for n, _e in failures)}"
        ) from cause
    return counts


@shared_task
def send_reminders(jobs: list[str] | None = None) -> dict[str, int]:
    """Run the daily reminder jobs (or the named ones); returns how many each sent."""
    return _run_jobs(jobs or DAILY_JOBS)


@shared_task
def send_komm_digest() -> dict[str, int]:
    """Komm's weekly digest (nothing to report: no e-mail)."""
    return _run_jobs(WEEKLY_JOBS)
