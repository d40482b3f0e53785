"""Reads: which channels a user may see, and who counts as Komm."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
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


def user_can_edit_channel(*, user, channel: Channel) -> bool:
    """Only the channel's own people edit it: the object permission guardian gives them.

    Deliberately not `user.has_perm(...)`: that is true for superusers and for Komm's global
    permissions, and Komm reviews channels but does not fill in other people's registrations.
    """
    from guardian.shortcuts import get_user_perms

    if not (user and user.is_authenticated and user.is_active):
        return False
    return "change_channel" in get_user_perms(user, channel)


def channel_first_incomplete_step(channel: Channel) -> str:
    """The first wizard step with something missing, or "review" when nothing is."""
    from channels.services import REQUIRED_FOR_SUBMISSION, channel_missing_fields

    missing = channel_missing_fields(channel)
    return next((step for step in REQUIRED_FOR_SUBMISSION if step in missing), "review")


def channels_for_owner_page(user) -> QuerySet[Channel]:
    """ "My channels", with what the page shows for each prefetched (no queries per row).

    Reviews and sign-offs are ordered newest first by their models' Meta.
    """
    return (
        channels_of_user(user)
        # channel_missing_fields reads these foreign keys for drafts.
        .select_related("responsible", "responsible_unit")
        .prefetch_related("deputyships", "reviews", "signoffs")
        # Coming duties (approvals' closure_tags.coming_duties): open handovers, closures.
        .prefetch_related("handovers__new_responsible", "closures")
        .order_by("name", "pk")
    )


def channel_next_action(channel: Channel) -> dict:
    """What the owner should do next, or what they are waiting for, for the owner's pages.

    Returns {"state": ..., "step": wizard step or None, "since": datetime or None,
    "comment": the decision's reason or comment, if any}. Uses prefetched relations if present.
    """
    State = Channel.State
    action: dict = {"state": channel.state, "step": None, "since": None, "comment": ""}
    if channel.state in Channel.EDITABLE_STATES:
        action["step"] = channel_first_incomplete_step(channel)
    if channel.state in (State.AWAITING_PREFECT, State.AWAITING_KOMM):
        action["since"] = channel.state_changed_at
    elif channel.state == State.PREFECT_DECLINED:
        declined = [s for s in channel.signoffs.all() if s.decision == "declined"]
        action["comment"] = declined[0].reason if declined else ""
    elif channel.state in (State.CHANGES_REQUESTED, State.REJECTED):
        reviews = list(channel.reviews.all())
        action["comment"] = reviews[0].comment if reviews else ""
    return action


# --- Evaluations (issue 3) ---------------------------------------------------------------------


def evaluations_overdue(*, today: date) -> QuerySet[Channel]:
    """Running channels whose next evaluation date has passed, oldest first, ready to list."""
    return (
        Channel.objects.filter(state__in=Channel.RUNNING_STATES, next_evaluation_on__lt=today)
        .select_related("platform", "responsible", "responsible_unit")
        .order_by("next_evaluation_on", "pk")
    )


def evaluation_status(channel: Channel, today: date) -> str | None:
    """ "overdue" (its date has passed), "due" (today or within EVALUATION_UPCOMING_DAYS, when
    the owners are reminded), "upcoming" (later); None when the channel is not running or has no
    date. Reads no relations."""
    if channel.state not in Channel.RUNNING_STATES or channel.next_evaluation_on is None:
        return None
    if channel.next_evaluation_on < today:
        return "overdue"
    if channel.next_evaluation_on <= today + timedelta(days=settings.EVALUATION_UPCOMING_DAYS):
        return "due"
    return "upcoming"
