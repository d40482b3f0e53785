"""Decisions on a channel: the head of department's sign-off and Komm's review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from channels.models import Channel, ChannelState


class PrefectSignoff(models.Model):
    """A request to a head of department (prefect) to approve a channel, by e-mailed link.

    Only a hash of the link's random token is stored. At most one request per channel is
    pending at a time; sending a new link marks the old request replaced.
    """

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        REPLACED = "replaced", _("Replaced by a new link")

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="signoffs")
    # Set when the sign-off is for a handover (a new responsible person), not the registration.
    handover = models.ForeignKey(
        "Handover",
        verbose_name=_("handover"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="signoffs",
    )
    prefect_name = models.CharField(_("name"), max_length=200)
    prefect_title = models.CharField(_("title"), max_length=200, blank=True)
    prefect_email = models.EmailField(_("e-mail"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person to appoint"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    expires_at = models.DateTimeField(_("link expires"))
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("head of department sign-off")
        verbose_name_plural = _("head of department sign-offs")
        # Komm's overview and the reminders: the pending links, oldest first.
        indexes = [
            models.Index(
                fields=["requested_at", "id"],
                condition=Q(decision="pending"),
                name="signoff_pending_idx",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["channel"],
                condition=Q(decision="pending"),
                name="signoff_one_pending_per_channel",
            ),
            models.CheckConstraint(
                condition=~Q(decision="declined") | ~Q(reason=""),
                name="signoff_decline_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefect_name}: {self.get_decision_display()}"


class KommReview(models.Model):
    """Komm's decision on a channel that the head of department has approved."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        REJECTED = "rejected", _("Rejected")

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT
    )
    comment = models.TextField(_("comment"), blank=True)
    case_number = models.CharField(_("case number (diarienummer)"), max_length=50, blank=True)
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name = _("Komm review")
        verbose_name_plural = _("Komm reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="approved") | ~Q(comment=""),
                name="review_non_approval_has_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {self.get_decision_display()}"


# The states of an open handover, named once: the model and its constraint both use them.
HANDOVER_OPEN_STATES = ("awaiting_prefect", "awaiting_acceptance", "in_progress")


class Handover(models.Model):
    """Passing a channel's responsibility, credentials and permissions to a new person.

    The head of department appoints the responsible person, so a new one is signed off through
    the same e-mailed link as a registration. The portal records the steps of the handover; it
    never asks for, and never stores, a password or a recovery code.
    """

    class State(models.TextChoices):
        AWAITING_PREFECT = "awaiting_prefect", _("Awaiting head of department")
        AWAITING_ACCEPTANCE = "awaiting_acceptance", _("Awaiting the new responsible person")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        DECLINED = "declined", _("Declined by head of department")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATES = set(map(State, HANDOVER_OPEN_STATES))
    # Every legal move (core.states); approvals.handover.transitions is the only writer.
    TRANSITIONS: dict[str, set[str]] = {
        State.AWAITING_PREFECT: {State.AWAITING_ACCEPTANCE, State.DECLINED, State.CANCELLED},
        State.AWAITING_ACCEPTANCE: {State.IN_PROGRESS, State.CANCELLED},
        State.IN_PROGRESS: {State.COMPLETED, State.CANCELLED},
        State.COMPLETED: set(),
        State.DECLINED: set(),
        State.CANCELLED: set(),
    }

    class Reason(models.TextChoices):
        NEW_ROLE = "new_role", _("New role or tasks")
        LEAVING = "leaving", _("Leaving the university")
        LEAVE = "leave", _("Long leave")
        OTHER = "other", _("Other")

    # The checklist, in order: (field, label). Each is a timestamp set when the step is ticked.
    STEPS = (
        ("admin_roles_moved_at", _("Admin roles on the platform moved to the new person")),
        ("login_email_moved_at", _("Login e-mail and recovery moved to a functional mailbox")),
        ("two_factor_moved_at", _("Two-factor authentication moved")),
        ("old_access_removed_at", _("The previous person's access removed")),
        ("password_changed_at", _("Password changed")),
    )

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="handovers")
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.AWAITING_PREFECT
    )
    previous_responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("previous responsible person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    new_responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("new responsible person"),
        on_delete=models.PROTECT,
        related_name="handovers_received",
    )
    new_responsible_phone = models.CharField(_("phone"), max_length=40, blank=True)
    new_deputies = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("new deputies"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty to keep the current deputies."),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    reason_text = models.TextField(_("more about the reason"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    admin_roles_moved_at = models.DateTimeField(null=True, blank=True)
    login_email_moved_at = models.DateTimeField(null=True, blank=True)
    two_factor_moved_at = models.DateTimeField(null=True, blank=True)
    old_access_removed_at = models.DateTimeField(null=True, blank=True)
    password_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        # Komm's handovers list, the overview and the reminders: the open ones, oldest first.
        indexes = [
            models.Index(
                fields=["started_at", "id"],
                condition=Q(state__in=sorted(HANDOVER_OPEN_STATES)),
                name="handover_open_idx",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["channel"],
                condition=Q(state__in=sorted(HANDOVER_OPEN_STATES)),
                name="handover_one_open_per_channel",
            ),
            models.CheckConstraint(
                condition=~Q(state="completed") | Q(completed_at__isnull=False),
                name="handover_completed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {self.new_responsible}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class Closure(models.Model):
    """Decommissioning a channel: the owner's checklist, then Komm's confirmation.

    A closed channel stays in the registry, with its history, so it can still be looked up.
    """

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        CONFIRMED = "confirmed", _("Confirmed by Komm")
        CANCELLED = "cancelled", _("Cancelled")

    class AccountOutcome(models.TextChoices):
        CLOSED = "closed", _("The account is closed")
        HANDED_TO_KOMM = "handed_to_komm", _("The account is handed over to Komm")

    # Every legal move (core.states); approvals.closure.services.closure_transition writes them.
    TRANSITIONS: dict[str, set[str]] = {
        State.IN_PROGRESS: {State.CONFIRMED, State.CANCELLED},
        State.CONFIRMED: set(),
        State.CANCELLED: set(),
    }

    STEPS = (
        ("final_archive_taken_at", _("Final archive taken")),
        ("followers_told_at", _("Followers told")),
        ("admins_removed_at", _("Admins removed")),
        ("account_done_at", _("Account closed or handed over to Komm")),
    )

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="closures")
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.IN_PROGRESS
    )
    reason = models.TextField(_("reason"))
    state_before = models.CharField(
        _("state before closure"), max_length=20, choices=ChannelState.choices
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    archive_location = models.CharField(
        _("where the final archive is kept"), max_length=300, blank=True
    )
    account_outcome = models.CharField(
        _("what happened to the account"),
        max_length=20,
        choices=AccountOutcome.choices,
        blank=True,
    )
    final_archive_taken_at = models.DateTimeField(null=True, blank=True)
    followers_told_at = models.DateTimeField(null=True, blank=True)
    admins_removed_at = models.DateTimeField(null=True, blank=True)
    account_done_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        indexes = [
            models.Index(
                fields=["started_at", "id"],
                condition=Q(state="in_progress"),
                name="closure_in_progress_idx",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["channel"],
                condition=Q(state="in_progress"),
                name="closure_one_open_per_channel",
            ),
            models.CheckConstraint(
                condition=~Q(state="confirmed") | Q(confirmed_at__isnull=False),
                name="closure_confirmed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {self.get_state_display()}"


# The workflows kept in their own packages (moderation log, reports of suspected fake accounts,
# campaign notices, ad orders), imported here so that the app owns their models.
from approvals.adorders.models import AdAttachment, AdOrder  # noqa: E402
from approvals.campaigns.models import CampaignNotice  # noqa: E402
from approvals.moderation.models import ModerationAttachment, ModerationEntry  # noqa: E402
from approvals.reports.models import ReportEvent, SuspectedAccountReport  # noqa: E402

__all__ = [
    "AdAttachment",
    "AdOrder",
    "CampaignNotice",
    "Closure",
    "Handover",
    "KommReview",
    "ModerationAttachment",
    "ModerationEntry",
    "PrefectSignoff",
    "ReportEvent",
    "SuspectedAccountReport",
]
