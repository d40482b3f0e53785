"""The approval workflow's services: submission, the e-mailed sign-off link, Komm's review."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext

from approvals.audit import Event
from approvals.models import KommReview, PrefectSignoff
from approvals.review.services import review_decide, review_decide_check
from approvals.signoff.services import (
    SignoffLinkError,
    channel_submit,
    signoff_approve,
    signoff_decline,
    signoff_from_link,
    signoff_request,
)
from approvals.testing.links import latest_link, link_value
from channels.models import AuditEntry, Channel
from channels.services import channel_set_people, channel_sync_permissions, channel_update
from channels.testing.factories import ChannelFactory, platform
from core.models import OutgoingEmail
from core.states import IllegalTransition
from core.testing.environment import need
from core.testing.factories import UserFactory
from core.testing.outbox import delivered

Action = Event


def audit_actions(channel: Channel) -> list[str]:
    return list(channel.audit_entries.values_list("action", flat=True))


def mails(template: str) -> list[OutgoingEmail]:
    return list(OutgoingEmail.objects.filter(template=template).order_by("pk"))


@pytest.fixture
def submitted(draft, owner):
    channel_submit(channel=draft, submitted_by=owner)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def awaiting_komm(submitted):
    signoff_approve(signoff=signoff_from_link(latest_link(submitted)))
    submitted.refresh_from_db()
    return submitted


# --- Submission ------------------------------------------------------------------------------


def test_submit_sends_the_prefect_a_link_in_swedish_and_english(draft, owner, deputy):
    channel_submit(channel=draft, submitted_by=owner)

    draft.refresh_from_db()
    assert draft.state == Channel.State.AWAITING_PREFECT
    assert draft.submitted_at is not None
    signoff = draft.signoffs.get()
    assert signoff.decision == PrefectSignoff.Decision.PENDING
    assert (signoff.prefect_email, signoff.responsible) == ("petra.prefekt@umu.se", owner)
    assert signoff.expires_at == pytest.approx(
        timezone.now() + timedelta(days=14), abs=timedelta(minutes=1)
    )
    [email] = mails("signoff-request")
    assert email.to == ["petra.prefekt@umu.se"]
    assert email.language == "sv+en"
    for language in ("sv", "en"):
        with translation.override(language):
            subject = gettext("Approve new channel: %(name)s") % {"name": draft.name}
        assert subject in email.subject
        assert f'<div lang="{language}"' in email.body_html
    # Both languages carry the whole summary: it appears once per language.
    assert email.body_text.count(draft.purpose) == 2
    for text in (draft.name, "Instagram", draft.address, owner.email, deputy.email, "komm@umu.se"):
        assert text in email.body_text
        assert text in email.body_html
    # The stored row holds a placeholder; the delivered e-mail holds the link, in both bodies.
    assert "/approvals/signoff/" not in email.body_text + email.body_html
    sent = delivered(email)
    assert link_value(email) in sent.alternatives[0].content
    assert signoff_from_link(link_value(email)) == signoff
    assert audit_actions(draft) == [Action.SUBMITTED, Action.SIGNOFF_REQUESTED]


def test_the_link_is_stored_only_as_a_hash(submitted):
    value = latest_link(submitted)
    token = value.split(":")[0].partition(".")[2]
    signoff = submitted.signoffs.get()
    assert token not in signoff.token_hash
    assert len(signoff.token_hash) == 64


def assert_not_submitted(draft, owner, *, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        channel_submit(channel=draft, submitted_by=owner)
    draft.refresh_from_db()
    assert draft.state == Channel.State.DRAFT
    assert not OutgoingEmail.objects.exists()
    assert not PrefectSignoff.objects.exists()


def test_an_incomplete_registration_cannot_be_submitted(draft, owner):
    draft.purpose = ""
    draft.save()

    assert_not_submitted(draft, owner, match="purpose")


def test_a_draft_on_a_platform_komm_runs_cannot_be_submitted(draft, owner):
    # Begun before Komm took the platform over (or written past the services).
    Channel.objects.filter(pk=draft.pk).update(platform=platform("youtube"))
    draft.refresh_from_db()

    assert_not_submitted(draft, owner, match="send your content to Komm")


def test_a_link_is_sent_only_while_the_channel_awaits_the_prefect(draft, owner):
    with pytest.raises(IllegalTransition):
        signoff_request(channel=draft, requested_by=owner)
    assert not PrefectSignoff.objects.exists()
    assert not OutgoingEmail.objects.exists()


# --- The link --------------------------------------------------------------------------------


def _change_one_character(value: str, index: int) -> str:
    replacement = "A" if value[index] != "A" else "B"
    return value[:index] + replacement + value[index + 1 :]


@pytest.mark.parametrize("where", ["pk", "token", "timestamp", "signature"])
def test_a_tampered_link_is_invalid(submitted, where):
    value = latest_link(submitted)
    payload = value.rsplit(":", 2)[0]
    index = {
        "pk": 0,
        "token": payload.index(".") + 5,
        "timestamp": len(payload) + 2,
        "signature": len(value) - 3,
    }[where]

    with pytest.raises(SignoffLinkError) as caught:
        signoff_from_link(_change_one_character(value, index))

    assert caught.value.reason == SignoffLinkError.INVALID
    assert caught.value.signoff is None


@pytest.mark.parametrize("value", ["", "nonsense", "1.abc:xyz:abc"])
def test_garbage_is_an_invalid_link(db, value):
    with pytest.raises(SignoffLinkError) as caught:
        signoff_from_link(value)
    assert caught.value.reason == SignoffLinkError.INVALID


def test_a_correctly_signed_value_with_a_wrong_token_is_invalid(submitted):
    from approvals.signoff.services import signoff_link_value

    signoff = submitted.signoffs.get()
    forged = signoff_link_value(signoff=signoff, token="guessed-token")
    with pytest.raises(SignoffLinkError) as caught:
        signoff_from_link(forged)
    assert caught.value.reason == SignoffLinkError.INVALID


def test_the_link_expires_after_signoff_link_days(submitted, settings):
    value = latest_link(submitted)
    with time_machine.travel(timezone.now() + timedelta(days=13, hours=23), tick=False):
        assert signoff_from_link(value).channel == submitted
    with (
        time_machine.travel(timezone.now() + timedelta(days=14, minutes=1), tick=False),
        pytest.raises(SignoffLinkError) as caught,
    ):
        signoff_from_link(value)
    assert caught.value.reason == SignoffLinkError.EXPIRED
    submitted.refresh_from_db()
    assert submitted.state == Channel.State.AWAITING_PREFECT
    assert submitted.signoffs.get().decision == PrefectSignoff.Decision.PENDING


def test_the_signature_expires_even_if_the_stored_date_were_later(submitted):
    """Two locks on the same door: the signer's max_age holds on its own."""
    value = latest_link(submitted)
    submitted.signoffs.update(expires_at=timezone.now() + timedelta(days=365))
    with (
        time_machine.travel(timezone.now() + timedelta(days=15), tick=False),
        pytest.raises(SignoffLinkError) as caught,
    ):
        signoff_from_link(value)
    assert caught.value.reason == SignoffLinkError.EXPIRED


def test_the_stored_expiry_holds_on_its_own(submitted):
    value = latest_link(submitted)
    submitted.signoffs.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(SignoffLinkError) as caught:
        signoff_from_link(value)
    assert caught.value.reason == SignoffLinkError.EXPIRED
    assert caught.value.signoff == submitted.signoffs.get()


def test_signoff_link_days_is_honoured(draft, owner, settings):
    settings.SIGNOFF_LINK_DAYS = 2
    channel_submit(channel=draft, submitted_by=owner)
    value = latest_link(draft)
    with (
        time_machine.travel(timezone.now() + timedelta(days=2, minutes=1), tick=False),
        pytest.raises(SignoffLinkError) as caught,
    ):
        signoff_from_link(value)
    assert caught.value.reason == SignoffLinkError.EXPIRED


@pytest.mark.parametrize("decide", ["approve", "decline"])
def test_a_link_works_once(submitted, decide):
    value = latest_link(submitted)
    signoff = signoff_from_link(value)
    if decide == "approve":
        signoff_approve(signoff=signoff)
    else:
        signoff_decline(signoff=signoff, reason="Not now.")

    with pytest.raises(SignoffLinkError) as caught:
        signoff_from_link(value)
    assert caught.value.reason == SignoffLinkError.USED
    assert caught.value.signoff.pk == signoff.pk


def test_a_stale_signoff_object_cannot_decide_twice(submitted):
    """Two tabs open on the same link: the second press is refused, nothing changes."""
    signoff = signoff_from_link(latest_link(submitted))
    stale = PrefectSignoff.objects.get(pk=signoff.pk)
    signoff_approve(signoff=signoff)
    emails_before = OutgoingEmail.objects.count()

    with pytest.raises(SignoffLinkError) as caught:
        signoff_decline(signoff=stale, reason="Changed my mind.")

    assert caught.value.reason == SignoffLinkError.USED
    stale.refresh_from_db()
    submitted.refresh_from_db()
    assert stale.decision == PrefectSignoff.Decision.APPROVED
    assert submitted.state == Channel.State.AWAITING_KOMM
    assert OutgoingEmail.objects.count() == emails_before


def test_a_new_link_replaces_the_old_one(submitted, deputy):
    old_value = latest_link(submitted)
    old = signoff_from_link(old_value)

    new = signoff_request(channel=submitted, requested_by=deputy)

    with pytest.raises(SignoffLinkError) as caught:
        signoff_from_link(old_value)
    assert caught.value.reason == SignoffLinkError.REPLACED
    old.refresh_from_db()
    assert old.decision == PrefectSignoff.Decision.REPLACED
    assert signoff_from_link(latest_link(submitted)) == new
    assert new.requested_by == deputy
    assert len(mails("signoff-request")) == 2
    with pytest.raises(SignoffLinkError) as caught:
        signoff_approve(signoff=old)
    assert caught.value.reason == SignoffLinkError.REPLACED
    assert audit_actions(submitted).count(Action.SIGNOFF_REQUESTED) == 2


# --- Decisions -------------------------------------------------------------------------------


def test_approve_records_the_decision_and_hands_over_to_komm(draft, owner, deputy):
    with time_machine.travel("2031-03-01 09:00 +01:00", tick=False):
        channel_submit(channel=draft, submitted_by=owner)
    submitted = draft
    with time_machine.travel("2031-03-04 10:00 +01:00", tick=False):
        signoff = signoff_from_link(latest_link(submitted))
        signoff_approve(signoff=signoff)

    signoff.refresh_from_db()
    submitted.refresh_from_db()
    assert signoff.decision == PrefectSignoff.Decision.APPROVED
    assert signoff.decided_at.isoformat() == "2031-03-04T09:00:00+00:00"
    assert str(submitted.prefect_approved_on) == "2031-03-04"
    assert submitted.state == Channel.State.AWAITING_KOMM
    [to_komm] = mails("komm-new-in-queue")
    assert to_komm.to == ["komm@umu.se"]
    assert f"http://testserver/approvals/komm/{submitted.pk}/" in to_komm.body_text
    told = mails("signoff-approved")
    assert sorted(e.to[0] for e in told) == sorted([owner.email, deputy.email])
    assert all(submitted.name in e.subject for e in told)
    entry = submitted.audit_entries.get(action=Action.PREFECT_APPROVED)
    assert (entry.actor, entry.actor_name) == (None, "Petra Prefekt")
    assert (entry.from_state, entry.to_state) == ("awaiting_prefect", "awaiting_komm")


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_decline_requires_a_reason(submitted, reason):
    signoff = signoff_from_link(latest_link(submitted))
    emails_before = OutgoingEmail.objects.count()

    with pytest.raises(ValidationError) as caught:
        signoff_decline(signoff=signoff, reason=reason)

    assert "reason" in caught.value.message_dict
    signoff.refresh_from_db()
    submitted.refresh_from_db()
    assert signoff.decision == PrefectSignoff.Decision.PENDING
    assert submitted.state == Channel.State.AWAITING_PREFECT
    assert OutgoingEmail.objects.count() == emails_before


def test_decline_returns_the_channel_to_its_owner_with_the_reason(submitted, owner):
    signoff = signoff_from_link(latest_link(submitted))

    signoff_decline(signoff=signoff, reason="  We have no time for a channel this year.  ")

    signoff.refresh_from_db()
    submitted.refresh_from_db()
    assert signoff.decision == PrefectSignoff.Decision.DECLINED
    assert signoff.reason == "We have no time for a channel this year."
    assert signoff.decided_at is not None
    assert submitted.state == Channel.State.PREFECT_DECLINED
    assert submitted.prefect_approved_on is None
    told = mails("signoff-declined")
    assert owner.email in [e.to[0] for e in told]
    for email in told:
        assert "We have no time for a channel this year." in email.body_text
        assert "We have no time for a channel this year." in email.body_html
        assert f"http://testserver/channels/{submitted.pk}/" in email.body_text
    assert not mails("komm-new-in-queue")
    entry = submitted.audit_entries.get(action=Action.PREFECT_DECLINED)
    assert entry.reason == "We have no time for a channel this year."


def test_resubmission_after_decline_asks_the_prefect_again(submitted, owner):
    signoff_decline(signoff=signoff_from_link(latest_link(submitted)), reason="Fix the purpose.")
    submitted.refresh_from_db()
    channel_update(channel=submitted, edited_by=owner, data={"purpose": "A clearer purpose."})

    channel_submit(channel=submitted, submitted_by=owner)

    submitted.refresh_from_db()
    assert submitted.state == Channel.State.AWAITING_PREFECT
    assert len(mails("signoff-request")) == 2
    assert submitted.signoffs.filter(decision=PrefectSignoff.Decision.PENDING).count() == 1
    assert signoff_from_link(latest_link(submitted)).decision == PrefectSignoff.Decision.PENDING
    assert AuditEntry.Action.EDITED in audit_actions(submitted)


def _request_changes(channel, komm):
    review_decide(
        channel=channel,
        reviewer=komm,
        decision=KommReview.Decision.CHANGES_REQUESTED,
        comment="Say how often you monitor at weekends.",
    )
    channel.refresh_from_db()


def test_resubmission_after_changes_goes_straight_back_to_komm(awaiting_komm, owner, komm):
    _request_changes(awaiting_komm, komm)
    channel_update(channel=awaiting_komm, edited_by=owner, data={"monitoring_who": "Anna, daily."})

    channel_submit(channel=awaiting_komm, submitted_by=owner)

    awaiting_komm.refresh_from_db()
    assert awaiting_komm.state == Channel.State.AWAITING_KOMM
    assert len(mails("signoff-request")) == 1  # only the first one
    assert len(mails("komm-new-in-queue")) == 2
    assert awaiting_komm.signoffs.count() == 1


def test_resubmission_goes_to_the_prefect_when_the_responsible_person_changed(
    awaiting_komm, owner, deputy, komm
):
    _request_changes(awaiting_komm, komm)
    newcomer = UserFactory(username="nils", email="nils@umu.se")
    channel_set_people(
        channel=awaiting_komm,
        edited_by=owner,
        responsible=newcomer,
        responsible_phone="090-1",
        deputies=[(deputy, "090-2")],
    )

    # The owner named someone else responsible: now the deputy submits (the owner may not).
    channel_submit(channel=awaiting_komm, submitted_by=deputy)

    awaiting_komm.refresh_from_db()
    assert awaiting_komm.state == Channel.State.AWAITING_PREFECT
    assert len(mails("signoff-request")) == 2
    assert signoff_from_link(latest_link(awaiting_komm)).responsible == newcomer


def test_resubmission_goes_to_the_prefect_when_the_prefect_changed(awaiting_komm, owner, komm):
    _request_changes(awaiting_komm, komm)
    channel_update(
        channel=awaiting_komm,
        edited_by=owner,
        data={"prefect_name": "Per Prefekt", "prefect_email": "per.prefekt@umu.se"},
    )

    channel_submit(channel=awaiting_komm, submitted_by=owner)

    awaiting_komm.refresh_from_db()
    assert awaiting_komm.state == Channel.State.AWAITING_PREFECT
    assert mails("signoff-request")[-1].to == ["per.prefekt@umu.se"]


# --- Komm's review ---------------------------------------------------------------------------


def test_komm_approves_with_a_case_number(awaiting_komm, komm, owner, deputy):
    review = review_decide(
        channel=awaiting_komm,
        reviewer=komm,
        decision=KommReview.Decision.APPROVED,
        case_number=" FS 1.1-123-24 ",
    )

    awaiting_komm.refresh_from_db()
    assert awaiting_komm.state == Channel.State.APPROVED
    assert awaiting_komm.approved_at is not None
    assert awaiting_komm.case_number == "FS 1.1-123-24"
    assert (review.reviewer, review.case_number) == (komm, "FS 1.1-123-24")
    told = mails("review-approved")
    assert sorted(e.to[0] for e in told) == sorted([owner.email, deputy.email])
    assert "FS 1.1-123-24" in told[0].body_text
    assert f"http://testserver/channels/{awaiting_komm.pk}/" in told[0].body_text
    entry = awaiting_komm.audit_entries.get(action=Action.KOMM_APPROVED)
    assert (entry.actor, entry.to_state) == (komm, "approved")


def test_komm_requests_changes_with_a_comment(awaiting_komm, komm, owner):
    _request_changes(awaiting_komm, komm)

    assert awaiting_komm.state == Channel.State.CHANGES_REQUESTED
    assert awaiting_komm.reviews.get().comment == "Say how often you monitor at weekends."
    [email, *_] = mails("review-changes-requested")
    assert "Say how often you monitor at weekends." in email.body_text
    assert "Say how often you monitor at weekends." in email.body_html
    entry = awaiting_komm.audit_entries.get(action=Action.CHANGES_REQUESTED)
    assert entry.reason == "Say how often you monitor at weekends."


def test_komm_rejects_with_a_reason(awaiting_komm, komm):
    review_decide(
        channel=awaiting_komm,
        reviewer=komm,
        decision=KommReview.Decision.REJECTED,
        comment="The faculty's channel already covers this.",
    )

    awaiting_komm.refresh_from_db()
    assert awaiting_komm.state == Channel.State.REJECTED
    [email, *_] = mails("review-rejected")
    assert "The faculty's channel already covers this." in email.body_text
    assert awaiting_komm.audit_entries.filter(action=Action.KOMM_REJECTED).count() == 1


@pytest.mark.parametrize(
    "decision", [KommReview.Decision.CHANGES_REQUESTED, KommReview.Decision.REJECTED]
)
def test_komm_must_say_why_unless_approving(awaiting_komm, komm, decision):
    with pytest.raises(ValidationError) as caught:
        review_decide(channel=awaiting_komm, reviewer=komm, decision=decision, comment="  ")

    assert "comment" in caught.value.message_dict
    awaiting_komm.refresh_from_db()
    assert awaiting_komm.state == Channel.State.AWAITING_KOMM
    assert not KommReview.objects.exists()


def test_an_unknown_decision_is_refused(awaiting_komm, komm):
    with pytest.raises(ValidationError):
        review_decide(channel=awaiting_komm, reviewer=komm, decision="maybe", comment="x")
    assert not KommReview.objects.exists()


@pytest.mark.parametrize("fixture", ["draft", "submitted"])
def test_komm_cannot_review_a_channel_that_is_not_in_its_queue(request, fixture, komm):
    channel = request.getfixturevalue(fixture)
    state = channel.state
    entries = channel.audit_entries.count()

    with pytest.raises(IllegalTransition):
        review_decide(channel=channel, reviewer=komm, decision=KommReview.Decision.APPROVED)

    channel.refresh_from_db()
    assert channel.state == state
    assert channel.approved_at is None
    assert channel.audit_entries.count() == entries
    assert not KommReview.objects.exists()


def test_a_decided_channel_cannot_be_reviewed_again(awaiting_komm, komm):
    review_decide(channel=awaiting_komm, reviewer=komm, decision=KommReview.Decision.APPROVED)
    awaiting_komm.refresh_from_db()

    with pytest.raises(IllegalTransition):
        review_decide(
            channel=awaiting_komm,
            reviewer=komm,
            decision=KommReview.Decision.REJECTED,
            comment="Second thoughts.",
        )

    awaiting_komm.refresh_from_db()
    assert awaiting_komm.state == Channel.State.APPROVED
    assert KommReview.objects.count() == 1


# --- The services are the guard: the wrong person, the wrong state ------------------------------
# The views no longer check before calling; these call the services directly.


@pytest.mark.parametrize("persona", ["owner", "deputy", "colleague"])
def test_only_komm_decides(request, awaiting_komm, persona):
    entries = awaiting_komm.audit_entries.count()
    mails_before = OutgoingEmail.objects.count()

    with pytest.raises(PermissionDenied):
        review_decide(
            channel=awaiting_komm,
            reviewer=request.getfixturevalue(persona),
            decision=KommReview.Decision.APPROVED,
        )

    awaiting_komm.refresh_from_db()
    assert awaiting_komm.state == Channel.State.AWAITING_KOMM
    assert awaiting_komm.approved_at is None
    assert awaiting_komm.audit_entries.count() == entries
    assert not KommReview.objects.exists()
    assert OutgoingEmail.objects.count() == mails_before


def test_the_wrong_person_is_refused_before_the_state_is_looked_at(submitted, colleague):
    with pytest.raises(PermissionDenied):
        review_decide_check(channel=submitted, reviewer=colleague)
    with pytest.raises(PermissionDenied):
        review_decide(channel=submitted, reviewer=colleague, decision="approved")


def test_the_review_check_lets_komm_decide_only_what_awaits_komm(
    awaiting_komm, submitted, komm, admin_user
):
    review_decide_check(channel=awaiting_komm, reviewer=komm)  # no refusal
    review_decide_check(channel=awaiting_komm, reviewer=admin_user)
    awaiting_komm.state = Channel.State.AWAITING_PREFECT
    with pytest.raises(IllegalTransition, match="Nothing was decided"):
        review_decide_check(channel=awaiting_komm, reviewer=komm)


def test_a_decision_reads_the_stored_state_not_the_callers_copy(awaiting_komm, komm):
    stale = Channel.objects.get(pk=awaiting_komm.pk)  # a page opened before the first decision
    review_decide(channel=awaiting_komm, reviewer=komm, decision=KommReview.Decision.APPROVED)

    with pytest.raises(IllegalTransition, match="Nothing was decided"):
        review_decide(
            channel=stale, reviewer=komm, decision=KommReview.Decision.REJECTED, comment="No."
        )

    stale.refresh_from_db()
    assert stale.state == Channel.State.APPROVED
    assert KommReview.objects.count() == 1


def test_a_callers_copy_behind_the_stored_state_can_still_be_decided(submitted, komm):
    signoff_approve(signoff=signoff_from_link(latest_link(submitted)))
    assert submitted.state == Channel.State.AWAITING_PREFECT  # the copy, not refreshed

    review_decide(channel=submitted, reviewer=komm, decision=KommReview.Decision.APPROVED)

    submitted.refresh_from_db()
    assert submitted.state == Channel.State.APPROVED


def test_a_colleague_cannot_ask_for_a_new_link(submitted, colleague):
    link = latest_link(submitted)
    entries = submitted.audit_entries.count()

    with pytest.raises(PermissionDenied):
        signoff_request(channel=submitted, requested_by=colleague)

    assert signoff_from_link(link).decision == PrefectSignoff.Decision.PENDING
    assert PrefectSignoff.objects.count() == 1
    assert len(mails("signoff-request")) == 1
    assert submitted.audit_entries.count() == entries


def test_a_colleague_is_refused_a_link_whatever_the_state(draft, colleague):
    with pytest.raises(PermissionDenied):
        signoff_request(channel=draft, requested_by=colleague)
    assert not PrefectSignoff.objects.exists()


@pytest.mark.parametrize("persona", ["owner", "deputy", "komm", "admin_user"])
def test_the_channels_people_and_komm_may_ask_for_a_new_link(request, submitted, persona):
    user = request.getfixturevalue(persona)
    assert signoff_request(channel=submitted, requested_by=user).requested_by == user


def test_a_creator_who_named_others_still_sends_the_link_on_submitting(owner, deputy):
    """Submitting ends a draft's creator's rights; the link they asked for goes out all the
    same, since channel_submit checked them while it was still a draft."""
    channel = ChannelFactory(created_by=owner, responsible=deputy)
    channel_sync_permissions(channel=channel)

    channel_submit(channel=channel, submitted_by=owner)

    channel.refresh_from_db()
    assert channel.state == Channel.State.AWAITING_PREFECT
    assert channel.signoffs.get().requested_by == owner
    assert len(mails("signoff-request")) == 1


@pytest.mark.django_db(transaction=True)
def test_two_new_links_at_once_take_turns_and_leave_one_pending(submitted, owner, komm):
    """The owner and Komm press "send a new link" at the same moment (PostgreSQL): both are
    answered, the later link replaces the earlier, and one link is pending."""
    need("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL=postgres://...")
    barrier = threading.Barrier(2)
    errors = []

    def press(user):
        try:
            barrier.wait()
            signoff_request(channel=Channel.objects.get(pk=submitted.pk), requested_by=user)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(user,)) for user in (owner, komm)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    pending = submitted.signoffs.filter(decision=PrefectSignoff.Decision.PENDING)
    assert pending.count() == 1
    assert submitted.signoffs.filter(decision=PrefectSignoff.Decision.REPLACED).count() == 2
