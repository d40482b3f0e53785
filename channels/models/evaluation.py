"""The owner's periodic evaluations of a running channel."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from channels.models.channel import Channel


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
    # The authority's daily duties: monitored as planned, questions answered in time.
    duties_kept = models.BooleanField(
        _("monitored as planned and answered within the promised time"), null=True, blank=True
    )
    # The guideline's policy: still published where the channel says, and still current.
    policy_current = models.BooleanField(
        _("the policy is still published and current"), null=True, blank=True
    )
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
