"""Closure services: who may start, tick, confirm and call off a closure, and what each writes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from approvals.audit import Event
from approvals.closure.services import (
    closure_cancel,
    closure_confirm,
    closure_record,
    closure_start,
    closure_start_check,
)
from approvals.models import Closure, Handover, PrefectSignoff
from approvals.review.services import review_decide
from approvals.signoff.services import channel_submit, signoff_approve
from channels.audit import entry_text
from channels.models import AuditEntry, Channel
from channels.services import channel_mark_opened
from channels.testing.factories import ChannelFactory
from core.models import OutgoingEmail
from core.states import IllegalTransition
from core.testing.factories import UserFactory

State = Channel.State
ALL_STEPS = {name for name, _label in Closure.STEPS}


def to_approved(channel: Channel, *, reviewer) -> Channel:
    """Through the real services: submitted, the head of department approves, Komm approves."""
    channel_submit(channel=channel, submitted_by=channel.responsible)
    signoff_approve(signoff=channel.signoffs.get(decision=PrefectSignoff.Decision.PENDING))
    channel.refresh_from_db()
    review_decide(channel=channel, reviewer=reviewer, decision="approved")
    channel.refresh_from_db()
    return channel


def to_active(channel: Channel, *, reviewer) -> Channel:
    to_approved(channel, reviewer=reviewer)
    channel_mark_opened(channel=channel, opened_by=channel.responsible, address=channel.address)
    channel.refresh_from_db()
    return channel


@pytest.fixture
def active(draft, komm):
    return to_active(draft, reviewer=komm)


def record_all(closure: Closure, user) -> Closure:
    return closure_record(
        closure=closure,
        user=user,
        archive_location="Diariet, FS 1.1-99-26",
        account_outcome=Closure.AccountOutcome.CLOSED,
        steps_done=ALL_STEPS,
    )


# --- Starting ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["owner", "deputy", "komm"])
def test_owner_deputy_or_komm_start_a_closure(request, active, persona):
    user = request.getfixturevalue(persona)

    closure = closure_start(
        channel=active, started_by=user, reason="  Replaced by the faculty's.  "
    )

    active.refresh_from_db()
    assert active.state == State.CLOSING
    assert closure.state == Closure.State.IN_PROGRESS
    assert closure.state_before == State.ACTIVE
    assert closure.reason == "Replaced by the faculty's."
    entry = active.audit_entries.get(action=Event.CLOSURE_STARTED)
    assert (entry.actor, entry.from_state, entry.to_state) == (user, State.ACTIVE, State.CLOSING)
    assert entry.reason == "Replaced by the faculty's."


def test_komm_starting_tells_the_channels_people(active, komm, owner, deputy):
    closure_start(channel=active, started_by=komm, reason="The account has been silent a year.")
    mails = OutgoingEmail.objects.filter(template="closure-started")
    assert sorted(m.to[0] for m in mails) == sorted([owner.email, deputy.email])
    assert "/approvals/closure/" in mails[0].body_text


def test_owner_starting_tells_only_the_deputy(active, owner, deputy):
    closure_start(channel=active, started_by=owner, reason="No longer needed.")
    assert [m.to for m in OutgoingEmail.objects.filter(template="closure-started")] == [
        [deputy.email]
    ]


def test_an_approved_channel_can_be_closed_and_remembers_it(draft, komm, owner):
    channel = to_approved(draft, reviewer=komm)
    closure = closure_start(channel=channel, started_by=owner, reason="Never opened after all.")
    assert closure.state_before == State.APPROVED


def test_colleague_cannot_start(active, colleague):
    with pytest.raises(PermissionDenied):
        closure_start(channel=active, started_by=colleague, reason="Mine now.")
    active.refresh_from_db()
    assert active.state == State.ACTIVE
    assert not Closure.objects.exists()


def test_reason_is_required(active, owner):
    with pytest.raises(ValidationError) as error:
        closure_start(channel=active, started_by=owner, reason="   ")
    assert "reason" in error.value.error_dict
    active.refresh_from_db()
    assert active.state == State.ACTIVE
    assert not Closure.objects.exists()


@pytest.mark.parametrize("state", [State.DRAFT, State.AWAITING_PREFECT])
def test_only_running_channels_can_be_closed(owner, deputy, state):
    channel = ChannelFactory(created_by=owner, deputies=[deputy])
    if state == State.AWAITING_PREFECT:
        channel_submit(channel=channel, submitted_by=owner)
    with pytest.raises(IllegalTransition):
        closure_start(channel=channel, started_by=owner, reason="Not needed.")
    channel.refresh_from_db()
    assert channel.state == state
    assert not Closure.objects.exists()


def test_one_closure_in_progress_per_channel(active, owner, komm):
    closure_start(channel=active, started_by=owner, reason="Not needed.")
    with pytest.raises(IllegalTransition):
        closure_start(channel=active, started_by=komm, reason="Also not needed.")
    assert Closure.objects.count() == 1


def test_an_open_handover_blocks_closing(active, owner, komm):
    Handover.objects.create(
        channel=active,
        previous_responsible=owner,
        new_responsible=UserFactory(),
        reason=Handover.Reason.LEAVING,
        started_by=owner,
    )
    with pytest.raises(IllegalTransition, match="handover"):
        closure_start(channel=active, started_by=komm, reason="Not needed.")
    active.refresh_from_db()
    assert active.state == State.ACTIVE


# --- The checklist -----------------------------------------------------------------------------


@pytest.fixture
def closure(active, owner):
    return closure_start(channel=active, started_by=owner, reason="Replaced by the faculty's.")


def test_ticking_steps_records_each_once(closure, deputy):
    closure_record(
        closure=closure,
        user=deputy,
        archive_location="",
        account_outcome="",
        steps_done={"followers_told_at", "admins_removed_at"},
    )
    closure.refresh_from_db()
    assert closure.followers_told_at and closure.admins_removed_at
    assert closure.final_archive_taken_at is None and closure.account_done_at is None
    told_at = closure.followers_told_at
    steps = AuditEntry.objects.filter(action=Event.CLOSURE_STEP)
    assert [entry_text(e) for e in steps] == ["Followers told", "Admins removed"]
    assert {e.actor for e in steps} == {deputy}

    # Ticking again changes nothing and writes nothing.
    closure_record(
        closure=closure,
        user=deputy,
        archive_location="",
        account_outcome="",
        steps_done={"followers_told_at"},
    )
    closure.refresh_from_db()
    assert closure.followers_told_at == told_at
    assert steps.count() == 2
    assert not OutgoingEmail.objects.filter(template="closure-ready").exists()


def test_final_archive_needs_its_location(closure, owner):
    with pytest.raises(ValidationError) as error:
        closure_record(
            closure=closure,
            user=owner,
            archive_location="  ",
            account_outcome="",
            steps_done={"final_archive_taken_at"},
        )
    assert "archive_location" in error.value.error_dict
    closure.refresh_from_db()
    assert closure.final_archive_taken_at is None


def test_account_step_needs_the_outcome(closure, owner):
    with pytest.raises(ValidationError) as error:
        closure_record(
            closure=closure,
            user=owner,
            archive_location="",
            account_outcome="",
            steps_done={"account_done_at"},
        )
    assert "account_outcome" in error.value.error_dict
    closure.refresh_from_db()
    assert closure.account_done_at is None


def test_a_recorded_archive_location_is_fixed(closure, owner):
    closure_record(
        closure=closure,
        user=owner,
        archive_location="Diariet",
        account_outcome="",
        steps_done={"final_archive_taken_at"},
    )
    with pytest.raises(ValidationError):
        closure_record(
            closure=closure,
            user=owner,
            archive_location="Somewhere else",
            account_outcome="",
            steps_done=set(),
        )
    closure.refresh_from_db()
    assert closure.archive_location == "Diariet"
    entry = AuditEntry.objects.get(action=Event.CLOSURE_STEP)
    assert entry.changes == {"archive_location": ["", "Diariet"]}


def test_unknown_steps_are_refused(closure, owner):
    with pytest.raises(ValidationError):
        closure_record(
            closure=closure,
            user=owner,
            archive_location="",
            account_outcome="",
            steps_done={"password_changed_at"},
        )


@pytest.mark.parametrize("persona", ["komm", "colleague"])
def test_only_the_channels_people_tick_steps(request, closure, persona):
    with pytest.raises(PermissionDenied):
        record_all(closure, request.getfixturevalue(persona))
    closure.refresh_from_db()
    assert closure.followers_told_at is None


def test_komm_is_told_once_when_every_step_is_ticked(closure, owner, deputy, settings):
    closure_record(
        closure=closure,
        user=owner,
        archive_location="Diariet, FS 1.1-99-26",
        account_outcome="",
        steps_done={"final_archive_taken_at", "followers_told_at", "admins_removed_at"},
    )
    assert not OutgoingEmail.objects.filter(template="closure-ready").exists()

    record_all(closure, deputy)  # the last step, and the three again
    record_all(closure, owner)  # nothing new

    mail = OutgoingEmail.objects.get(template="closure-ready")
    assert mail.to == [settings.KOMM_EMAIL]
    assert f"/approvals/closure/{closure.pk}/" in mail.body_text
    assert "Diariet" in mail.body_text
    assert AuditEntry.objects.filter(action=Event.CLOSURE_STEP).count() == 4


# --- Confirming and calling off ------------------------------------------------------------------


def test_komm_confirms_a_finished_checklist(closure, owner, deputy, komm, active):
    record_all(closure, owner)

    closure_confirm(closure=closure, confirmed_by=komm)

    closure.refresh_from_db()
    active.refresh_from_db()
    assert closure.state == Closure.State.CONFIRMED
    assert (closure.confirmed_by, closure.confirmed_at is not None) == (komm, True)
    assert active.state == State.CLOSED
    assert active.closed_at == closure.confirmed_at
    assert active.next_evaluation_on is None
    entry = active.audit_entries.get(action=Event.CLOSURE_CONFIRMED)
    assert (entry.actor, entry.from_state, entry.to_state) == (komm, State.CLOSING, State.CLOSED)
    mails = OutgoingEmail.objects.filter(template="closure-confirmed")
    assert sorted(m.to[0] for m in mails) == sorted([owner.email, deputy.email])
    # Its people keep their (read-only) access: a closed channel can still be looked up.
    assert owner.has_perm("channels.view_channel", active)


def test_confirming_needs_every_step(closure, komm, active):
    with pytest.raises(ValidationError, match="Missing"):
        closure_confirm(closure=closure, confirmed_by=komm)
    closure.refresh_from_db()
    active.refresh_from_db()
    assert closure.state == Closure.State.IN_PROGRESS
    assert active.state == State.CLOSING


@pytest.mark.parametrize("persona", ["owner", "deputy", "colleague"])
def test_only_komm_confirms(request, closure, owner, persona, active):
    record_all(closure, owner)
    with pytest.raises(PermissionDenied):
        closure_confirm(closure=closure, confirmed_by=request.getfixturevalue(persona))
    active.refresh_from_db()
    assert active.state == State.CLOSING


def test_a_confirmed_closure_cannot_be_confirmed_or_called_off_again(closure, owner, komm):
    record_all(closure, owner)
    closure_confirm(closure=closure, confirmed_by=komm)
    with pytest.raises(IllegalTransition):
        closure_confirm(closure=closure, confirmed_by=komm)
    with pytest.raises(IllegalTransition):
        closure_cancel(closure=closure, user=komm, reason="Oops.")
    with pytest.raises(IllegalTransition):
        record_all(closure, owner)


@pytest.mark.parametrize("persona", ["owner", "deputy", "komm"])
def test_calling_off_returns_the_channel_to_where_it_was(request, closure, active, persona):
    user = request.getfixturevalue(persona)

    closure_cancel(closure=closure, user=user, reason="The faculty wants to keep it.")

    closure.refresh_from_db()
    active.refresh_from_db()
    assert closure.state == Closure.State.CANCELLED
    assert active.state == State.ACTIVE
    entry = active.audit_entries.get(action=Event.CLOSURE_CANCELLED)
    assert (entry.actor, entry.from_state, entry.to_state) == (user, State.CLOSING, State.ACTIVE)
    assert entry.reason == "The faculty wants to keep it."
    # And it can be closed again later.
    closure_start(channel=active, started_by=user, reason="Now it is time.")


def test_calling_off_an_approved_channels_closure(draft, komm, owner):
    channel = to_approved(draft, reviewer=komm)
    closure = closure_start(channel=channel, started_by=owner, reason="Never opened.")
    closure_cancel(closure=closure, user=komm, reason="Opening next month after all.")
    channel.refresh_from_db()
    assert channel.state == State.APPROVED


def test_calling_off_needs_a_reason_and_a_part_in_the_channel(closure, colleague, owner, active):
    with pytest.raises(ValidationError):
        closure_cancel(closure=closure, user=owner, reason=" ")
    with pytest.raises(PermissionDenied):
        closure_cancel(closure=closure, user=colleague, reason="Because.")
    closure.refresh_from_db()
    active.refresh_from_db()
    assert closure.state == Closure.State.IN_PROGRESS
    assert active.state == State.CLOSING


# --- The services are the guard: the wrong person, the wrong state ------------------------------
# The views no longer check before calling; these call the services directly.


@pytest.mark.parametrize("persona", ["owner", "deputy", "komm", "admin_user"])
def test_the_start_check_lets_the_channels_people_and_komm_through(request, active, persona):
    closure_start_check(channel=active, user=request.getfixturevalue(persona))  # no refusal


def test_the_start_check_refuses_a_colleague(active, colleague):
    with pytest.raises(PermissionDenied):
        closure_start_check(channel=active, user=colleague)


def test_the_start_check_refuses_a_channel_not_running(draft, owner):
    with pytest.raises(IllegalTransition, match="Only an approved or active channel"):
        closure_start_check(channel=draft, user=owner)


def test_the_start_check_says_a_closure_is_under_way(closure, komm, active):
    active.refresh_from_db()
    with pytest.raises(IllegalTransition, match="already being closed"):
        closure_start_check(channel=active, user=komm)


def test_a_colleague_is_refused_before_the_state_is_looked_at(draft, colleague):
    with pytest.raises(PermissionDenied):
        closure_start(channel=draft, started_by=colleague, reason="Mine now.")


def test_a_channel_not_running_is_refused_before_the_reason_is_read(draft, owner):
    with pytest.raises(IllegalTransition):
        closure_start(channel=draft, started_by=owner, reason="")
    assert not Closure.objects.exists()


def test_the_start_reads_the_stored_state_not_the_callers_copy(active, owner, komm):
    closure_start(channel=active, started_by=owner, reason="Not needed.")
    stale = Channel.objects.get(pk=active.pk)
    stale.state = State.ACTIVE  # a page opened before the closure started
    with pytest.raises(IllegalTransition):
        closure_start(channel=stale, started_by=komm, reason="Also not needed.")
    assert Closure.objects.count() == 1


@pytest.mark.parametrize("persona", ["komm", "colleague"])
def test_ticking_a_finished_closure_refuses_the_wrong_person_first(
    request, closure, owner, persona
):
    closure_cancel(closure=closure, user=owner, reason="Kept after all.")
    with pytest.raises(PermissionDenied):
        record_all(closure, request.getfixturevalue(persona))


def test_ticking_a_called_off_closure_is_refused(closure, owner):
    closure_cancel(closure=closure, user=owner, reason="Kept after all.")
    with pytest.raises(IllegalTransition):
        record_all(closure, owner)
    closure.refresh_from_db()
    assert closure.followers_told_at is None
    assert not AuditEntry.objects.filter(action=Event.CLOSURE_STEP).exists()


def test_calling_off_refuses_a_colleague_whatever_the_state(closure, owner, colleague):
    closure_cancel(closure=closure, user=owner, reason="Kept after all.")
    with pytest.raises(PermissionDenied):
        closure_cancel(closure=closure, user=colleague, reason="Because.")


def test_calling_off_twice_is_refused_before_the_reason_is_read(closure, owner, active):
    closure_cancel(closure=closure, user=owner, reason="Kept after all.")
    with pytest.raises(IllegalTransition):
        closure_cancel(closure=closure, user=owner, reason="")
    active.refresh_from_db()
    assert active.state == State.ACTIVE
    assert active.audit_entries.filter(action=Event.CLOSURE_CANCELLED).count() == 1


@pytest.mark.parametrize("persona", ["owner", "colleague"])
def test_confirming_refuses_anyone_but_komm_whatever_the_state(request, closure, persona):
    closure_cancel(closure=closure, user=closure.started_by, reason="Kept after all.")
    with pytest.raises(PermissionDenied):
        closure_confirm(closure=closure, confirmed_by=request.getfixturevalue(persona))


def test_confirming_a_called_off_closure_is_refused(closure, owner, komm, active):
    record_all(closure, owner)
    closure_cancel(closure=closure, user=owner, reason="Kept after all.")
    with pytest.raises(IllegalTransition):
        closure_confirm(closure=closure, confirmed_by=komm)
    active.refresh_from_db()
    assert active.state == State.ACTIVE
