"""The policy template's reminder job (registered in approvals.reminders.jobs): when Komm
publishes a new version, the people of each running channel whose policy is based on an older
one are told once, with a link to the channel page that offers the update."""

from __future__ import annotations

from datetime import datetime

from approvals import emails
from approvals.reminders.delivery import (
    Reminder,
    channel_link,
    channel_owners,
    to_users,
    with_people,
)
from channels.policy.selectors import channels_behind_template
from channels.policy.services import policy_template_current


def select_policy_template_new(now: datetime) -> list[Reminder]:
    """Running channels behind the current template version: their people, once per channel and
    version (the key carries the version, so the next version is told again). Three queries."""
    template = policy_template_current()
    if template is None:
        return []
    channels = with_people(channels_behind_template(template).order_by("pk"))
    reminders = []
    for channel in channels:
        reminders += to_users(
            channel_owners(channel),
            kind="policy-template-new",
            key=f"{channel.pk}:v{template.version}",
            template=emails.reminder_template("policy-template-new"),
            about=f"{channel.name}: policy template version {template.version}",
            context={"channel": channel, "template": template, "link": channel_link(channel)},
        )
    return reminders
