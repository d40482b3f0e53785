"""A channel's audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from channels.models.channel import Channel


class AuditEntry(models.Model):
    """One line of a channel's audit trail: who did what, when, from which state to which, why.

    Written only by services; never edited or deleted through the portal (the admin shows it
    read-only).
    """

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        SUBMITTED = "submitted", _("Submitted")
        SIGNOFF_REQUESTED = "signoff_requested", _("Sign-off link sent to head of department")
        PREFECT_APPROVED = "prefect_approved", _("Approved by head of department")
        PREFECT_DECLINED = "prefect_declined", _("Declined by head of department")
        KOMM_APPROVED = "komm_approved", _("Approved by Komm")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested by Komm")
        KOMM_REJECTED = "komm_rejected", _("Rejected by Komm")
        OPENED = "opened", _("Opened")
        REGISTRY_CORRECTED = "registry_corrected", _("Registry entry corrected")
        EVALUATED = "evaluated", _("Evaluated")
        FLAGGED_FOR_HANDOVER = "flagged_for_handover", _("Flagged as needing a handover")
        HANDOVER_STARTED = "handover_started", _("Handover started")
        HANDOVER_APPROVED = "handover_approved", _("Handover approved by head of department")
        HANDOVER_DECLINED = "handover_declined", _("Handover declined by head of department")
        HANDOVER_ACCEPTED = (
            "handover_accepted",
            _("Handover accepted by the new responsible person"),
        )
        HANDOVER_STEP = "handover_step", _("Handover step done")
        HANDOVER_COMPLETED = "handover_completed", _("Handover completed")
        HANDOVER_CANCELLED = "handover_cancelled", _("Handover cancelled")
        CLOSURE_STARTED = "closure_started", _("Closure started")
        CLOSURE_STEP = "closure_step", _("Closure step done")
        CLOSURE_CONFIRMED = "closure_confirmed", _("Closure confirmed by Komm")
        CLOSURE_CANCELLED = "closure_cancelled", _("Closure cancelled")

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="audit_entries")
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(
        _("by (name)"),
        max_length=200,
        help_text=_("The name of whoever acted, also for people without an account."),
    )
    from_state = models.CharField(
        _("from state"), max_length=20, choices=Channel.State.choices, blank=True
    )
    to_state = models.CharField(
        _("to state"), max_length=20, choices=Channel.State.choices, blank=True
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.created_at:%Y-%m-%d %H:%M}"
