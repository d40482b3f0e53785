"""Campaign notices: an owner tells Komm about a campaign; Komm acknowledges or comments."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import emails
from approvals.campaigns.audit import CampaignEvent
from approvals.campaigns.models import CampaignNotice
from channels.models import Channel
from channels.selectors import user_is_channel_person, user_is_komm
from channels.services import audit_record
from core.states import transition

REQUIRED = ("title", "goal", "audience", "content", "contact")


def period_errors(starts_on: datetime.date | None, ends_on: datetime.date | None) -> dict:
    """The period's faults, by field: both days given, the last not before the first."""
    errors = {}
    if not starts_on:
        errors["starts_on"] = _("Give the first day.")
    if not ends_on:
        errors["ends_on"] = _("Give the last day.")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The last day cannot be before the first day.")
    return errors


def check_channels(*, channels: list[Channel], user) -> None:
    """At least one channel; every one running and the user one of its people."""
    if not channels:
        raise ValidationError({"channels": _("Choose at least one channel.")})
    for channel in channels:
        if not user_is_channel_person(user=user, channel=channel):
            raise PermissionDenied(_("Only a channel's own people can speak for it."))
        if channel.state not in Channel.RUNNING_STATES:
            raise ValidationError(
                {"channels": _("“%(name)s” is not running.") % {"name": channel.name}}
            )


def audit_on_channels(channels, *, action: str, actor, params: dict, reason: str = "") -> None:
    for channel in channels:
        audit_record(channel=channel, action=action, actor=actor, params=params, reason=reason)


@transaction.atomic
def campaign_notice_send(*, sent_by, channels: list[Channel], **fields) -> CampaignNotice:
    """Tell Komm about a campaign. `fields`: title, starts_on, ends_on, goal, audience, content,
    contact. Nothing is stored unless everything is right."""
    check_channels(channels=channels, user=sent_by)
    values = {name: (fields.get(name) or "").strip() for name in REQUIRED}
    errors = {name: _("This is needed.") for name, value in values.items() if not value}
    errors.update(period_errors(fields.get("starts_on"), fields.get("ends_on")))
    if errors:
        raise ValidationError(errors)
    notice = CampaignNotice.objects.create(
        sent_by=sent_by, starts_on=fields["starts_on"], ends_on=fields["ends_on"], **values
    )
    notice.channels.set(channels)
    audit_on_channels(
        channels,
        action=CampaignEvent.NOTICE_SENT,
        actor=sent_by,
        params={"title": notice.title},
    )
    emails.campaign_notice_sent(notice=notice)
    return notice


def campaign_notice_transition(
    *, notice: CampaignNotice, to: str, actor, reason: str = "", fields: dict | None = None
) -> CampaignNotice:
    """The only writer of a notice's state (core.states), with an entry on each channel."""
    transition(notice, to=to, fields=fields)
    actions: dict[str, str] = {
        CampaignNotice.State.COMMENTED: CampaignEvent.NOTICE_COMMENTED,
        CampaignNotice.State.ACKNOWLEDGED: CampaignEvent.NOTICE_ACKNOWLEDGED,
    }
    action = actions[to]
    audit_on_channels(
        notice.channels.all(),
        action=action,
        actor=actor,
        params={"title": notice.title},
        reason=reason,
    )
    return notice


@transaction.atomic
def campaign_notice_answer(
    *, notice: CampaignNotice, answered_by, acknowledge: bool, comment: str
) -> CampaignNotice:
    """Komm acknowledges the notice (with an optional comment) or comments on it (a comment is
    needed). The sender hears by e-mail either way."""
    if not user_is_komm(answered_by):
        raise PermissionDenied(_("Only Komm answers campaign notices."))
    comment = comment.strip()
    if not acknowledge and not comment:
        raise ValidationError({"comment": _("Write the comment for the sender.")})
    to = CampaignNotice.State.ACKNOWLEDGED if acknowledge else CampaignNotice.State.COMMENTED
    fields = {"answered_by": answered_by, "answered_at": timezone.now()}
    if comment:
        fields["komm_comment"] = comment
    campaign_notice_transition(
        notice=notice, to=to, actor=answered_by, reason=comment, fields=fields
    )
    emails.campaign_notice_answered(notice=notice)
    return notice
