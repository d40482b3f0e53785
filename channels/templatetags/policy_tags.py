"""Komm's policy template, filled in with the channel's answers, on the wizard's policy step."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from channels.models import Channel
from channels.policy.services import policy_fill, policy_template_current

register = template.Library()


@register.inclusion_tag("channels/_policy_template.html")
def policy_template(channel: Channel | None) -> dict:
    """The filled-in text in the page's language and the version it comes from (2 queries)."""
    current = policy_template_current()
    if channel is None or current is None:
        return {"channel": channel, "text": ""}
    basis = getattr(channel, "policy_basis", None) if channel.pk else None
    return {
        "channel": channel,
        "template": current,
        "text": policy_fill(channel=channel, template=current, language=get_language()),
        "basis": basis,
    }
