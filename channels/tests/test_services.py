"""The registry's services (writes) and selectors (reads)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import translation

from approvals.audit import Event
from channels.audit import entry_text
from channels.models import AuditEntry, Channel
from channels.next_step import channel_next_steps
from channels.selectors import (
    channel_first_incomplete_step,
    channels_for_owner_page,
    channels_of_user,
    channels_visible_to,
    user_is_channel_person,
    user_is_komm,
)
from channels.services import (
    channel_create_draft,
    channel_find_duplicate,
    channel_mark_opened,
    channel_missing_fields,
    channel_set_people,
    channel_sync_permissions,
    channel_transition,
    channel_update,
    platform_refusal,
    staff_email_allowed,
)
from channels.testing.factories import ChannelFactory, UnitFactory, platform
from core.states import IllegalTransition
from core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

S = Channel.State


@pytest.fixture(autouse=True)
def _english():
    """Messages and field names are asserted in English (the msgids)."""
    with translation.override("en"):
        yield


def _move(channel, *states):
    for state in states:
        channel_transition(channel=channel, to=state, action=AuditEntry.Action.EDITED)
    return channel


# --- the state machine -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ([], S.AWAITING_KOMM),  # a draft cannot skip the head of department
        ([], S.APPROVED),
        ([], S.ACTIVE),
        ([S.AWAITING_PREFECT], S.APPROVED),
        ([S.AWAITING_PREFECT], S.DRAFT),
        ([S.AWAITING_PREFECT, S.AWAITING_KOMM], S.ACTIVE),
        ([S.AWAITING_PREFECT, S.AWAITING_KOMM, S.REJECTED], S.AWAITING_PREFECT),
        ([S.AWAITING_PREFECT, S.AWAITING_KOMM, S.APPROVED], S.AWAITING_KOMM),
    ],
)
def test_transition_refuses_illegal_moves(draft, path, illegal):
    _move(draft, *path)
    before = draft.state
    entries = draft.audit_entries.count()
    with pytest.raises(IllegalTransition, match="cannot become"):
        channel_transition(channel=draft, to=illegal, action=AuditEntry.Action.EDITED)
    draft.refresh_from_db()
    assert draft.state == before
    assert draft.audit_entries.count() == entries


def test_a_transition_writes_only_the_fields_it_names(owner):
    """A field set on the caller's copy before the move is not saved as part of the move."""
    channel = ChannelFactory(created_by=owner)
    channel.name = "Changed behind the registry's back"
    channel_transition(channel=channel, to=S.AWAITING_PREFECT, action=Event.SUBMITTED)
    channel.refresh_from_db()
    assert channel.state == S.AWAITING_PREFECT
    assert channel.name != "Changed behind the registry's back"


def test_every_listed_transition_is_allowed_and_audited(owner):
    for from_state, targets in Channel.TRANSITIONS.items():
        for to in targets:
            channel = ChannelFactory(created_by=owner)
            # An active channel has a live address (a database constraint).
            Channel.objects.filter(pk=channel.pk).update(
                state=from_state, address_is_planned=from_state != S.ACTIVE
            )
            channel.refresh_from_db()
            channel_transition(
                channel=channel,
                to=to,
                action=AuditEntry.Action.EDITED,
                actor=owner,
                reason="why",
                fields={"address_is_planned": False} if to == S.ACTIVE else None,
            )
            channel.refresh_from_db()
            assert channel.state == to
            assert channel.state_changed_at is not None
            entry = channel.audit_entries.get()
            assert (
                entry.from_state,
                entry.to_state,
                entry.actor,
                entry.actor_name,
                entry.reason,
            ) == (
                from_state,
                to,
                owner,
                "Anna Ägare",
                "why",
            )


def test_transition_records_a_name_for_people_without_account(draft):
    _move(draft, S.AWAITING_PREFECT)
    channel_transition(
        channel=draft,
        to=S.PREFECT_DECLINED,
        action=Event.PREFECT_DECLINED,
        actor_name="Petra Prefekt",
        reason="Not now",
    )
    entry = draft.audit_entries.get(action="prefect_declined")
    assert entry.actor is None and entry.actor_name == "Petra Prefekt"


def test_database_refuses_an_active_channel_with_a_planned_address(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        Channel.objects.filter(pk=draft.pk).update(state=S.ACTIVE, address_is_planned=True)


# --- create, update, people --------------------------------------------------------------------


def test_create_draft_makes_creator_responsible_audits_and_grants(owner, colleague):
    channel = channel_create_draft(
        created_by=owner,
        name="Physics",
        platform=platform("instagram"),
        address="https://www.instagram.com/umu_physics",
        language="sv",
    )
    assert channel.state == S.DRAFT
    assert channel.responsible == owner
    entry = channel.audit_entries.get()
    assert (entry.action, entry.actor, entry.to_state) == ("created", owner, "draft")
    assert owner.has_perm("channels.change_channel", channel)
    assert not colleague.has_perm("channels.view_channel", channel)


def test_create_draft_validates(owner):
    with pytest.raises(ValidationError):
        channel_create_draft(created_by=owner, name="", platform=platform("x"), address="nope")
    assert not Channel.objects.exists()


@pytest.mark.parametrize("slug", ["youtube", "vimeo"])
def test_no_channel_is_registered_on_a_platform_komm_runs(owner, draft, slug):
    """The guideline: Komm runs the university's accounts there; send content to Komm instead.
    Refused by the services, whatever page or import calls them."""
    komm_runs = platform(slug)
    assert komm_runs.managed_by_komm
    with pytest.raises(ValidationError) as refused:
        channel_create_draft(
            created_by=owner,
            name="Physics",
            platform=komm_runs,
            address=f"https://{komm_runs.domains[0]}/umu_physics",
            language="sv",
        )
    assert (
        "send your content to Komm (komm@umu.se) instead"
        in refused.value.message_dict["platform"][0]
    )
    with pytest.raises(ValidationError, match="Komm runs the university's accounts"):
        channel_update(channel=draft, edited_by=owner, data={"platform": komm_runs})
    draft.refresh_from_db()
    assert draft.platform.slug == "instagram"
    assert platform_refusal(platform("instagram")) == ""


def test_update_of_a_draft_is_not_audited(owner, draft):
    channel_update(channel=draft, edited_by=owner, data={"purpose": "New"})
    draft.refresh_from_db()
    assert draft.purpose == "New"
    assert not draft.audit_entries.exists()


def test_update_after_submission_is_audited_with_changes(owner, draft):
    draft.submitted_at = draft.created_at
    _move(draft, S.AWAITING_PREFECT, S.PREFECT_DECLINED)
    old = draft.purpose
    channel_update(channel=draft, edited_by=owner, data={"purpose": "New"}, reason="prefect")
    entry = draft.audit_entries.get(action="edited", actor=owner)
    assert entry.changes == {"purpose": [old, "New"]}
    assert entry.reason == "prefect"


def test_update_refused_when_not_editable(owner, draft):
    _move(draft, S.AWAITING_PREFECT)
    with pytest.raises(IllegalTransition, match="cannot be edited"):
        channel_update(channel=draft, edited_by=owner, data={"purpose": "New"})
    draft.refresh_from_db()
    assert draft.purpose != "New"


def test_set_people_syncs_permissions(owner, deputy, colleague, draft):
    channel_set_people(
        channel=draft,
        edited_by=owner,
        responsible=owner,
        responsible_phone="1",
        deputies=[(colleague, "2")],
    )
    assert list(draft.deputies.all()) == [colleague]
    assert colleague.has_perm("channels.change_channel", draft)
    assert not deputy.has_perm("channels.view_channel", draft)
    assert owner.has_perm("channels.change_channel", draft)


@pytest.mark.parametrize(
    ("deputies", "message"),
    [
        ([], "at least one deputy"),
        ("self", "cannot also be a deputy"),
        ("twice", "only once"),
    ],
)
def test_set_people_rules(owner, deputy, draft, deputies, message):
    if deputies == "self":
        deputies = [(owner, "1")]
    elif deputies == "twice":
        deputies = [(deputy, "1"), (deputy, "2")]
    with pytest.raises(ValidationError, match=message):
        channel_set_people(
            channel=draft,
            edited_by=owner,
            responsible=owner,
            responsible_phone="9",
            deputies=deputies,
        )
    assert list(draft.deputies.all()) == [deputy]


def test_sync_permissions_drops_the_creator_after_submission(owner, deputy, colleague):
    channel = ChannelFactory(created_by=colleague, responsible=owner, deputies=[deputy])
    channel_sync_permissions(channel=channel)
    assert colleague.has_perm("channels.change_channel", channel)  # the creator, while a draft
    _move(channel, S.AWAITING_PREFECT)
    channel_sync_permissions(channel=channel)
    assert not colleague.has_perm("channels.view_channel", channel)
    assert owner.has_perm("channels.view_channel", channel)
    assert deputy.has_perm("channels.view_channel", channel)


# --- completeness, duplicates, opening ---------------------------------------------------------


def test_missing_fields_per_step(owner):
    channel = ChannelFactory(
        created_by=owner,
        purpose="",
        sender_unit=None,
        responsible_unit=UnitFactory(),
        graphic_profile_confirmed=False,
        deputies=[],
    )
    missing = channel_missing_fields(channel)
    assert missing == {
        "purpose": ["purpose"],
        "organisation": ["sending unit"],
        "people": ["deputies"],
        "policy": ["the channel follows the university's graphic profile"],
    }
    assert channel_first_incomplete_step(channel) == "purpose"


def test_complete_draft_has_nothing_missing(draft):
    assert channel_missing_fields(draft) == {}
    assert channel_first_incomplete_step(draft) == "review"


def test_find_duplicate_ignores_case_trailing_slash_drafts_and_itself(owner):
    live = ChannelFactory(created_by=owner, address="https://www.instagram.com/umu_x")
    ig = platform("instagram")
    assert channel_find_duplicate(platform=ig, address="https://www.instagram.com/umu_x") is None
    _move(live, S.AWAITING_PREFECT)
    assert channel_find_duplicate(platform=ig, address="https://www.instagram.com/UMU_X/") == live
    assert (
        channel_find_duplicate(
            platform=ig, address="https://www.instagram.com/umu_x", exclude_pk=live.pk
        )
        is None
    )
    assert channel_find_duplicate(platform=platform("x"), address=live.address) is None


def test_find_duplicate_whatever_form_the_address_was_typed_in(owner):
    live = ChannelFactory(created_by=owner, address="https://www.instagram.com/umu_x/?hl=sv")
    _move(live, S.AWAITING_PREFECT)
    assert live.address_key == "instagram.com/umu_x"
    ig = platform("instagram")
    for typed in [
        "instagram.com/UMU_X",
        "http://m.instagram.com/umu_x#x",
        "www.instagram.com/umu_x/",
    ]:
        assert channel_find_duplicate(platform=ig, address=typed) == live


@pytest.fixture
def approved(draft):
    return _move(draft, S.AWAITING_PREFECT, S.AWAITING_KOMM, S.APPROVED)


def test_mark_opened_with_live_address(owner, approved):
    channel_mark_opened(
        channel=approved, opened_by=owner, address="https://www.instagram.com/umu_live"
    )
    approved.refresh_from_db()
    assert approved.state == S.ACTIVE
    assert approved.address == "https://www.instagram.com/umu_live"
    assert approved.opened_at is not None
    actions = list(approved.audit_entries.values_list("action", flat=True))
    assert actions[-2:] == ["edited", "opened"]


def test_mark_opened_refuses_another_platforms_address(owner, approved):
    with pytest.raises(ValidationError, match=r"instagram\.com"):
        channel_mark_opened(channel=approved, opened_by=owner, address="https://x.com/umu")
    approved.refresh_from_db()
    assert approved.state == S.APPROVED


def test_mark_opened_refuses_unapproved(owner, draft):
    draft.address_is_planned = False
    with pytest.raises(IllegalTransition):
        channel_mark_opened(channel=draft, opened_by=owner)
    draft.refresh_from_db()
    assert draft.state == S.DRAFT


@override_settings(STAFF_EMAIL_DOMAINS=["umu.se", "adm.umu.se"])
def test_staff_email_allowed():
    assert staff_email_allowed("a@umu.se")
    assert staff_email_allowed("a@ADM.umu.se")
    assert not staff_email_allowed("a@gmail.com")
    assert not staff_email_allowed("a@notumu.se")


# --- selectors ---------------------------------------------------------------------------------


def test_visibility(owner, deputy, colleague, komm, admin_user, draft):
    assert list(channels_visible_to(owner)) == [draft]
    assert list(channels_visible_to(deputy)) == [draft]
    assert list(channels_visible_to(colleague)) == []
    assert list(channels_visible_to(komm)) == [draft]
    assert list(channels_visible_to(admin_user)) == [draft]


def test_only_the_channels_people_may_edit(owner, deputy, colleague, komm, admin_user, draft):
    assert user_is_channel_person(user=owner, channel=draft)
    assert user_is_channel_person(user=deputy, channel=draft)
    assert not user_is_channel_person(user=colleague, channel=draft)
    assert not user_is_channel_person(user=komm, channel=draft)
    assert not user_is_channel_person(user=admin_user, channel=draft)
    owner.is_active = False
    assert not user_is_channel_person(user=owner, channel=draft)


def test_user_is_komm(owner, komm):
    assert user_is_komm(komm)
    assert not user_is_komm(owner)


def test_channels_of_user(owner, deputy, colleague, draft):
    own_draft_for_other = ChannelFactory(created_by=colleague, responsible=owner)
    assert set(channels_of_user(owner)) == {draft, own_draft_for_other}
    assert list(channels_of_user(deputy)) == [draft]
    assert list(channels_of_user(colleague)) == [own_draft_for_other]
    assert list(channels_for_owner_page(deputy)) == [draft]


def test_next_step_of_a_draft_and_a_submitted_channel(owner, komm, draft):
    assert channel_next_steps(draft)[0].code == "review_submit"
    _move(draft, S.AWAITING_PREFECT)
    (step,) = channel_next_steps(draft)
    assert step.code == "wait_prefect" and step.since == draft.state_changed_at


def test_other_users_are_not_komm():
    assert not user_is_komm(UserFactory())


# --- evaluations -------------------------------------------------------------------------------

import datetime  # noqa: E402

import time_machine  # noqa: E402
from django.utils import timezone  # noqa: E402

from approvals.testing.lifecycle import activate, approve  # noqa: E402
from channels.evaluations.services import add_months, evaluation_submit  # noqa: E402
from channels.models import Evaluation  # noqa: E402
from channels.services import channel_correct_registry  # noqa: E402

D = datetime.date


@pytest.fixture
def active_channel(owner, komm, draft):
    return activate(draft, owner=owner, komm=komm)


def _evaluate(channel, user, **overrides):
    values = {
        "evaluated_on": timezone.localdate(),
        "summary": "Compared reach and response times with the goals.",
        "meets_purpose": True,
        "decision": Evaluation.Decision.CONTINUE,
        "registry_confirmed": True,
    }
    values.update(overrides)
    return evaluation_submit(channel=channel, submitted_by=user, **values)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2025, 1, 31), 1, D(2025, 2, 28)),  # clamped to the month's end
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # a leap year
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2025, 3, 31), 1, D(2025, 4, 30)),
        (D(2025, 11, 15), 3, D(2026, 2, 15)),  # over the year's end
        (D(2025, 12, 31), 1, D(2026, 1, 31)),
        (D(2025, 5, 10), 24, D(2027, 5, 10)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_active_channel_starts_with_its_first_evaluation_date(active_channel):
    assert active_channel.state == S.ACTIVE
    assert active_channel.next_evaluation_on == active_channel.evaluation_first_date


@time_machine.travel(datetime.datetime(2025, 6, 2, 12, tzinfo=datetime.timezone.utc), tick=False)
def test_confirmed_evaluation_moves_the_next_date_on_and_is_audited(owner, active_channel):
    purpose = active_channel.purpose
    evaluation = _evaluate(
        active_channel, owner, evaluated_on=D(2025, 6, 1), followers=1200, posts=40
    )
    active_channel.refresh_from_db()
    assert active_channel.next_evaluation_on == D(2026, 6, 1)  # interval 12 months
    assert active_channel.purpose == purpose
    assert evaluation.followers == 1200 and evaluation.submitted_by == owner
    last = active_channel.audit_entries.order_by("pk").last()
    assert last.action == AuditEntry.Action.EVALUATED and last.actor == owner
    assert entry_text(last) == "Continue as before"
    assert last.changes["next_evaluation_on"][1] == "2026-06-01"
    assert not active_channel.audit_entries.filter(action="registry_corrected").exists()


@time_machine.travel(datetime.datetime(2025, 2, 3, 12, tzinfo=datetime.timezone.utc), tick=False)
def test_next_date_is_clamped_to_the_months_end(deputy, active_channel):
    Channel.objects.filter(pk=active_channel.pk).update(evaluation_interval_months=1)
    active_channel.refresh_from_db()
    _evaluate(active_channel, deputy, evaluated_on=D(2025, 1, 31))
    active_channel.refresh_from_db()
    assert active_channel.next_evaluation_on == D(2025, 2, 28)


def test_correction_goes_into_the_audit_trail(owner, active_channel):
    old = active_channel.purpose
    _evaluate(
        active_channel,
        owner,
        decision=Evaluation.Decision.CHANGE,
        registry_confirmed=False,
        corrections={"purpose": "Now also for alumni.", "evaluation_interval_months": 6},
    )
    active_channel.refresh_from_db()
    assert active_channel.purpose == "Now also for alumni."
    assert active_channel.next_evaluation_on == add_months(timezone.localdate(), 6)
    corrected, evaluated = list(active_channel.audit_entries.order_by("pk"))[-2:]
    assert corrected.action == AuditEntry.Action.REGISTRY_CORRECTED
    assert corrected.actor == owner
    assert corrected.changes["purpose"] == [old, "Now also for alumni."]
    assert corrected.changes["evaluation_interval_months"] == [12, 6]
    assert "evaluation of" in entry_text(corrected)
    assert evaluated.action == AuditEntry.Action.EVALUATED
    assert entry_text(evaluated) == "Continue with changes"
    assert active_channel.evaluations.get().registry_confirmed is False


@pytest.mark.parametrize(
    ("confirmed", "corrections", "message"),
    [
        (False, None, "no longer correct"),
        (False, {}, "no longer correct"),
        (False, {"purpose": "same"}, "Nothing was changed"),  # "same" is set to the stored value
        (True, {"purpose": "Something else"}, "also changed it"),
    ],
)
def test_corrections_must_match_the_confirmation(
    owner, active_channel, confirmed, corrections, message
):
    if corrections and corrections.get("purpose") == "same":
        corrections = {"purpose": active_channel.purpose}
    next_on = active_channel.next_evaluation_on
    entries = active_channel.audit_entries.count()
    with pytest.raises(ValidationError, match=message):
        _evaluate(active_channel, owner, registry_confirmed=confirmed, corrections=corrections)
    active_channel.refresh_from_db()
    assert active_channel.next_evaluation_on == next_on
    assert active_channel.evaluations.count() == 0
    assert active_channel.audit_entries.count() == entries


def test_evaluation_refused_on_a_draft(owner, draft):
    with pytest.raises(IllegalTransition, match="Draft"):
        _evaluate(draft, owner)
    draft.refresh_from_db()
    assert draft.evaluations.count() == 0
    assert draft.next_evaluation_on is None


def test_evaluation_of_an_approved_channel_starts_its_plan(owner, komm, draft):
    approve(draft, owner=owner, komm=komm)
    _evaluate(draft, owner)
    draft.refresh_from_db()
    assert draft.state == S.APPROVED
    assert draft.next_evaluation_on == add_months(timezone.localdate(), 12)


def test_evaluation_in_the_future_is_refused(owner, active_channel):
    next_on = active_channel.next_evaluation_on
    with pytest.raises(ValidationError) as caught:
        _evaluate(active_channel, owner, evaluated_on=timezone.localdate() + datetime.timedelta(1))
    assert "evaluated_on" in caught.value.error_dict
    active_channel.refresh_from_db()
    assert active_channel.next_evaluation_on == next_on
    assert active_channel.evaluations.count() == 0


def test_evaluation_cannot_be_dated_before_the_last_one(owner, active_channel):
    today = timezone.localdate()
    _evaluate(active_channel, owner, evaluated_on=today)
    with pytest.raises(ValidationError, match="date this one later"):
        _evaluate(active_channel, owner, evaluated_on=today - datetime.timedelta(days=1))
    assert active_channel.evaluations.count() == 1


def test_evaluation_needs_a_summary_and_a_known_decision(owner, active_channel):
    with pytest.raises(ValidationError) as caught:
        _evaluate(active_channel, owner, summary="  ", decision="maybe")
    assert {"summary", "decision"} <= set(caught.value.error_dict)
    assert active_channel.evaluations.count() == 0


def test_deciding_to_close_does_not_close(owner, active_channel):
    _evaluate(active_channel, owner, decision=Evaluation.Decision.CLOSE)
    active_channel.refresh_from_db()
    assert active_channel.state == S.ACTIVE
    assert entry_text(active_channel.audit_entries.order_by("pk").last()) == "Close the channel"


@pytest.mark.parametrize("field", ["state", "responsible", "sender_unit", "prefect_email", "name"])
def test_correction_never_touches_state_people_or_organisation(owner, active_channel, field):
    with pytest.raises(ValidationError, match="cannot be corrected here"):
        channel_correct_registry(
            channel=active_channel, edited_by=owner, data={field: None}, reason=""
        )
    active_channel.refresh_from_db()
    assert active_channel.state == S.ACTIVE and active_channel.responsible == owner


def test_correction_refused_unless_running(owner, draft):
    with pytest.raises(IllegalTransition):
        channel_correct_registry(channel=draft, edited_by=owner, data={"purpose": "x"}, reason="")
    draft.refresh_from_db()
    assert draft.purpose != "x"


def test_correction_of_the_address_of_an_active_channel(owner, active_channel):
    with pytest.raises(ValidationError, match=r"instagram\.com"):
        channel_correct_registry(
            channel=active_channel, edited_by=owner, data={"address": "https://x.com/umu"}
        )
    new = "https://www.instagram.com/umu_renamed"
    changes = channel_correct_registry(
        channel=active_channel, edited_by=owner, data={"address": new}, reason="Renamed."
    )
    active_channel.refresh_from_db()
    assert active_channel.address == new
    assert changes["address"][1] == new
    entry = active_channel.audit_entries.order_by("pk").last()
    assert entry.action == AuditEntry.Action.REGISTRY_CORRECTED and entry.reason == "Renamed."


def test_address_of_an_approved_channel_is_given_when_it_opens(owner, komm, draft):
    approve(draft, owner=owner, komm=komm)
    with pytest.raises(ValidationError, match="marked as opened"):
        channel_correct_registry(
            channel=draft, edited_by=owner, data={"address": "https://www.instagram.com/umu_y"}
        )


def test_correction_validates_values(owner, active_channel):
    with pytest.raises(ValidationError):
        channel_correct_registry(
            channel=active_channel, edited_by=owner, data={"update_frequency": "hourly"}
        )
    active_channel.refresh_from_db()
    assert active_channel.update_frequency == Channel.Frequency.WEEKLY
    assert not active_channel.audit_entries.filter(action="registry_corrected").exists()


# --- ownership follows employment (handovers) ---------------------------------------------------

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from approvals.handover.flagging import (  # noqa: E402
    channels_flag_departed_staff,
    staff_deactivate,
    staff_deactivate_many,
)
from core.models import OutgoingEmail  # noqa: E402


def _running(responsible, deputies, state=S.ACTIVE):
    return ChannelFactory(
        created_by=responsible,
        deputies=deputies,
        state=state,
        address_is_planned=state != S.ACTIVE,
    )


def test_deactivating_staff_flags_their_running_channels(owner, deputy, colleague, komm):
    as_deputy = _running(owner, [deputy])
    as_responsible = _running(deputy, [colleague], state=S.APPROVED)
    not_theirs = _running(owner, [colleague])
    their_draft = ChannelFactory(created_by=deputy, deputies=[colleague])

    flagged = staff_deactivate(user=deputy, by=komm)

    deputy.refresh_from_db()
    assert deputy.is_active is False
    assert {c.pk for c in flagged} == {as_deputy.pk, as_responsible.pk}
    for channel in (as_deputy, as_responsible, not_theirs, their_draft):
        channel.refresh_from_db()
    assert as_deputy.needs_handover_since is not None
    assert as_responsible.needs_handover_since == as_deputy.needs_handover_since
    assert not_theirs.needs_handover_since is None
    assert their_draft.needs_handover_since is None
    entry = as_responsible.audit_entries.get(action=Event.FLAGGED_FOR_HANDOVER)
    assert entry.actor == komm
    assert "David Deputy (responsible person)" in entry_text(entry)
    assert "David Deputy (deputy)" in entry_text(
        as_deputy.audit_entries.get(action=Event.FLAGGED_FOR_HANDOVER)
    )
    [email] = OutgoingEmail.objects.filter(template="channels-flagged")
    assert email.to == ["komm@umu.se"]
    for channel in (as_deputy, as_responsible):
        assert channel.name in email.body_text
        assert f"/channels/{channel.pk}/" in email.body_html
    assert not_theirs.name not in email.body_text
    assert "/approvals/komm/handovers/" in email.body_text


def test_flagging_also_tells_the_people_who_remain(owner, deputy, colleague, komm):
    as_deputy = _running(owner, [deputy])
    as_responsible = _running(deputy, [colleague], state=S.APPROVED)
    both = _running(owner, [deputy, colleague])
    colleague.language = "en"
    colleague.save()

    staff_deactivate(user=deputy, by=komm)

    told = {
        tuple(e.to): e for e in OutgoingEmail.objects.filter(template="channels-flagged-people")
    }
    assert set(told) == {(owner.email,), (colleague.email,)}  # never the one who left
    to_owner, to_colleague = told[(owner.email,)], told[(colleague.email,)]
    assert as_deputy.name in to_owner.body_text and both.name in to_owner.body_text
    assert as_responsible.name not in to_owner.body_text
    assert f"/channels/{as_responsible.pk}/" in to_colleague.body_html
    assert "David Deputy (responsible person)" in to_colleague.body_text
    # Each in their own language (the Swedish catalogue words the Swedish one).
    assert to_colleague.language == "en" and "need a handover" in to_colleague.subject
    assert to_owner.language == "sv"


def test_flagging_twice_flags_and_tells_once(owner, deputy):
    channel = _running(owner, [deputy])
    deputy.is_active = False
    deputy.save()

    assert [c.pk for c in channels_flag_departed_staff()] == [channel.pk]
    first = Channel.objects.get(pk=channel.pk).needs_handover_since
    assert channels_flag_departed_staff() == []

    assert Channel.objects.get(pk=channel.pk).needs_handover_since == first
    assert OutgoingEmail.objects.filter(template="channels-flagged").count() == 1
    assert channel.audit_entries.filter(action=Event.FLAGGED_FOR_HANDOVER).count() == 1
    entry = channel.audit_entries.get(action=Event.FLAGGED_FOR_HANDOVER)
    assert (entry.actor, entry.actor_name) == (None, "umusocial")


def test_nothing_to_flag_sends_nothing(owner, deputy):
    _running(owner, [deputy])
    assert channels_flag_departed_staff() == []
    assert not OutgoingEmail.objects.exists()


def _queries_to_flag(n: int) -> int:
    departed = UserFactory(is_active=False)
    for _ in range(n):
        _running(UserFactory(), [departed, UserFactory()])
    with CaptureQueriesContext(connection) as queries:
        assert len(channels_flag_departed_staff()) == n
    # Each remaining person gets their own e-mail (one insert each, in their language): those
    # are not an N+1; every read is.
    return len([q for q in queries if 'INSERT INTO "core_outgoingemail"' not in q["sql"]])


def test_flagging_runs_a_bounded_number_of_queries(db):
    # Names in the audit rows and the e-mails come from prefetched deputies, not one query per
    # channel; the audit rows are one bulk insert.
    few = _queries_to_flag(3)
    many = _queries_to_flag(15)
    assert few == many


def test_deactivating_several_at_once_tells_komm_once(owner, deputy, colleague, admin_user):
    _running(owner, [deputy])
    _running(colleague, [UserFactory()])

    flagged = staff_deactivate_many(users=[deputy, colleague], by=admin_user)

    assert len(flagged) == 2
    assert OutgoingEmail.objects.filter(template="channels-flagged").count() == 1


def test_nobody_deactivates_themselves(komm):
    with pytest.raises(ValidationError, match="your own account"):
        staff_deactivate(user=komm, by=komm)
    komm.refresh_from_db()
    assert komm.is_active
