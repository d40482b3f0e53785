"""Reads: which channels a user may see, and who counts as Komm."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from guardian.shortcuts import get_objects_for_user

from channels.models import Channel

REVIEW_PERMISSION = "channels.review_channel"


def user_is_komm(user) -> bool:
    """Komm reviewers hold the review permission, normally through the group "Komm"."""
    return bool(user and user.is_authenticated and user.has_perm(REVIEW_PERMISSION))


def channels_visible_to(user) -> QuerySet[Channel]:
    """Every channel the user may see: all for Komm, else those they run or deputise."""
    if not user.is_authenticated:
        return Channel.objects.none()
    return get_objects_for_user(
        user, "channels.view_channel", klass=Channel, accept_global_perms=True
    )


def channels_of_user(user) -> QuerySet[Channel]:
    """The channels a member of staff is responsible for or deputises, for "My channels"."""
    return (
        Channel.objects.filter(
            Q(responsible=user) | Q(deputies=user) | Q(created_by=user, state=Channel.State.DRAFT)
        )
        .distinct()
        .select_related("platform")
    )
