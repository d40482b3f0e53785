"""Recording that a running channel publishes its policy (guideline line 66)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from channels.models import Channel
from channels.policy.events import PolicyEvent
from channels.policy.models import ChannelPolicyPublication
from channels.selectors import user_is_channel_person
from channels.services import audit_record


@transaction.atomic
def policy_publication_record(
    *, channel: Channel, user, location: str, responsibility_stated: bool
) -> ChannelPolicyPublication:
    """Where the policy is published (an address, or "in the profile") and the confirmation that
    the profile states the university's responsibility. Both are needed; nothing is stored
    otherwise."""
    if not user_is_channel_person(user=user, channel=channel):
        raise PermissionDenied(_("Only the channel's own people fill in its registration."))
    if channel.state not in Channel.RUNNING_STATES:
        raise ValidationError(_("The policy's publication is recorded once the channel runs."))
    location = location.strip()
    errors = {}
    if not location:
        errors["location"] = _(
            "Say where the policy is published: its address or “in the profile”."
        )
    if not responsibility_stated:
        errors["responsibility_stated"] = _(
            "The profile must state that the university is responsible for the channel."
        )
    if errors:
        raise ValidationError(errors)
    publication, _created = ChannelPolicyPublication.objects.update_or_create(
        channel=channel,
        defaults={"location": location, "responsibility_stated": True, "recorded_by": user},
    )
    audit_record(
        channel=channel, action=PolicyEvent.PUBLISHED, actor=user, params={"location": location}
    )
    return publication
