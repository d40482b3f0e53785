"""Reads of the report workflow: Komm's queue."""

from __future__ import annotations

from django.db.models import QuerySet

from approvals.reports.models import SuspectedAccountReport

State = SuspectedAccountReport.State
OPEN_STATES = (State.NEW, State.CONFIRMED)


def reports_for_queue(*, show: str = "open") -> QuerySet[SuspectedAccountReport]:
    """Open reports (new, or a confirmed impostor not yet reported to the platform) first."""
    reports = SuspectedAccountReport.objects.all()
    if show == "open":
        reports = reports.filter(state__in=OPEN_STATES)
    return reports.order_by("-created_at", "-pk")
