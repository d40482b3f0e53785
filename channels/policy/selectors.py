"""Reads of channel policies: which running channels have not recorded their publication, which
are based on an older template version than the current one."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet

from channels.models import Channel
from channels.policy.models import PolicyTemplate


def channels_policy_unpublished(*, now: datetime) -> QuerySet[Channel]:
    """Active channels opened POLICY_REMINDER_DAYS ago or more whose people have not recorded
    where the policy is published, longest open first."""
    return Channel.objects.filter(
        state=Channel.State.ACTIVE,
        opened_at__lte=now - timedelta(days=settings.POLICY_REMINDER_DAYS),
        policy_publication__isnull=True,
    ).order_by("opened_at", "pk")


def channels_behind_template(template: PolicyTemplate) -> QuerySet[Channel]:
    """Running channels whose policy is not based on `template`: those based on an older
    version, and those with no basis that opened before it was published (a channel opened
    later wrote its policy knowing this version)."""
    return Channel.objects.filter(state__in=Channel.RUNNING_STATES).filter(
        Q(policy_basis__template__version__lt=template.version)
        | Q(policy_basis__isnull=True, opened_at__lt=template.published_at)
    )


def policy_update_offered(channel: Channel, current: PolicyTemplate | None) -> bool:
    """Whether the channel page offers to update the policy to `current` (reads the basis)."""
    if current is None or channel.state not in Channel.RUNNING_STATES:
        return False
    basis = getattr(channel, "policy_basis", None)
    if basis is not None:
        return basis.template_id != current.pk and basis.template.version < current.version
    return channel.opened_at is not None and channel.opened_at < current.published_at
