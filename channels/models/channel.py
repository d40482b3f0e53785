"""The channel, its states and its deputies: everything the guideline's checklist asks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from channels.addresses import address_key
from channels.models.organisation import Platform, Unit

if TYPE_CHECKING:
    from core.models import User


class ChannelState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_PREFECT = "awaiting_prefect", _("Awaiting head of department")
    PREFECT_DECLINED = "prefect_declined", _("Declined by head of department")
    AWAITING_KOMM = "awaiting_komm", _("Awaiting Komm")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested by Komm")
    APPROVED = "approved", _("Approved, not yet opened")
    ACTIVE = "active", _("Active")
    REJECTED = "rejected", _("Rejected by Komm")
    CLOSING = "closing", _("Being closed")
    CLOSED = "closed", _("Closed")


class Channel(models.Model):
    """An official channel: everything the guideline's checklist asks Komm to be told."""

    State = ChannelState

    # Every legal move of the state machine. Services refuse anything else (IllegalTransition).
    TRANSITIONS: dict[str, set[str]] = {
        State.DRAFT: {State.AWAITING_PREFECT},
        State.AWAITING_PREFECT: {State.AWAITING_KOMM, State.PREFECT_DECLINED},
        State.PREFECT_DECLINED: {State.AWAITING_PREFECT},
        State.AWAITING_KOMM: {State.APPROVED, State.CHANGES_REQUESTED, State.REJECTED},
        State.CHANGES_REQUESTED: {State.AWAITING_PREFECT, State.AWAITING_KOMM},
        State.APPROVED: {State.ACTIVE, State.CLOSING},
        State.ACTIVE: {State.CLOSING},
        State.REJECTED: set(),
        # Closure: Komm confirms it (closed), or it is called off (back to where it was).
        State.CLOSING: {State.CLOSED, State.ACTIVE, State.APPROVED},
        State.CLOSED: set(),
    }
    # States in which the owner may edit the registration.
    EDITABLE_STATES = {State.DRAFT, State.PREFECT_DECLINED, State.CHANGES_REQUESTED}
    # States in which a channel counts as registered or pending, for the duplicate check.
    LIVE_STATES = {
        State.AWAITING_PREFECT,
        State.AWAITING_KOMM,
        State.CHANGES_REQUESTED,
        State.APPROVED,
        State.ACTIVE,
        State.PREFECT_DECLINED,
        State.CLOSING,
    }
    # States of a channel that is running (or about to) and so has duties: evaluations, handovers.
    RUNNING_STATES = {State.APPROVED, State.ACTIVE}

    class Language(models.TextChoices):
        SWEDISH = "sv", _("Swedish")
        ENGLISH = "en", _("English")
        BOTH = "sv_en", _("Swedish and English")
        OTHER = "other", _("Other")

    class Sender(models.TextChoices):
        UNIVERSITY = "university", _("Umeå University")
        UNIT = "unit", _("The university through a faculty, department, division or centre")
        EMPLOYEE = "employee", _("The university through an individual employee")

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        SEVERAL_WEEKLY = "several_weekly", _("Several times a week")
        WEEKLY = "weekly", _("Weekly")
        SEVERAL_MONTHLY = "several_monthly", _("A few times a month")
        MONTHLY = "monthly", _("Monthly")
        OCCASIONALLY = "occasionally", _("Occasionally (campaigns, events)")

    class MonitoringFrequency(models.TextChoices):
        SEVERAL_DAILY = "several_daily", _("Several times a day")
        DAILY = "daily", _("Every working day")
        WEEKLY = "several_weekly", _("A few times a week")

    # 1. Platform and name
    name = models.CharField(_("name of the channel"), max_length=200)
    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.PROTECT, related_name="channels"
    )
    address = models.URLField(
        _("address"),
        max_length=500,
        help_text=_("The channel's web address, or the planned one if it is not opened yet."),
    )
    # The address in one form (channels.addresses), kept by save(): the duplicate check and the
    # public verify page match on it, whatever way the address was typed.
    address_key = models.CharField(
        _("address, normalised"), max_length=500, blank=True, editable=False, db_index=True
    )
    address_is_planned = models.BooleanField(
        _("the channel is not opened yet; the address is planned"), default=True
    )
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.SWEDISH
    )
    # 2. Purpose and audience
    purpose = models.TextField(_("purpose"), blank=True)
    audience_primary = models.TextField(_("primary audience"), blank=True)
    audience_secondary = models.TextField(_("secondary audience"), blank=True)
    # 3. Sender and organisation
    sender = models.CharField(
        _("sender"), max_length=20, choices=Sender.choices, default=Sender.UNIT
    )
    sender_unit = models.ForeignKey(
        Unit,
        verbose_name=_("sending unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sent_channels",
    )
    # Which employee the university speaks through, when that is the sender (the guideline's
    # third sender); required then (the form and channel_missing_fields).
    sender_employee = models.CharField(
        _("employee the university speaks through"), max_length=200, blank=True
    )
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="channels",
    )
    operations_area = models.CharField(
        _("area of operations the channel supports"), max_length=300, blank=True
    )
    prefect_name = models.CharField(_("name of the head of department"), max_length=200, blank=True)
    prefect_title = models.CharField(_("title"), max_length=200, blank=True)
    prefect_email = models.EmailField(_("e-mail of the head of department"), blank=True)
    prefect_other_reason = models.TextField(
        _("why someone other than the unit's registered head signs off"),
        blank=True,
        help_text=_("For example an acting head while the head is away."),
    )
    # 4. People and resources
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_for",
    )
    responsible_phone = models.CharField(
        _("phone of the responsible person"), max_length=40, blank=True
    )
    deputies: models.ManyToManyField[User, Deputyship] = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deputies"),
        through="Deputyship",
        related_name="deputy_for",
        blank=True,
    )
    resources = models.TextField(_("resources set aside"), blank=True)
    update_frequency = models.CharField(
        _("planned update frequency"), max_length=20, choices=Frequency.choices, blank=True
    )
    # 5. Routines
    monitoring_who = models.TextField(_("who monitors the channel"), blank=True)
    monitoring_frequency = models.CharField(
        _("how often it is monitored"),
        max_length=20,
        choices=MonitoringFrequency.choices,
        blank=True,
    )
    response_time_hours = models.PositiveSmallIntegerField(
        _("promised response time (hours)"), null=True, blank=True
    )
    archiving_routine = models.TextField(_("archiving routine"), blank=True)
    culling_routine = models.TextField(_("culling routine"), blank=True)
    # 6. Policy and profile
    policy_text = models.TextField(_("channel policy"), blank=True)
    policy_location = models.CharField(
        _("where the policy is published"), max_length=300, blank=True
    )
    graphic_profile_confirmed = models.BooleanField(
        _("the channel follows the university's graphic profile"), default=False
    )
    # 7. Evaluation and handover
    evaluation_method = models.TextField(_("how the channel is evaluated"), blank=True)
    evaluation_interval_months = models.PositiveSmallIntegerField(
        _("evaluation interval (months)"), null=True, blank=True
    )
    evaluation_first_date = models.DateField(_("first evaluation"), null=True, blank=True)
    handover_routine = models.TextField(
        _("routine for handing over credentials and permissions"), blank=True
    )
    # Bookkeeping
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="created_channels",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    state_changed_at = models.DateTimeField(_("state changed"), null=True, blank=True)
    prefect_approved_on = models.DateField(
        _("date of approval by the head of department"), null=True, blank=True
    )
    approved_at = models.DateTimeField(_("approved by Komm"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    case_number = models.CharField(_("case number (diarienummer)"), max_length=50, blank=True)
    # The life of a registered channel (issue 3).
    next_evaluation_on = models.DateField(
        _("next evaluation"), null=True, blank=True, db_index=True
    )
    needs_handover_since = models.DateTimeField(
        _("flagged as needing a handover"),
        null=True,
        blank=True,
        help_text=_("Set when the responsible person or a deputy no longer works here."),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        permissions = [("review_channel", _("Can review channels for Komm"))]
        # What the hot reads use (docs/benchmarks.md); the trigram indexes of the searches are
        # PostgreSQL-only and live in their migration (channels 0013_indexes_for_scale).
        indexes = [
            # Komm's flagged list and the digest: only the few flagged rows are in it.
            models.Index(
                fields=["needs_handover_since", "id"],
                condition=Q(needs_handover_since__isnull=False),
                name="channel_flagged_idx",
            ),
            # Komm's overview (evaluations past their date) and the evaluation reminders.
            models.Index(
                fields=["next_evaluation_on", "id"],
                condition=Q(state__in=["approved", "active"]),
                name="channel_running_evaluation_idx",
            ),
            # The duplicate check and the public verify page.
            models.Index(fields=["platform", "address_key"], name="channel_platform_address_idx"),
            # Komm's queue (per state, longest waiting first) and the digest's queue section.
            # Komm's queue (per state, longest waiting first) and the digest's queue section. On
            # PostgreSQL its waiting column is NULLS FIRST, as the queue sorts (channels 0015).
            models.Index(
                fields=["state", "state_changed_at", "id"], name="channel_state_waiting_idx"
            ),
            # The admin's and the register's default order.
            models.Index(fields=["name", "id"], name="channel_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ChannelState.values),
                name="channel_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(sender="unit") | Q(sender_unit__isnull=False) | Q(state="draft"),
                name="channel_unit_sender_names_unit",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(responsible__isnull=False),
                name="channel_submitted_has_responsible",
            ),
            models.CheckConstraint(
                condition=~Q(state="active") | Q(address_is_planned=False),
                name="channel_active_has_live_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.platform})"

    def save(self, *args, **kwargs):
        # A derived column, not a rule: kept here so that no path (a service, the admin, a
        # factory, seed_demo) can leave it stale. A save of named fields that include the
        # address writes its key too.
        self.address_key = address_key(self.address)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "address" in update_fields:
            kwargs["update_fields"] = {*update_fields, "address_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("channels:detail", args=[self.pk])

    @classmethod
    def label_of(cls, name: str) -> str:
        """The field's name as the reader sees it (its verbose name, in the active language)."""
        return str(getattr(cls._meta.get_field(name), "verbose_name", name))

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES

    def can_move_to(self, state: str) -> bool:
        return state in self.TRANSITIONS[self.state]


class Deputyship(models.Model):
    """A deputy of a channel: a member of staff who stands in for the responsible person."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="deputyships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("deputy"), on_delete=models.PROTECT
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        constraints = [
            models.UniqueConstraint(fields=["channel", "user"], name="deputyship_unique"),
        ]

    def __str__(self) -> str:
        return str(self.user)
