"""The policy's events in a channel's trail; worded by channels.audit, which registers them."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class PolicyEvent(models.TextChoices):
    PUBLISHED = "policy_published", gettext_lazy("Policy publication recorded")
    UPDATED = "policy_updated", gettext_lazy("Policy updated to a new template version")


def _published(params: dict) -> str:
    return _("Published: %(location)s. The profile states that the university is responsible.") % {
        "location": params.get("location", "")
    }


def _updated(params: dict) -> str:
    return _("From version %(from)s to version %(to)s of the template.") % {
        "from": params.get("from") or "–",
        "to": params.get("to", ""),
    }


MESSAGES: dict[str, Callable[[dict], str]] = {
    PolicyEvent.PUBLISHED: _published,
    PolicyEvent.UPDATED: _updated,
}
