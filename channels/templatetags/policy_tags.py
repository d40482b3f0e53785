"""Komm's policy template, filled in with the channel's answers, on the wizard's policy step."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language, get_language_info

from channels.models import Channel
from channels.policy.diff import policy_diff
from channels.policy.selectors import policy_update_offered
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


@register.inclusion_tag("channels/_policy_publication.html", takes_context=True)
def policy_publication_section(context, channel: Channel) -> dict:
    """On a running channel's page: where its policy is published, or that it is still to be
    recorded (the channel's next step); to its people, a newer template version to take. At
    most three queries."""
    from channels.selectors import user_is_channel_person

    running = channel.state in Channel.RUNNING_STATES
    may_record = user_is_channel_person(user=context["request"].user, channel=channel)
    current = policy_template_current() if running and may_record else None
    offered = current is not None and policy_update_offered(channel, current)
    return {
        "channel": channel,
        "running": running,
        "publication": getattr(channel, "policy_publication", None),
        "may_record": may_record,
        "basis": getattr(channel, "policy_basis", None),
        "new_template": current if offered else None,
        "new_text": policy_fill(channel=channel, template=current, language=get_language())
        if current is not None and offered
        else "",
    }


@register.inclusion_tag("channels/_policy_diff.html")
def policy_differences(channel: Channel) -> dict:
    """For Komm's review: the channel's policy against the template it is based on (3 queries)."""
    diff = policy_diff(channel)
    language_name = get_language_info(diff.language)["name_translated"] if diff else ""
    return {
        "diff": diff,
        "basis": getattr(channel, "policy_basis", None),
        "language_name": language_name,
    }
