"""The registry's services (writes) and selectors (reads)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import translation

from channels.models import AuditEntry, Channel
from channels.selectors import (
    channel_first_incomplete_step,
    channel_next_action,
    channels_for_owner_page,
    channels_of_user,
    channels_visible_to,
    user_can_edit_channel,
    user_is_komm,
)
from channels.services import (
    IllegalTransition,
    channel_create_draft,
    channel_find_duplicate,
    channel_mark_opened,
    channel_missing_fields,
    channel_set_people,
    channel_sync_permissions,
    channel_transition,
    channel_update,
    staff_email_allowed,
)
from channels.tests.factories import ChannelFactory, UnitFactory, UserFactory, platform

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


def test_every_listed_transition_is_allowed_and_audited(owner):
    for from_state, targets in Channel.TRANSITIONS.items():
        for to in targets:
            channel = ChannelFactory(created_by=owner)
            Channel.objects.filter(pk=channel.pk).update(state=from_state)
            channel.refresh_from_db()
            if to == S.ACTIVE:
                channel.address_is_planned = False
            channel_transition(
                channel=channel, to=to, action=AuditEntry.Action.EDITED, actor=owner, reason="why"
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
        action=AuditEntry.Action.PREFECT_DECLINED,
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
    assert user_can_edit_channel(user=owner, channel=draft)
    assert user_can_edit_channel(user=deputy, channel=draft)
    assert not user_can_edit_channel(user=colleague, channel=draft)
    assert not user_can_edit_channel(user=komm, channel=draft)
    assert not user_can_edit_channel(user=admin_user, channel=draft)
    owner.is_active = False
    assert not user_can_edit_channel(user=owner, channel=draft)


def test_user_is_komm(owner, komm):
    assert user_is_komm(komm)
    assert not user_is_komm(owner)


def test_channels_of_user(owner, deputy, colleague, draft):
    own_draft_for_other = ChannelFactory(created_by=colleague, responsible=owner)
    assert set(channels_of_user(owner)) == {draft, own_draft_for_other}
    assert list(channels_of_user(deputy)) == [draft]
    assert list(channels_of_user(colleague)) == [own_draft_for_other]
    assert list(channels_for_owner_page(deputy)) == [draft]


def test_next_action(owner, komm, draft):
    assert channel_next_action(draft)["step"] == "review"
    _move(draft, S.AWAITING_PREFECT)
    action = channel_next_action(draft)
    assert action["step"] is None and action["since"] == draft.state_changed_at


def test_other_users_are_not_komm():
    assert not user_is_komm(UserFactory())
