"""Campaign notices and ad orders in the trails of the channels they concern (channels.audit).

An entry is written on every channel the notice or order names; its params keep the title and
the states (codes), worded here in the reader's language.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from channels import audit


class CampaignEvent(models.TextChoices):
    NOTICE_SENT = "campaign_notice_sent", gettext_lazy("Campaign notice sent to Komm")
    NOTICE_COMMENTED = "campaign_notice_commented", gettext_lazy("Komm commented on a campaign")
    NOTICE_ACKNOWLEDGED = (
        "campaign_notice_acknowledged",
        gettext_lazy("Komm acknowledged a campaign notice"),
    )


def _titled(params: dict) -> str:
    return _("“%(title)s”") % params


def register() -> None:
    audit.register_events(CampaignEvent, {event.value: _titled for event in CampaignEvent})
