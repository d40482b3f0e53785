"""Handover of responsibility: the services, from start through the head of department's
e-mailed link and the checklist to completion, and calling it off."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext
from guardian.shortcuts import get_user_perms

from approvals.audit import Event
from approvals.handover.services import (
    handover_accept,
    handover_cancel,
    handover_complete,
    handover_resend_signoff,
    handover_tick_step,
)
from approvals.models import Handover, KommReview, PrefectSignoff
from approvals.review.services import review_decide
from approvals.signoff.services import (
    SignoffLinkError,
    channel_submit,
    signoff_approve,
    signoff_decline,
    signoff_from_link,
    signoff_request,
)
from approvals.testing.handover import STEP_NAMES, accepted, approved, start
from approvals.testing.lifecycle import activate
from approvals.testing.links import handover_link
from channels.audit import entry_text
from channels.models import Channel
from channels.testing.factories import ChannelFactory
from core.models import OutgoingEmail
from core.states import IllegalTransition
from core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

Action = Event
State = Handover.State


def mails(template: str) -> list[OutgoingEmail]:
    return list(OutgoingEmail.objects.filter(template=template).order_by("pk"))


def actions(channel: Channel) -> list[str]:
    return list(channel.audit_entries.values_list("action", flat=True))


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# --- Starting --------------------------------------------------------------------------------


def test_the_owner_starts_and_the_prefect_is_emailed_a_link(active, owner, newcomer):
    before = actions(active)

    handover = start(active, owner, newcomer)

    handover.refresh_from_db()
    assert handover.state == State.AWAITING_PREFECT
    assert (handover.previous_responsible, handover.new_responsible) == (owner, newcomer)
    assert handover.started_by == owner
    signoff = handover.signoffs.get()
    assert signoff.channel == active
    assert signoff.responsible == newcomer
    assert signoff.decision == PrefectSignoff.Decision.PENDING
    assert signoff.prefect_email == active.prefect_email
    [email] = mails("handover-signoff-request")
    assert email.to == ["petra.prefekt@umu.se"]
    assert email.language == "sv+en"
    for language in ("sv", "en"):
        with translation.override(language):
            subject = gettext("Appoint a new responsible person: %(name)s") % {"name": active.name}
        assert subject in email.subject
    assert "Nils Nyman" in email.body_text and "Anna Ägare" in email.body_text
    assert "Anna moves to the faculty office." in email.body_html
    assert signoff_from_link(handover_link(handover)) == signoff
    active.refresh_from_db()
    assert active.state == Channel.State.ACTIVE
    assert active.responsible == owner
    assert actions(active)[len(before) :] == [Action.HANDOVER_STARTED, Action.SIGNOFF_REQUESTED]
    assert "Nils Nyman" in entry_text(active.audit_entries.get(action=Action.HANDOVER_STARTED))


@pytest.mark.parametrize("persona", ["deputy", "komm", "admin_user"])
def test_a_deputy_or_komm_may_start(request, active, newcomer, persona):
    user = request.getfixturevalue(persona)
    handover = start(active, user, newcomer)
    assert handover.started_by == user


def test_other_staff_may_not_start(active, colleague, newcomer):
    with pytest.raises(PermissionDenied):
        start(active, colleague, newcomer)
    assert not Handover.objects.exists()


def test_only_running_channels_are_handed_over(draft, owner, newcomer):
    with pytest.raises(IllegalTransition, match="approved or active"):
        start(draft, owner, newcomer)
    assert not Handover.objects.exists()


def test_an_approved_channel_not_yet_opened_can_be_handed_over(draft, owner, komm, newcomer):
    channel_submit(channel=draft, submitted_by=owner)
    signoff_approve(signoff=draft.signoffs.get())
    draft.refresh_from_db()
    review_decide(channel=draft, reviewer=komm, decision=KommReview.Decision.APPROVED)
    draft.refresh_from_db()
    assert start(draft, owner, newcomer).state == State.AWAITING_PREFECT


@pytest.mark.parametrize(
    ("make_user", "message"),
    [
        (lambda: UserFactory(email="outsider@gmail.com"), "active member of staff"),
        (lambda: UserFactory(email="gone@umu.se", is_active=False), "active member of staff"),
    ],
)
def test_the_new_person_is_active_staff(active, owner, make_user, message):
    with pytest.raises(ValidationError, match=message) as error:
        start(active, owner, make_user())
    assert "new_responsible" in error.value.error_dict
    assert not Handover.objects.exists()


def test_the_new_person_is_someone_else(active, owner):
    with pytest.raises(ValidationError, match="someone else"):
        start(active, owner, owner)


def test_the_new_phone_is_required(active, owner, newcomer):
    with pytest.raises(ValidationError) as error:
        start(active, owner, newcomer, new_responsible_phone="  ")
    assert "new_responsible_phone" in error.value.error_dict


def test_other_as_reason_needs_words(active, owner, newcomer):
    with pytest.raises(ValidationError) as error:
        start(active, owner, newcomer, reason=Handover.Reason.OTHER, reason_text=" ")
    assert "reason_text" in error.value.error_dict


def test_the_only_deputy_cannot_become_responsible_without_new_deputies(active, owner, deputy):
    with pytest.raises(ValidationError, match="no deputy"):
        start(active, owner, deputy)
    # With a new deputy named, the deputy can take over.
    assert start(active, owner, deputy, new_deputies=[owner]).new_responsible == deputy


def test_new_deputies_are_staff_named_once_and_not_the_new_person(active, owner, newcomer, deputy):
    for deputies, message in (
        ([deputy, deputy], "only once"),
        ([newcomer], "cannot also be a deputy"),
        ([UserFactory(email="x@example.com")], "active member of staff"),
    ):
        with pytest.raises(ValidationError, match=message):
            start(active, owner, newcomer, new_deputies=deputies)
    assert not Handover.objects.exists()


def test_one_open_handover_per_channel(active, owner, deputy, newcomer):
    start(active, owner, newcomer)

    with pytest.raises(ValidationError, match="already open") as error:
        start(active, deputy, UserFactory(email="other@umu.se"))

    assert "Nils Nyman" in error.value.messages[0]
    assert Handover.objects.count() == 1


# --- The head of department ------------------------------------------------------------------


def test_approval_asks_the_new_person_to_accept(active, owner, newcomer):
    newcomer.language = "en"
    newcomer.save()
    handover = start(active, owner, newcomer)

    approved(handover)

    assert handover.state == State.AWAITING_ACCEPTANCE
    assert handover.signoffs.get().decision == PrefectSignoff.Decision.APPROVED
    [email] = mails("handover-approved")
    assert email.to == ["nils@umu.se"]
    assert email.language == "en"
    assert "You are appointed responsible for" in email.subject
    assert f"/approvals/handover/{handover.pk}/" in email.body_text
    assert "never stores, a password" in email.body_text
    active.refresh_from_db()
    # The channel's own state and people stay; Komm's queue hears nothing.
    assert (active.state, active.responsible) == (Channel.State.ACTIVE, owner)
    assert not mails("komm-new-in-queue")[1:]  # only the registration's, none for the handover
    assert actions(active)[-1] == Action.HANDOVER_APPROVED


def test_decline_tells_the_starter_and_the_owners_why(active, deputy, owner, newcomer, komm):
    handover = start(active, komm, newcomer)

    signoff_decline(signoff=signoff_from_link(handover_link(handover)), reason="Not in my unit.")

    handover.refresh_from_db()
    assert handover.state == State.DECLINED
    emails = mails("handover-declined")
    assert sorted(e.to[0] for e in emails) == ["anna@umu.se", "david@umu.se", "karin@umu.se"]
    assert all("Not in my unit." in e.body_text for e in emails)
    active.refresh_from_db()
    assert (active.state, active.responsible) == (Channel.State.ACTIVE, owner)
    entry = active.audit_entries.get(action=Action.HANDOVER_DECLINED)
    assert (entry.reason, entry.actor_name) == ("Not in my unit.", "Petra Prefekt")
    # A new handover may start once this one is declined.
    assert start(active, owner, newcomer).state == State.AWAITING_PREFECT


def test_the_link_works_once(active, owner, newcomer):
    handover = start(active, owner, newcomer)
    value = handover_link(handover)
    signoff_approve(signoff=signoff_from_link(value))
    with pytest.raises(SignoffLinkError) as error:
        signoff_from_link(value)
    assert error.value.reason == SignoffLinkError.USED


def test_a_new_link_replaces_the_old_one(active, owner, deputy, newcomer):
    handover = start(active, owner, newcomer)
    old = handover_link(handover)

    handover_resend_signoff(handover=handover, requested_by=deputy)

    with pytest.raises(SignoffLinkError) as error:
        signoff_from_link(old)
    assert error.value.reason == SignoffLinkError.REPLACED
    assert signoff_from_link(handover_link(handover)).handover == handover
    assert len(mails("handover-signoff-request")) == 2


def test_the_registration_link_cannot_be_resent_for_a_running_channel(active, owner, newcomer):
    start(active, owner, newcomer)
    with pytest.raises(IllegalTransition):
        signoff_request(channel=active, requested_by=owner)


# --- Accepting and the checklist ----------------------------------------------------------------


def test_only_the_new_person_accepts(active, owner, deputy, komm, newcomer):
    handover = approved(start(active, owner, newcomer))
    for user in (owner, deputy, komm):
        with pytest.raises(PermissionDenied):
            handover_accept(handover=handover, user=user)

    handover_accept(handover=handover, user=newcomer)

    handover.refresh_from_db()
    assert handover.state == State.IN_PROGRESS
    assert handover.accepted_at is not None
    assert actions(active)[-1] == Action.HANDOVER_ACCEPTED


def test_no_accepting_before_the_prefect_approves(active, owner, newcomer):
    handover = start(active, owner, newcomer)
    with pytest.raises(IllegalTransition):
        handover_accept(handover=handover, user=newcomer)
    with pytest.raises(IllegalTransition):
        handover_tick_step(handover=handover, user=newcomer, step=STEP_NAMES[0])


def test_a_step_is_recorded_and_audited(active, owner, newcomer):
    handover = accepted(start(active, owner, newcomer))

    handover_tick_step(handover=handover, user=owner, step="two_factor_moved_at")
    handover_tick_step(handover=handover, user=owner, step="two_factor_moved_at")  # twice

    handover.refresh_from_db()
    assert handover.two_factor_moved_at is not None
    assert handover.state == State.IN_PROGRESS
    steps = active.audit_entries.filter(action=Action.HANDOVER_STEP)
    assert [entry_text(e) for e in steps] == ["Two-factor authentication moved"]


def test_only_the_people_involved_tick_steps(active, owner, colleague, komm, newcomer):
    handover = accepted(start(active, owner, newcomer))
    for user in (colleague, komm):
        with pytest.raises(PermissionDenied):
            handover_tick_step(handover=handover, user=user, step=STEP_NAMES[0])
    with pytest.raises(ValidationError, match="step of the checklist"):
        handover_tick_step(handover=handover, user=newcomer, step="password")
    handover.refresh_from_db()
    assert all(getattr(handover, name) is None for name in STEP_NAMES)


def test_the_last_step_completes_the_handover(active, owner, deputy, komm, newcomer):
    newcomer.language = "en"
    newcomer.save()
    owner.language = "sv"
    owner.save()
    handover = accepted(start(active, owner, newcomer))

    for i, step in enumerate(STEP_NAMES):
        result = handover_tick_step(
            handover=handover, user=(newcomer, owner, deputy)[i % 3], step=step
        )

    assert result.state == State.COMPLETED  # the last tick answers with the completed handover
    handover.refresh_from_db()
    active.refresh_from_db()
    assert handover.state == State.COMPLETED
    assert handover.completed_at is not None
    assert active.responsible == newcomer
    assert active.responsible_phone == "090-786 11 11"
    assert list(active.deputies.all()) == [deputy]  # no new deputies named: they stay
    assert active.state == Channel.State.ACTIVE
    # Object permissions moved with the responsibility.
    assert set(get_user_perms(newcomer, active)) == {"view_channel", "change_channel"}
    assert set(get_user_perms(owner, active)) == set()
    assert set(get_user_perms(deputy, active)) == {"view_channel", "change_channel"}
    entries = list(active.audit_entries.order_by("pk"))
    assert [e.action for e in entries][-6:] == [Action.HANDOVER_STEP] * 5 + [
        Action.HANDOVER_COMPLETED
    ]
    completed = entries[-1]
    assert completed.changes["responsible"] == [
        "Anna Ägare <anna@umu.se>",
        "Nils Nyman <nils@umu.se>",
    ]
    emails = mails("handover-completed")
    assert sorted(e.to[0] for e in emails) == ["anna@umu.se", "komm@umu.se", "nils@umu.se"]
    by_recipient = {e.to[0]: e for e in emails}
    assert by_recipient["nils@umu.se"].language == "en"
    assert by_recipient["anna@umu.se"].language == "sv"
    assert "Nils Nyman" in by_recipient["komm@umu.se"].body_text
    assert f"/channels/{active.pk}/" in by_recipient["komm@umu.se"].body_text


def test_completion_replaces_the_deputies_when_new_ones_are_named(active, owner, deputy):
    new_deputy = UserFactory(email="nadia@umu.se")
    handover = accepted(start(active, owner, deputy, new_deputies=[owner, new_deputy]))

    for step in STEP_NAMES:
        handover_tick_step(handover=handover, user=deputy, step=step)

    active.refresh_from_db()
    assert active.responsible == deputy
    assert set(active.deputies.all()) == {owner, new_deputy}
    assert set(get_user_perms(new_deputy, active)) == {"view_channel", "change_channel"}
    assert set(get_user_perms(owner, active)) == {"view_channel", "change_channel"}
    completed = active.audit_entries.get(action=Action.HANDOVER_COMPLETED)
    assert completed.changes["deputies"] == ["david@umu.se", "anna@umu.se, nadia@umu.se"]


def test_completion_lifts_the_flag_only_when_nobody_who_left_remains(owner, deputy, komm):
    from django.utils import timezone

    stays_gone = UserFactory(email="gone@umu.se")
    channel = ChannelFactory(created_by=owner, deputies=[deputy, stays_gone])
    activate(channel, owner=owner, komm=komm)
    stays_gone.is_active = False
    stays_gone.save()
    Channel.objects.filter(pk=channel.pk).update(needs_handover_since=timezone.now())
    successor = UserFactory(email="sara@umu.se")
    handover = accepted(start(channel, deputy, successor))
    for step in STEP_NAMES:
        handover_tick_step(handover=handover, user=successor, step=step)
    channel.refresh_from_db()
    assert channel.responsible == successor
    assert channel.needs_handover_since is not None  # the inactive deputy is still named

    handover = accepted(start(channel, deputy, owner, new_deputies=[deputy]))
    for step in STEP_NAMES:
        handover_tick_step(handover=handover, user=owner, step=step)
    channel.refresh_from_db()
    assert channel.needs_handover_since is None
    assert list(channel.deputies.all()) == [deputy]


# --- Cancelling --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["owner", "komm"])
def test_the_starter_owner_or_komm_cancel(request, active, deputy, newcomer, persona):
    handover = start(active, deputy, newcomer)
    value = handover_link(handover)
    user = request.getfixturevalue(persona)

    handover_cancel(handover=handover, user=user, reason="  Wrong person.  ")

    handover.refresh_from_db()
    assert handover.state == State.CANCELLED
    entry = active.audit_entries.get(action=Action.HANDOVER_CANCELLED)
    assert (entry.actor, entry.reason) == (user, "Wrong person.")
    with pytest.raises(SignoffLinkError) as error:  # the head of department's link is dead
        signoff_from_link(value)
    assert error.value.reason == SignoffLinkError.REPLACED


def test_cancel_needs_a_reason_and_the_right_person(active, owner, colleague, newcomer):
    handover = start(active, owner, newcomer)
    with pytest.raises(ValidationError):
        handover_cancel(handover=handover, user=owner, reason=" ")
    with pytest.raises(PermissionDenied):
        handover_cancel(handover=handover, user=colleague, reason="Mine now.")
    with pytest.raises(PermissionDenied):  # the new person neither
        handover_cancel(handover=handover, user=newcomer, reason="No thanks.")
    handover.refresh_from_db()
    assert handover.state == State.AWAITING_PREFECT


def test_a_finished_handover_cannot_be_cancelled(active, owner, newcomer):
    handover = accepted(start(active, owner, newcomer))
    for step in STEP_NAMES:
        handover_tick_step(handover=handover, user=newcomer, step=step)
    with pytest.raises(IllegalTransition):
        handover_cancel(handover=handover, user=newcomer, reason="Too late.")


# --- The services are the one guard: who first, then when ------------------------------------
# The views call a service and let it refuse, so each service must refuse the wrong person and
# the wrong state on its own, whoever calls it.


def test_who_may_not_start_is_refused_before_the_state_is_looked_at(draft, colleague, newcomer):
    with pytest.raises(PermissionDenied):
        start(draft, colleague, newcomer)
    assert not Handover.objects.exists()


def test_a_person_who_has_left_may_not_start(active, owner, newcomer):
    owner.is_active = False
    owner.save()
    with pytest.raises(PermissionDenied):
        start(active, owner, newcomer)
    assert not Handover.objects.exists()


def test_accepting_is_for_the_new_person_only_and_only_once(active, owner, newcomer):
    handover = start(active, owner, newcomer)
    with pytest.raises(PermissionDenied):  # someone else, even before the head of department
        handover_accept(handover=handover, user=owner)
    accepted(handover)
    with pytest.raises(IllegalTransition):
        handover_accept(handover=handover, user=newcomer)
    assert actions(active).count(Action.HANDOVER_ACCEPTED) == 1


@pytest.mark.parametrize("then", ["completed", "cancelled"])
def test_no_step_is_ticked_once_the_handover_is_over(active, owner, newcomer, then):
    handover = accepted(start(active, owner, newcomer))
    if then == "completed":
        for step in STEP_NAMES:
            handover_tick_step(handover=handover, user=newcomer, step=step)
        handover.refresh_from_db()
        done_at = handover.password_changed_at
    else:
        handover_cancel(handover=handover, user=owner, reason="Wrong person.")
        done_at = None
    with pytest.raises(IllegalTransition):
        handover_tick_step(handover=handover, user=newcomer, step="password_changed_at")
    handover.refresh_from_db()
    assert handover.password_changed_at == done_at


def test_completing_is_only_for_a_handover_in_progress(active, owner, newcomer):
    handover = approved(start(active, owner, newcomer))
    with pytest.raises(IllegalTransition):
        handover_complete(handover=handover, completed_by=newcomer)
    active.refresh_from_db()
    assert active.responsible == owner


def test_who_may_not_cancel_is_refused_before_the_reason_and_the_state(
    active, owner, deputy, newcomer
):
    handover = start(active, owner, newcomer)
    with pytest.raises(PermissionDenied):
        handover_cancel(handover=handover, user=deputy, reason="")
    signoff_decline(signoff=signoff_from_link(handover_link(handover)), reason="No.")
    with pytest.raises(PermissionDenied):
        handover_cancel(handover=handover, user=deputy, reason="Mine now.")
    with pytest.raises(IllegalTransition):  # who may cancel learns it is over
        handover_cancel(handover=handover, user=owner, reason="Wrong person.")
    handover.refresh_from_db()
    assert handover.state == State.DECLINED


def test_a_new_link_is_for_the_channels_people_and_komm_while_waiting(
    active, owner, colleague, newcomer
):
    handover = start(active, owner, newcomer)
    for user in (colleague, newcomer):
        with pytest.raises(PermissionDenied):
            handover_resend_signoff(handover=handover, requested_by=user)
    approved(handover)
    with pytest.raises(IllegalTransition):
        handover_resend_signoff(handover=handover, requested_by=owner)
    assert len(mails("handover-signoff-request")) == 1
