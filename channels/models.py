"""The registry: platforms, organisational units, channels and their audit trail."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from core.models import User


class Platform(models.Model):
    """A social media platform, with the guideline's intended use for it. Komm edits these."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    domains = models.JSONField(
        _("domains"),
        default=list,
        help_text=_("Domains the platform's addresses live on, e.g. facebook.com."),
    )
    purpose_sv = models.TextField(_("purpose (Swedish)"), blank=True)
    purpose_en = models.TextField(_("purpose (English)"), blank=True)
    audiences_sv = models.TextField(_("audiences (Swedish)"), blank=True)
    audiences_en = models.TextField(_("audiences (English)"), blank=True)
    managed_by_komm = models.BooleanField(
        _("managed by Komm"),
        default=False,
        help_text=_("The guideline says Komm runs the university's accounts on this platform."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")

    def __str__(self) -> str:
        return self.name

    @property
    def purpose(self) -> str:
        return self.purpose_en if get_language() == "en" else self.purpose_sv

    @property
    def audiences(self) -> str:
        return self.audiences_en if get_language() == "en" else self.audiences_sv

    def accepts_url(self, url: str) -> bool:
        """True when the URL's host is one of the platform's domains or a subdomain of one."""
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.domains)


class Unit(models.Model):
    """A part of the university's organisation, in a tree."""

    class Kind(models.TextChoices):
        FACULTY = "faculty", _("faculty")
        DEPARTMENT = "department", _("department")
        DIVISION = "division", _("division")
        CENTRE = "centre", _("centre")
        CENTRAL_OFFICE = "central_office", _("central office")

    name = models.CharField(_("name (Swedish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unit_unique_name_in_parent"),
        ]

    def __str__(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


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

    def get_absolute_url(self) -> str:
        return reverse("channels:detail", args=[self.pk])

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


class Evaluation(models.Model):
    """The owner's periodic evaluation of a running channel, as the guideline asks."""

    class Decision(models.TextChoices):
        CONTINUE = "continue", _("Continue as before")
        CHANGE = "change", _("Continue with changes")
        CLOSE = "close", _("Close the channel")

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="evaluations")
    evaluated_on = models.DateField(_("date of the evaluation"))
    summary = models.TextField(_("what was done"))
    meets_purpose = models.BooleanField(_("the channel meets its purpose for its audience"))
    followers = models.PositiveIntegerField(_("followers"), null=True, blank=True)
    posts = models.PositiveIntegerField(_("posts since the last evaluation"), null=True, blank=True)
    response_time_hours = models.PositiveIntegerField(
        _("typical response time (hours)"), null=True, blank=True
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    registry_confirmed = models.BooleanField(_("the registry entry is still correct"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        ordering = ["-evaluated_on", "-pk"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return f"{self.channel}: {self.evaluated_on}"
