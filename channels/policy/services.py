"""The policy template filled in with a channel's answers, and adopting it as the channel's text."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from channels.models import Channel
from channels.policy.events import PolicyEvent
from channels.policy.models import ChannelPolicyBasis, PolicyTemplate
from channels.policy.selectors import policy_update_offered
from channels.selectors import user_is_channel_person
from channels.services import audit_record, channel_update


class _Answers(dict):
    """Unknown or unanswered placeholders stay visible, for the owner to fill in by hand."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def policy_template_current() -> PolicyTemplate | None:
    return PolicyTemplate.objects.order_by("-version").first()


def _answer(value) -> str:
    return str(value) if value not in (None, "") else ""


def policy_fill(*, channel: Channel, template: PolicyTemplate, language: str) -> str:
    """The template in `language` with the channel's answers where it has them."""
    unit = channel.responsible_unit or channel.sender_unit
    responsible = channel.responsible
    answers = {
        "name": channel.name,
        "platform": channel.platform.name if channel.platform_id else "",
        "unit": str(unit) if unit else "",
        "responsible": responsible.display_name if responsible else "",
        "monitoring_who": channel.monitoring_who,
        "monitoring": _answer(channel.get_monitoring_frequency_display()),
        "response_time": _answer(channel.response_time_hours),
        "contact": responsible.email if responsible else settings.KOMM_EMAIL,
        "komm_email": settings.KOMM_EMAIL,
    }
    filled = _Answers({key: value for key, value in answers.items() if value})
    try:
        return template.body(language).format_map(filled)
    except (ValueError, IndexError):  # a stray brace in Komm's text: show it unfilled
        return template.body(language)


@transaction.atomic
def policy_adopt(*, channel: Channel, user, language: str) -> ChannelPolicyBasis:
    """Make the current template, filled in, the channel's policy text, and keep its version."""
    if not user_is_channel_person(user=user, channel=channel):
        raise PermissionDenied(_("Only the channel's own people fill in its registration."))
    template = policy_template_current()
    if template is None:
        raise ValidationError(_("Komm has not published a policy template yet."))
    text = policy_fill(channel=channel, template=template, language=language)
    channel_update(channel=channel, edited_by=user, data={"policy_text": text})
    basis, _created = ChannelPolicyBasis.objects.update_or_create(
        channel=channel, defaults={"template": template, "adopted_by": user}
    )
    return basis


@transaction.atomic
def policy_update(*, channel: Channel, user, language: str) -> ChannelPolicyBasis:
    """A running channel takes the newest template version, filled in, as its policy; the old
    text is kept in the trail. Only offered while the channel is based on an older version."""
    if not user_is_channel_person(user=user, channel=channel):
        raise PermissionDenied(_("Only the channel's own people fill in its registration."))
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    template = policy_template_current()
    if template is None or not policy_update_offered(channel, template):
        raise ValidationError(_("The channel's policy is already based on the newest template."))
    basis = getattr(channel, "policy_basis", None)
    before = channel.policy_text
    channel.policy_text = policy_fill(channel=channel, template=template, language=language)
    channel.save(update_fields=["policy_text"])
    audit_record(
        channel=channel,
        action=PolicyEvent.UPDATED,
        actor=user,
        changes={"policy_text": [before, channel.policy_text]},
        params={"from": basis.template.version if basis else None, "to": template.version},
    )
    basis, _created = ChannelPolicyBasis.objects.update_or_create(
        channel=channel, defaults={"template": template, "adopted_by": user}
    )
    return basis
