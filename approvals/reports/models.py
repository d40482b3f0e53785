"""Reports from the public of a suspected fake or hijacked account, and what Komm did about them.

A report keeps no data about its sender but what they chose to give (`contact`, optional); the
sender's network address is used only for the rate limit, in the cache, and never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReportState(models.TextChoices):
    NEW = "new", _("New")
    CONFIRMED = "confirmed", _("Confirmed impostor")
    REPORTED = "reported", _("Reported to the platform")
    OURS = "ours", _("It is ours")
    DISMISSED = "dismissed", _("Dismissed")


class SuspectedAccountReport(models.Model):
    State = ReportState

    # Komm checks a new report: an impostor (then tells the platform), one of ours after all,
    # or nothing to act on.
    TRANSITIONS: dict[str, set[str]] = {
        State.NEW: {State.CONFIRMED, State.OURS, State.DISMISSED},
        State.CONFIRMED: {State.REPORTED},
        State.REPORTED: set(),
        State.OURS: set(),
        State.DISMISSED: set(),
    }

    address = models.CharField(_("address or handle of the account"), max_length=500)
    address_key = models.CharField(_("address, normalised"), max_length=500, db_index=True)
    reason = models.TextField(_("what makes it suspicious"))
    contact = models.CharField(_("contact (optional)"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.NEW, db_index=True
    )
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    state_changed_at = models.DateTimeField(_("state changed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report of a suspected account")
        verbose_name_plural = _("reports of suspected accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ReportState.values), name="report_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.address


class ReportEvent(models.Model):
    """The audit trail of a report: who moved it, from and to which state, and why."""

    report = models.ForeignKey(
        SuspectedAccountReport, on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    from_state = models.CharField(_("from"), max_length=20, blank=True)
    to_state = models.CharField(_("to"), max_length=20)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def __str__(self) -> str:
        return f"{self.report}: {self.from_state} → {self.to_state}"

    @property
    def from_label(self) -> str:
        return str(dict(ReportState.choices).get(self.from_state, self.from_state))

    @property
    def to_label(self) -> str:
        return str(dict(ReportState.choices).get(self.to_state, self.to_state))
