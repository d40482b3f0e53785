"""Komm's review of a channel the head of department approved."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import emails
from approvals.audit import Event
from approvals.models import KommReview
from channels.models import Channel
from channels.selectors import channel_people, user_is_channel_person, user_is_komm
from channels.services import (
    channel_transition,
)
from core.states import IllegalTransition

# --- Komm's review ---------------------------------------------------------------------------

_REVIEW_OUTCOMES: dict[str, tuple[str, str]] = {
    KommReview.Decision.APPROVED: (Channel.State.APPROVED, Event.KOMM_APPROVED),
    KommReview.Decision.CHANGES_REQUESTED: (
        Channel.State.CHANGES_REQUESTED,
        Event.CHANGES_REQUESTED,
    ),
    KommReview.Decision.REJECTED: (Channel.State.REJECTED, Event.KOMM_REJECTED),
}


def review_decide_check(*, channel: Channel, reviewer) -> None:
    """Raise what review_decide refuses whatever the decision: anyone but Komm
    (PermissionDenied), a channel that is not awaiting Komm (IllegalTransition). review_decide
    asks it of the stored channel under a lock, so when someone else decided meanwhile, theirs
    stands; the review page asks it before it shows a form's errors."""
    if not user_is_komm(reviewer):
        raise PermissionDenied(_("Only Komm reviews channels."))
    if reviewer.pk == channel.created_by_id or user_is_channel_person(
        user=reviewer, channel=channel
    ):
        raise PermissionDenied(
            _("You are one of this channel's people: another reviewer at Komm decides.")
        )
    if channel.state != Channel.State.AWAITING_KOMM:
        raise IllegalTransition(
            _("Nothing was decided: the channel is “%(state)s”, not awaiting Komm.")
            % {"state": channel.get_state_display()}
        )


@transaction.atomic
def review_decide(
    *, channel: Channel, reviewer, decision: str, comment: str = "", case_number: str = ""
) -> KommReview:
    """Komm approves, asks for changes (comment required) or rejects (reason required)."""
    review_decide_check(
        channel=Channel.objects.select_for_update().get(pk=channel.pk), reviewer=reviewer
    )
    comment = comment.strip()
    case_number = case_number.strip()
    if decision not in _REVIEW_OUTCOMES:
        raise ValidationError({"decision": _("Choose a decision.")})
    if decision != KommReview.Decision.APPROVED and not comment:
        raise ValidationError(
            {"comment": _("Write what the owner needs to change, or why the channel is rejected.")}
        )
    to_state, action = _REVIEW_OUTCOMES[decision]
    fields: dict = {}
    if decision == KommReview.Decision.APPROVED:
        fields["approved_at"] = timezone.now()
    if case_number:
        fields["case_number"] = case_number
    channel_transition(
        channel=channel, to=to_state, action=action, actor=reviewer, reason=comment, fields=fields
    )
    review = KommReview.objects.create(
        channel=channel,
        decision=decision,
        reviewer=reviewer,
        comment=comment,
        case_number=case_number,
    )
    emails.review_decided(review=review, people=channel_people(channel))
    return review
