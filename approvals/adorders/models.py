"""An ad order ("digital distribution"): ads or a campaign in social media, or search-keyword
ads, ordered through Komm; and the creatives attached to it. Imported by approvals.models."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from channels.models import Channel
from core.storage import private_storage


class AdOrder(models.Model):
    class Kind(models.TextChoices):
        SOCIAL = "social", _("Ads or a campaign in social media")
        SEARCH = "search", _("Search-keyword ads")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        IN_PROGRESS = "in_progress", _("In progress")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Every legal move (core.states); approvals.adorders.services.ad_order_transition writes
    # them. Komm (or the agency through Komm) moves an order on; the orderer may withdraw it
    # until it runs.
    TRANSITIONS: dict[str, set[str]] = {
        State.SUBMITTED: {State.IN_PROGRESS, State.DECLINED, State.WITHDRAWN},
        State.IN_PROGRESS: {State.RUNNING, State.DECLINED, State.WITHDRAWN},
        State.RUNNING: {State.DONE},
        State.DONE: set(),
        State.DECLINED: set(),
        State.WITHDRAWN: set(),
    }
    OPEN_STATES = {State.SUBMITTED, State.IN_PROGRESS, State.RUNNING}

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    channels = models.ManyToManyField(Channel, verbose_name=_("channels"), related_name="ad_orders")
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    budget = models.PositiveIntegerField(_("budget (SEK)"))
    target_group = models.TextField(_("target group"))
    landing_page = models.URLField(_("landing page"), max_length=500)
    cost_centre = models.CharField(_("cost centre or invoice reference"), max_length=100)
    notes = models.TextField(_("other information"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.SUBMITTED
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ordered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ordered_at = models.DateTimeField(_("ordered"), auto_now_add=True)
    state_changed_at = models.DateTimeField(_("state changed"), auto_now_add=True)

    class Meta:
        ordering = ["-ordered_at", "-pk"]
        verbose_name = _("ad order")
        verbose_name_plural = _("ad orders")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="ad_order_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(budget__gt=0), name="ad_order_budget_positive"),
            models.CheckConstraint(
                condition=~Q(state="declined") | ~Q(decline_reason=""),
                name="ad_order_decline_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AdAttachment(models.Model):
    """A creative (image, film or PDF) sent with an order; stored privately (storage.py)."""

    order = models.ForeignKey(AdOrder, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to="adorders/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("creative")
        verbose_name_plural = _("creatives")

    def __str__(self) -> str:
        return self.name
