"""A campaign notice: an owner tells Komm about an organic campaign on their channel(s).

The guideline: "Vid digitala kampanjer och liknande meddela detta till komm@umu.se". Komm
acknowledges the notice or comments on it. Imported by approvals.models, so the app owns it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from channels.models import Channel


class CampaignNotice(models.Model):
    class State(models.TextChoices):
        SENT = "sent", _("Sent to Komm")
        COMMENTED = "commented", _("Komm has commented")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged by Komm")

    # Every legal move (core.states); approvals.campaigns.services.campaign_notice_transition
    # writes them. A comment may be followed by an acknowledgement, not the other way round.
    TRANSITIONS: dict[str, set[str]] = {
        State.SENT: {State.COMMENTED, State.ACKNOWLEDGED},
        State.COMMENTED: {State.ACKNOWLEDGED},
        State.ACKNOWLEDGED: set(),
    }

    channels = models.ManyToManyField(
        Channel, verbose_name=_("channels"), related_name="campaign_notices"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    goal = models.TextField(_("goal"))
    audience = models.TextField(_("audience"))
    content = models.TextField(_("what will be posted"))
    contact = models.CharField(_("contact person"), max_length=200)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.SENT)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    komm_comment = models.TextField(_("Komm's comment"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("campaign notice")
        verbose_name_plural = _("campaign notices")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="campaign_notice_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(state="commented") | ~Q(komm_comment=""),
                name="campaign_notice_comment_has_text",
            ),
        ]

    def __str__(self) -> str:
        return self.title
