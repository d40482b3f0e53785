"""Writes of the report workflow: a report from the public (rate limited per client address),
and Komm's decisions on it, each written to the report's trail."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from approvals import emails
from approvals.reports.models import ReportEvent, SuspectedAccountReport
from channels.addresses import address_key
from channels.selectors import user_is_komm
from core.states import transition

State = SuspectedAccountReport.State


class RateLimited(ValidationError):
    """Too many reports from one client address within the window."""


def report_rate_limit_hit(*, client: str) -> bool:
    """Count one report from `client`; True when it is over the limit of the window. The count
    lives in the cache (Django's, shared by the web processes with CACHE_URL), never the
    database."""
    limit, window = settings.REPORT_RATE_LIMIT, settings.REPORT_RATE_WINDOW_SECONDS
    key = f"report-rate:{client}"
    # add() starts the window only if no count exists, so the window is not extended per hit.
    if cache.add(key, 1, timeout=window):
        return limit < 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window)
        count = 1
    return count > limit


@transaction.atomic
def report_submit(
    *, address: str, reason: str, contact: str = "", client: str
) -> SuspectedAccountReport:
    """Store a report from the public and tell Komm. Raises RateLimited past the limit."""
    if report_rate_limit_hit(client=client):
        raise RateLimited(
            _(
                "You have sent many reports in a short time. Please wait an hour and try "
                "again, or e-mail the Communications Office at %(email)s."
            )
            % {"email": settings.KOMM_EMAIL}
        )
    report = SuspectedAccountReport.objects.create(
        address=address.strip(),
        address_key=address_key(address),
        reason=reason.strip(),
        contact=contact.strip(),
    )
    ReportEvent.objects.create(report=report, to_state=report.state)
    emails.report_received(report=report)
    return report


@transaction.atomic
def report_decide(
    *, report: SuspectedAccountReport, to: str, decided_by, note: str = ""
) -> SuspectedAccountReport:
    """Komm records what the report turned out to be, or that the platform has been told."""
    if not user_is_komm(decided_by):
        raise PermissionDenied(_("Only Komm handles reports of suspected accounts."))
    from_state = transition(report, to=to, timestamp_field="state_changed_at")
    ReportEvent.objects.create(
        report=report, actor=decided_by, from_state=from_state, to_state=to, note=note.strip()
    )
    return report


def report_forget_contacts(*, handled_before: datetime) -> int:
    """Clear the contact a sender gave on every report handled (in a state with no way on)
    before `handled_before`: Komm needs it while acting on a report, not afterwards
    (docs/security.md). Returns how many reports lost their contact."""
    handled = [state for state, onward in SuspectedAccountReport.TRANSITIONS.items() if not onward]
    return (
        SuspectedAccountReport.objects.filter(
            state__in=handled, state_changed_at__lt=handled_before
        )
        .exclude(contact="")
        .update(contact="")
    )
