"""Campaign notices and ad orders in the trails of the channels they concern (channels.audit).

An entry is written on every channel the notice or order names; its params keep the title and
the states (codes), worded here in the reader's language.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.adorders.models import AdOrder
from channels import audit


class CampaignEvent(models.TextChoices):
    NOTICE_SENT = "campaign_notice_sent", gettext_lazy("Campaign notice sent to Komm")
    NOTICE_COMMENTED = "campaign_notice_commented", gettext_lazy("Komm commented on a campaign")
    NOTICE_ACKNOWLEDGED = (
        "campaign_notice_acknowledged",
        gettext_lazy("Komm acknowledged a campaign notice"),
    )
    AD_ORDERED = "ad_ordered", gettext_lazy("Ads ordered")
    AD_ORDER_MOVED = "ad_order_moved", gettext_lazy("Ad order changed")
    AD_CREATIVES_ADDED = "ad_creatives_added", gettext_lazy("Creatives added to an ad order")


def _titled(params: dict) -> str:
    return _("“%(title)s”") % params


def _moved(params: dict) -> str:
    states = dict(AdOrder.State.choices)
    return _("“%(title)s”: %(from)s → %(to)s") % {
        "title": params["title"],
        "from": states.get(params["from"], params["from"]),
        "to": states.get(params["to"], params["to"]),
    }


def _creatives(params: dict) -> str:
    return _("“%(title)s”: %(files)s") % {
        "title": params["title"],
        "files": ", ".join(params.get("files", [])),
    }


def register() -> None:
    messages: dict = {event.value: _titled for event in CampaignEvent}
    messages[CampaignEvent.AD_ORDER_MOVED] = _moved
    messages[CampaignEvent.AD_CREATIVES_ADDED] = _creatives
    audit.register_events(CampaignEvent, messages)
