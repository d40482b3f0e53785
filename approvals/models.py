"""Decisions on a channel: the head of department's sign-off and Komm's review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from channels.models import Channel


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
