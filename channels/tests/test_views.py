"""The registration wizard and the owner's pages, through the test client."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from approvals.models import KommReview, PrefectSignoff
from approvals.review.services import review_decide
from approvals.signoff.services import channel_submit, signoff_approve, signoff_decline
from channels.models import AuditEntry, Channel
from channels.services import channel_missing_fields, channel_sync_permissions, channel_transition
from channels.testing.factories import ChannelFactory, UnitFactory, platform
from core.models import OutgoingEmail
from core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

FUTURE = (timezone.localdate() + datetime.timedelta(days=200)).isoformat()


def step_url(channel, step):
    return reverse("channels:step", args=[channel.pk, step])


def step_data(unit, deputy):
    """Valid input for every step, keyed by step slug."""
    return {
        "purpose": {
            "purpose": "Show research in physics.",
            "audience_primary": "Prospective students.",
            "audience_secondary": "Alumni.",
        },
        "organisation": {
            "sender": "unit",
            "sender_unit": unit.pk,
            "responsible_unit": unit.pk,
            "operations_area": "Education",
            "prefect_name": "Petra Prefekt",
            "prefect_title": "Head of department",
            "prefect_email": "petra.prefekt@umu.se",
        },
        "people": {
            "responsible_email": "anna@umu.se",
            "responsible_phone": "090-111",
            "deputy_1_email": deputy.email,
            "deputy_1_phone": "090-222",
            "resources": "Four hours a week.",
            "update_frequency": "weekly",
        },
        "routines": {
            "monitoring_who": "Anna and David.",
            "monitoring_frequency": "daily",
            "response_time_hours": "24",
            "archiving_routine": "Monthly export.",
            "culling_routine": "After two years.",
        },
        "policy": {
            "policy_text": "We moderate.",
            "policy_location": "Profile text.",
            "graphic_profile_confirmed": "on",
        },
        "evaluation": {
            "evaluation_method": "Reach and response times.",
            "evaluation_interval_months": "12",
            "evaluation_first_date": FUTURE,
            "handover_routine": "Shared mailbox.",
        },
    }


PLATFORM_STEP = {
    "platform": None,  # filled per test
    "name": "Umeå University Physics",
    "address": "https://www.instagram.com/umu_physics",
    "address_is_planned": "on",
    "language": "sv",
}


def platform_data(**overrides):
    data = dict(PLATFORM_STEP, platform=platform("instagram").pk)
    data.update(overrides)
    return data


@pytest.fixture
def unit(db):
    return UnitFactory()


# --- the whole wizard ------------------------------------------------------------------------


def test_wizard_from_new_to_submit(client, owner, deputy, unit):
    client.force_login(owner)
    response = client.get(reverse("channels:new"))
    assert response.status_code == 200
    assert "Platform and name" in response.text
    assert Channel.objects.count() == 0  # step 1 is an unsaved form

    response = client.post(reverse("channels:new"), platform_data(action="next"))
    channel = Channel.objects.get()
    assert response.status_code == 302
    assert response["Location"] == step_url(channel, "purpose")
    assert channel.state == Channel.State.DRAFT
    assert channel.created_by == owner and channel.responsible == owner
    assert channel.platform.slug == "instagram"
    assert AuditEntry.objects.filter(channel=channel, action="created").count() == 1

    for slug, data in step_data(unit, deputy).items():
        response = client.post(step_url(channel, slug), {**data, "action": "next"})
        assert response.status_code == 302, (
            slug,
            response.context and response.context["form"].errors,
        )

    assert response["Location"] == step_url(channel, "review")
    channel.refresh_from_db()
    assert channel.purpose == "Show research in physics."
    assert channel.sender_unit == unit
    assert channel.prefect_email == "petra.prefekt@umu.se"
    assert list(channel.deputies.all()) == [deputy]
    assert channel.deputyships.get().phone == "090-222"
    assert channel.response_time_hours == 24
    assert channel.graphic_profile_confirmed is True
    assert channel.evaluation_first_date.isoformat() == FUTURE
    # Drafts are not audited field by field: only the creation so far.
    assert list(channel.audit_entries.values_list("action", flat=True)) == ["created"]

    response = client.get(step_url(channel, "review"))
    assert response.status_code == 200
    assert "Still missing" not in response.text
    assert "Show research in physics." in response.text
    assert 'dl class="registration"' in response.text

    response = client.post(reverse("approvals:submit", args=[channel.pk]))
    assert response.status_code == 302
    assert response["Location"] == channel.get_absolute_url()
    channel.refresh_from_db()
    assert channel.state == Channel.State.AWAITING_PREFECT
    assert channel.submitted_at is not None
    assert list(channel.audit_entries.values_list("action", flat=True)) == [
        "created",
        "submitted",
        "signoff_requested",
    ]
    submitted = channel.audit_entries.get(action="submitted")
    assert (submitted.from_state, submitted.to_state, submitted.actor) == (
        "draft",
        "awaiting_prefect",
        owner,
    )
    email = OutgoingEmail.objects.get(template="signoff-request")
    assert email.to == ["petra.prefekt@umu.se"]
    assert PrefectSignoff.objects.get(channel=channel).decision == "pending"

    response = client.get(response["Location"])
    assert "head of department, has been e-mailed" in response.text
    assert "Waiting for the head of department since" in response.text
    assert reverse("approvals:signoff_resend", args=[channel.pk]) in response.text


def test_new_shows_guidance_for_every_platform(client, owner):
    client.force_login(owner)
    response = client.get(reverse("channels:new"))
    assert "<details" in response.text
    for name in ("Facebook", "LinkedIn", "Mastodon", "Vimeo"):
        assert name in response.text
    assert "Komm runs the university's accounts on this platform" in response.text


def test_purpose_step_shows_the_chosen_platforms_guidance(client, owner, draft):
    client.force_login(owner)
    response = client.get(step_url(draft, "purpose"))
    assert 'class="guidance' in response.text
    assert draft.platform.purpose in response.text
    assert platform("facebook").purpose not in response.text


def test_progress_indicator_links_every_step_once_the_draft_exists(client, owner, draft):
    client.force_login(owner)
    response = client.get(step_url(draft, "routines"))
    assert 'class="wizard-steps"' in response.text
    assert 'aria-current="step"' in response.text
    for slug in ("platform", "purpose", "organisation", "people", "policy", "evaluation", "review"):
        assert f'href="{step_url(draft, slug)}"' in response.text
    assert response.text.count('class="done"') == 7


def test_step_one_says_which_platforms_komm_runs_and_offers_to_send_content(client, owner):
    client.force_login(owner)
    page = client.get(reverse("channels:new")).text
    note = page[page.index('class="alert alert-info komm-platforms"') :]
    note = note[: note.index("</div>")]
    assert "<li>YouTube</li>" in note and "<li>Vimeo</li>" in note
    assert 'href="mailto:komm@umu.se"' in note
    assert "YouTube (managed by Komm: send your content to Komm instead)" in page


def test_step_one_refuses_a_platform_komm_runs(client, owner):
    client.force_login(owner)
    data = platform_data(platform=platform("youtube").pk, address="https://www.youtube.com/@umu")
    response = client.post(reverse("channels:new"), data)
    assert response.status_code == 200  # the step again, with its error
    assert "send your content to Komm (komm@umu.se) instead" in response.text
    assert not Channel.objects.exists()


def test_new_has_no_step_links(client, owner):
    client.force_login(owner)
    response = client.get(reverse("channels:new"))
    assert "/step/" not in response.text


# --- save and continue later, back ------------------------------------------------------------


def test_save_and_continue_later_from_new(client, owner):
    client.force_login(owner)
    response = client.post(reverse("channels:new"), platform_data(action="later"))
    assert response["Location"] == reverse("channels:my_channels")
    channel = Channel.objects.get()
    response = client.get(response["Location"])
    assert "is saved" in response.text
    assert channel.name in response.text
    assert step_url(channel, "purpose") in response.text  # the first incomplete step


def test_save_and_continue_later_keeps_partial_step(client, owner):
    client.force_login(owner)
    channel = ChannelFactory(created_by=owner, purpose="", audience_primary="")
    channel_sync_permissions(channel=channel)
    response = client.post(
        step_url(channel, "purpose"), {"purpose": "Half done", "action": "later"}
    )
    assert response["Location"] == reverse("channels:my_channels")
    channel.refresh_from_db()
    assert channel.purpose == "Half done"
    response = client.get(reverse("channels:my_channels"))
    assert step_url(channel, "purpose") in response.text  # still incomplete: audience missing


def test_back_saves_valid_input(client, owner, draft):
    client.force_login(owner)
    response = client.post(
        step_url(draft, "purpose"),
        {"purpose": "New purpose", "audience_primary": "Staff", "action": "back"},
    )
    assert response["Location"] == step_url(draft, "platform")
    draft.refresh_from_db()
    assert draft.purpose == "New purpose"
    response = client.get(step_url(draft, "purpose"))
    assert "New purpose" in response.text


def test_back_with_invalid_input_keeps_what_is_stored(client, owner, draft):
    client.force_login(owner)
    before = draft.evaluation_first_date
    response = client.post(
        step_url(draft, "evaluation"),
        {
            "evaluation_method": "Changed",
            "evaluation_interval_months": "12",
            "evaluation_first_date": "2000-01-01",
            "handover_routine": "x",
            "action": "back",
        },
    )
    assert response["Location"] == step_url(draft, "policy")
    draft.refresh_from_db()
    assert draft.evaluation_first_date == before
    assert draft.evaluation_method != "Changed"
    assert "were not saved" in client.get(response["Location"]).text


def test_step_form_shows_stored_values(client, owner, draft):
    client.force_login(owner)
    response = client.get(step_url(draft, "people"))
    assert 'value="anna@umu.se"' in response.text
    assert 'value="david@umu.se"' in response.text


# --- validation: each rule refuses with its message and changes nothing ----------------------


def _assert_refused(response, message):
    assert response.status_code == 200
    assert 'role="alert"' in response.text
    assert message in response.text


def test_address_must_be_on_the_platforms_domains(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("channels:new"), platform_data(address="https://www.facebook.com/x")
    )
    _assert_refused(response, "Addresses on Instagram are on instagram.com")
    assert 'href="#id_address"' in response.text
    assert Channel.objects.count() == 0


def test_duplicate_platform_and_address_is_refused_naming_the_channel(client, owner, colleague):
    existing = ChannelFactory(
        name="Fysik på Instagram",
        address="https://www.instagram.com/umu_physics",
        created_by=colleague,
        state=Channel.State.AWAITING_KOMM,
    )
    client.force_login(owner)
    response = client.post(
        reverse("channels:new"), platform_data(address="https://www.instagram.com/UMU_physics/")
    )
    _assert_refused(response, "already registered or pending as “Fysik på Instagram”")
    assert Channel.objects.count() == 1
    assert Channel.objects.get() == existing


def test_a_draft_with_the_same_address_is_not_a_duplicate(client, owner, colleague):
    ChannelFactory(address="https://www.instagram.com/umu_physics", created_by=colleague)
    client.force_login(owner)
    response = client.post(reverse("channels:new"), platform_data())
    assert response.status_code == 302


def test_editing_the_address_of_own_channel_is_not_a_duplicate_of_itself(client, owner, draft):
    channel_transition(channel=draft, to="awaiting_prefect", action="submitted", actor=owner)
    channel_transition(channel=draft, to="prefect_declined", action="prefect_declined")
    client.force_login(owner)
    data = platform_data(name=draft.name, address=draft.address, action="next")
    response = client.post(step_url(draft, "platform"), data)
    assert response.status_code == 302


@pytest.fixture
def people_draft(owner, deputy, unit):
    return _draft_for(owner, deputy)


def _draft_for(owner, deputy):
    channel = ChannelFactory(created_by=owner, deputies=[deputy])
    channel_sync_permissions(channel=channel)
    return channel


def _people(**overrides):
    data = {
        "responsible_email": "anna@umu.se",
        "responsible_phone": "090-111",
        "deputy_1_email": "david@umu.se",
        "deputy_1_phone": "090-222",
        "resources": "Changed resources",
        "update_frequency": "weekly",
        "action": "next",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"deputy_1_email": "anna@umu.se"}, "The responsible person cannot also be a deputy."),
        ({"deputy_1_email": "david@gmail.com"}, "Use a university e-mail address"),
        ({"responsible_email": "anna@example.org"}, "Use a university e-mail address"),
        ({"deputy_1_email": ""}, "Fill in “E-mail of deputy 1”."),
        ({"deputy_1_phone": ""}, "Give a phone number for this deputy."),
        (
            {"deputy_2_email": "david@umu.se", "deputy_2_phone": "1"},
            "Each deputy can be named only once.",
        ),
        (
            {"responsible_email": "cecilia@umu.se"},
            "Name yourself as the responsible person or as a deputy",
        ),
    ],
)
def test_people_rules(client, owner, deputy, colleague, people_draft, overrides, message):
    client.force_login(owner)
    response = client.post(step_url(people_draft, "people"), _people(**overrides))
    _assert_refused(response, message)
    people_draft.refresh_from_db()
    assert people_draft.responsible == owner
    assert people_draft.resources != "Changed resources"
    assert list(people_draft.deputies.all()) == [deputy]


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("gone@umu.se", "This person's account is deactivated."),
        ("ny.person@gmail.com", "Use a university e-mail address"),
        ("not-an-address", "Enter a valid email address."),
    ],
)
def test_a_refused_deputy_address_gets_one_error_not_a_second_about_the_phone(
    client, owner, deputy, people_draft, address, message
):
    # Someone who never logged in and has since been deactivated (issue 12, item 14): the
    # address was filled in, so it must not also be asked for.
    UserFactory(username="gone", email="gone@umu.se", is_active=False, last_login=None)
    client.force_login(owner)
    data = _people(deputy_2_email=address, deputy_2_phone="090-333")
    response = client.post(step_url(people_draft, "people"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors["deputy_2_email"]
    assert len(errors) == 1 and message in errors[0]
    assert "Give the e-mail of the deputy with this phone." not in response.text


def test_a_phone_without_a_deputy_address_still_asks_for_the_address(client, owner, people_draft):
    client.force_login(owner)
    response = client.post(step_url(people_draft, "people"), _people(deputy_2_phone="090-333"))
    assert response.context["form"].errors["deputy_2_email"] == [
        "Give the e-mail of the deputy with this phone."
    ]


def test_people_can_be_changed_and_permissions_follow(
    client, owner, deputy, colleague, people_draft
):
    client.force_login(owner)
    response = client.post(
        step_url(people_draft, "people"),
        _people(deputy_1_email="cecilia@umu.se", deputy_1_phone="090-333"),
    )
    assert response.status_code == 302
    people_draft.refresh_from_db()
    assert list(people_draft.deputies.all()) == [colleague]
    assert colleague.has_perm("channels.change_channel", people_draft)
    assert not deputy.has_perm("channels.change_channel", people_draft)
    client.force_login(deputy)
    assert client.get(people_draft.get_absolute_url()).status_code == 404


def test_deputy_may_name_another_responsible_person_and_stay_deputy(
    client, owner, deputy, colleague, people_draft
):
    client.force_login(deputy)
    response = client.post(
        step_url(people_draft, "people"),
        _people(
            responsible_email="cecilia@umu.se", deputy_2_email="anna@umu.se", deputy_2_phone="1"
        ),
    )
    assert response.status_code == 302
    people_draft.refresh_from_db()
    assert people_draft.responsible == colleague


def test_prefect_email_must_be_on_staff_domains(client, owner, draft, unit):
    client.force_login(owner)
    data = {
        "sender": "unit",
        "sender_unit": unit.pk,
        "responsible_unit": unit.pk,
        "operations_area": "Education",
        "prefect_name": "Petra",
        "prefect_email": "petra@gmail.com",
        "action": "next",
    }
    response = client.post(step_url(draft, "organisation"), data)
    _assert_refused(response, "Use a university e-mail address (ending in @umu.se).")
    assert 'href="#id_prefect_email"' in response.text
    draft.refresh_from_db()
    assert draft.prefect_email == "petra.prefekt@umu.se"
    assert draft.prefect_name == "Petra Prefekt"


def _organisation(unit, **overrides):
    data = {
        "sender": "unit",
        "sender_unit": unit.pk,
        "responsible_unit": unit.pk,
        "operations_area": "Changed",
        "prefect_name": "Petra",
        "prefect_email": "petra@umu.se",
        "action": "next",
    }
    return {**data, **overrides}


def test_unit_sender_needs_a_sending_unit(client, owner, draft, unit):
    client.force_login(owner)
    data = _organisation(unit, sender_unit="")
    response = client.post(step_url(draft, "organisation"), data)
    _assert_refused(response, "Choose the unit the university speaks through.")
    draft.refresh_from_db()
    assert draft.operations_area != "Changed"


def test_university_sender_needs_no_unit(client, owner, draft, unit):
    client.force_login(owner)
    data = _organisation(unit, sender="university", sender_unit="")
    assert client.post(step_url(draft, "organisation"), data).status_code == 302
    draft.refresh_from_db()
    assert (draft.sender, draft.operations_area) == ("university", "Changed")


def test_the_employee_sender_is_asked_shown_and_required_to_submit(client, owner, draft, unit):
    client.force_login(owner)
    data = _organisation(unit, sender="employee", sender_unit="", sender_employee="")
    form_page = client.get(step_url(draft, "organisation")).text
    assert 'name="sender_employee"' in form_page
    _assert_refused(client.post(step_url(draft, "organisation"), data), "Name the employee")
    # Saved without it (e.g. before this field existed), the registration cannot be submitted.
    Channel.objects.filter(pk=draft.pk).update(sender="employee", sender_employee="")
    draft.refresh_from_db()
    assert "employee the university speaks through" in channel_missing_fields(draft)["organisation"]
    data["sender_employee"] = "Eva Forskare, eva.forskare@umu.se"
    assert client.post(step_url(draft, "organisation"), data).status_code == 302
    draft.refresh_from_db()
    assert draft.sender_employee == "Eva Forskare, eva.forskare@umu.se"
    assert "organisation" not in channel_missing_fields(draft)
    label = "Employee the university speaks through"
    for url in (step_url(draft, "review"), draft.get_absolute_url()):
        page = client.get(url).text
        assert label in page and "Eva Forskare, eva.forskare@umu.se" in page


def test_other_senders_show_no_employee_row(client, owner, draft):
    client.force_login(owner)
    assert "Employee the university speaks through" not in client.get(draft.get_absolute_url()).text


@pytest.mark.parametrize("days", [0, -1])
def test_first_evaluation_must_be_in_the_future(client, owner, draft, days):
    client.force_login(owner)
    before = draft.evaluation_first_date
    when = timezone.localdate() + datetime.timedelta(days=days)
    data = {
        "evaluation_method": "x",
        "evaluation_interval_months": "12",
        "evaluation_first_date": when.isoformat(),
        "handover_routine": "Changed",
        "action": "next",
    }
    response = client.post(step_url(draft, "evaluation"), data)
    _assert_refused(response, "The first evaluation must be a date in the future.")
    draft.refresh_from_db()
    assert draft.evaluation_first_date == before
    assert draft.handover_routine != "Changed"


def test_submit_with_missing_fields_changes_nothing(client, owner):
    channel = ChannelFactory(created_by=owner, culling_routine="", policy_text="")
    channel_sync_permissions(channel=channel)
    client.force_login(owner)
    response = client.get(step_url(channel, "review"))
    assert "Still missing" in response.text
    assert step_url(channel, "routines") in response.text
    assert step_url(channel, "policy") in response.text
    response = client.post(reverse("approvals:submit", args=[channel.pk]), follow=True)
    # Said at the top, in the error summary that takes the focus, as on the other steps; not in
    # the status block that a screen reader may not reach.
    summary = re.search(
        r'<div class="alert alert-danger error-summary"[^>]*>(.*?)</div>', response.text, re.S
    )
    assert summary is not None and "autofocus" in summary.group(0)
    assert "Fill in everything before you submit" in summary.group(1)
    assert response.text.count("Fill in everything before you submit") == 1
    channel.refresh_from_db()
    assert channel.state == Channel.State.DRAFT
    assert not OutgoingEmail.objects.exists()
    assert not channel.audit_entries.filter(action="submitted").exists()


def test_submit_needs_post(client, owner, draft):
    client.force_login(owner)
    assert client.get(reverse("approvals:submit", args=[draft.pk])).status_code == 405
    draft.refresh_from_db()
    assert draft.state == Channel.State.DRAFT


# --- editing after a decision, resubmission ----------------------------------------------------


def test_edit_after_prefect_decline_and_resubmit(client, owner, draft):
    channel_submit(channel=draft, submitted_by=owner)
    signoff_decline(signoff=draft.signoffs.get(), reason="Talk to me first.")
    client.force_login(owner)
    response = client.get(reverse("channels:my_channels"))
    assert "Talk to me first." in response.text
    assert "Edit and resubmit" in response.text

    response = client.post(
        step_url(draft, "purpose"),
        {"purpose": "Clearer purpose", "audience_primary": "Students", "action": "next"},
    )
    assert response.status_code == 302
    edited = draft.audit_entries.get(action="edited")
    assert edited.actor == owner
    assert edited.changes["purpose"][1] == "Clearer purpose"

    response = client.post(reverse("approvals:submit", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.state == Channel.State.AWAITING_PREFECT
    assert OutgoingEmail.objects.filter(template="signoff-request").count() == 2
    page = client.get(draft.get_absolute_url()).text
    assert "Clearer purpose" in page
    assert "Talk to me first." in page  # the decline stays in the history


def test_edit_after_komm_changes_request_and_resubmit(client, owner, komm, draft):
    channel_submit(channel=draft, submitted_by=owner)
    signoff_approve(signoff=draft.signoffs.get())
    draft.refresh_from_db()
    review_decide(
        channel=draft, reviewer=komm, decision="changes_requested", comment="Shorter policy."
    )
    client.force_login(owner)
    response = client.get(reverse("channels:my_channels"))
    assert "Shorter policy." in response.text

    response = client.post(
        step_url(draft, "policy"),
        {
            "policy_text": "Short.",
            "policy_location": "Bio",
            "graphic_profile_confirmed": "on",
            "action": "next",
        },
    )
    assert response.status_code == 302
    response = client.post(reverse("approvals:submit", args=[draft.pk]), follow=True)
    draft.refresh_from_db()
    # The prefect's approval stands (same prefect, same responsible person): back to Komm.
    assert draft.state == Channel.State.AWAITING_KOMM
    assert "Komm has been told" in response.text
    assert OutgoingEmail.objects.filter(template="komm-new-in-queue").count() == 2
    assert draft.audit_entries.filter(action="edited").exists()


@pytest.mark.parametrize(
    "state", ["awaiting_prefect", "awaiting_komm", "approved", "active", "rejected"]
)
def test_steps_redirect_to_detail_when_not_editable(client, owner, draft, state):
    Channel.objects.filter(pk=draft.pk).update(state=state, address_is_planned=False)
    client.force_login(owner)
    response = client.get(step_url(draft, "purpose"))
    assert response["Location"] == draft.get_absolute_url()
    response = client.post(step_url(draft, "purpose"), {"purpose": "x", "action": "next"})
    assert response["Location"] == draft.get_absolute_url()
    response = client.post(reverse("approvals:submit", args=[draft.pk]))
    assert response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.purpose != "x" and draft.state == state


def test_unknown_step_is_404(client, owner, draft):
    client.force_login(owner)
    assert client.get(step_url(draft, "nonsense")).status_code == 404


# --- mark opened -------------------------------------------------------------------------------


@pytest.fixture
def approved(owner, komm, draft):
    channel_submit(channel=draft, submitted_by=owner)
    signoff_approve(signoff=draft.signoffs.get())
    draft.refresh_from_db()
    review_decide(channel=draft, reviewer=komm, decision="approved")
    draft.refresh_from_db()
    return draft


def test_mark_opened_with_live_address(client, owner, approved):
    client.force_login(owner)
    page = client.get(approved.get_absolute_url()).text
    assert reverse("channels:open", args=[approved.pk]) in page
    response = client.post(
        reverse("channels:open", args=[approved.pk]),
        {"address": "https://www.instagram.com/umu_live"},
    )
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.state == Channel.State.ACTIVE
    assert approved.address == "https://www.instagram.com/umu_live"
    assert approved.address_is_planned is False
    assert approved.audit_entries.filter(action="opened", actor=owner).exists()


def test_mark_opened_without_address_when_it_was_not_planned(client, owner, approved):
    Channel.objects.filter(pk=approved.pk).update(address_is_planned=False)
    client.force_login(owner)
    page = client.get(approved.get_absolute_url()).text
    assert 'name="address"' not in page
    response = client.post(reverse("channels:open", args=[approved.pk]), {})
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.state == Channel.State.ACTIVE


def test_mark_opened_requires_the_address_when_planned(client, owner, approved):
    client.force_login(owner)
    response = client.post(reverse("channels:open", args=[approved.pk]), {"address": ""})
    assert response.status_code == 400
    assert "This field is required." in response.text
    approved.refresh_from_db()
    assert approved.state == Channel.State.APPROVED


def test_mark_opened_refuses_wrong_domain(client, owner, approved):
    client.force_login(owner)
    response = client.post(
        reverse("channels:open", args=[approved.pk]), {"address": "https://example.com/umu"}
    )
    assert response.status_code == 400
    assert "The address must be on instagram.com" in response.text
    approved.refresh_from_db()
    assert approved.state == Channel.State.APPROVED
    assert approved.address != "https://example.com/umu"


def test_mark_opened_only_when_approved(client, owner, draft):
    client.force_login(owner)
    response = client.post(
        reverse("channels:open", args=[draft.pk]), {"address": "https://www.instagram.com/x"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == Channel.State.DRAFT


def test_komm_cannot_mark_opened(client, komm, approved):
    client.force_login(komm)
    page = client.get(approved.get_absolute_url()).text
    assert reverse("channels:open", args=[approved.pk]) not in page
    response = client.post(
        reverse("channels:open", args=[approved.pk]), {"address": "https://www.instagram.com/x"}
    )
    assert response.status_code == 403
    approved.refresh_from_db()
    assert approved.state == Channel.State.APPROVED


# --- the detail page ---------------------------------------------------------------------------


def test_detail_shows_registration_decisions_and_audit_trail(client, owner, komm, approved):
    client.force_login(owner)
    page = client.get(approved.get_absolute_url()).text
    assert approved.name in page
    assert "Approved, not yet opened" in page
    assert 'dl class="registration"' in page
    assert approved.purpose in page
    assert "Petra Prefekt" in page
    assert "Approved by head of department" in page
    assert "Approved by Komm" in page
    assert "Karin Komm" in page
    assert "Mark as opened" in page
    assert 'class="table table-sm bg-white audit-trail"' in page


def test_detail_shows_changes_of_edits(client, owner, draft):
    channel_submit(channel=draft, submitted_by=owner)
    signoff_decline(signoff=draft.signoffs.get(), reason="No.")
    client.force_login(owner)
    client.post(
        step_url(draft, "purpose"),
        {"purpose": "Brand new purpose", "audience_primary": "Staff", "action": "next"},
    )
    page = client.get(draft.get_absolute_url()).text
    assert "audit-changes" in page
    assert "Brand new purpose" in page


# --- My channels -------------------------------------------------------------------------------


def test_my_channels_empty_state(client, colleague):
    client.force_login(colleague)
    response = client.get(reverse("channels:my_channels"))
    assert "You have no channels yet" in response.text
    assert reverse("channels:new") in response.text


@pytest.mark.parametrize(
    ("state", "text"),
    [
        ("awaiting_prefect", "Waiting for the head of department since"),
        ("awaiting_komm", "Waiting for Komm since"),
        ("approved", "Approved: open the channel"),
        # An active channel's duties: here, its policy's publication is not recorded yet.
        ("active", "policy is published."),
        ("rejected", "Rejected by Komm."),
        ("prefect_declined", "Edit and resubmit"),
        ("changes_requested", "Edit and resubmit"),
    ],
)
def test_my_channels_next_step_per_state(client, owner, draft, state, text):
    Channel.objects.filter(pk=draft.pk).update(
        state=state, state_changed_at=timezone.now(), address_is_planned=False
    )
    client.force_login(owner)
    response = client.get(reverse("channels:my_channels"))
    assert draft.name in response.text
    assert text in response.text


def test_my_channels_draft_links_to_first_incomplete_step(client, owner):
    channel = ChannelFactory(created_by=owner, monitoring_who="")
    channel_sync_permissions(channel=channel)
    complete = ChannelFactory(created_by=owner)
    channel_sync_permissions(channel=complete)
    client.force_login(owner)
    page = client.get(reverse("channels:my_channels")).text
    assert step_url(channel, "routines") in page
    assert step_url(complete, "review") in page


def test_my_channels_marks_deputised_channels(client, deputy, draft):
    client.force_login(deputy)
    page = client.get(reverse("channels:my_channels")).text
    assert draft.name in page
    assert "Deputy" in page


def test_my_channels_shows_none_of_other_peoples_channels(client, colleague, draft):
    client.force_login(colleague)
    assert draft.name not in client.get(reverse("channels:my_channels")).text


def test_my_channels_paginates_with_a_fixed_number_of_queries(client, owner, komm):
    def queries_for_page():
        client.force_login(owner)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("channels:my_channels"))
        return len(ctx), response

    for _i in range(2):
        ChannelFactory(created_by=owner)
    few, _response = queries_for_page()
    for _i in range(23):
        channel = ChannelFactory(created_by=owner)
        channel_submit(channel=channel, submitted_by=owner)
    # Units, people, deputies, reviews and sign-offs are fetched per page, not per row.
    many, response = queries_for_page()
    assert many == few
    assert response.text.count("<tr>") == 21  # the header and 20 channels
    response = client.get(reverse("channels:my_channels") + "?page=2")
    assert response.text.count("<tr>") == 6


# --- access matrix -----------------------------------------------------------------------------


def _views(channel):
    return {
        "detail": ("get", reverse("channels:detail", args=[channel.pk])),
        "step": ("get", step_url(channel, "purpose")),
        "review": ("get", step_url(channel, "review")),
        "submit": ("post", reverse("approvals:submit", args=[channel.pk])),
        "open": ("post", reverse("channels:open", args=[channel.pk])),
    }


# What each persona gets for the owner's draft: status code, or "login" for the redirect.
MATRIX = {
    "anonymous": {
        "detail": "login",
        "step": "login",
        "review": "login",
        "submit": "login",
        "open": "login",
    },
    "owner": {"detail": 200, "step": 200, "review": 200, "submit": 302, "open": 302},
    "deputy": {"detail": 200, "step": 200, "review": 200, "submit": 302, "open": 302},
    "colleague": {"detail": 404, "step": 404, "review": 404, "submit": 404, "open": 404},
    "komm": {"detail": 200, "step": 403, "review": 403, "submit": 403, "open": 403},
    "admin_user": {"detail": 200, "step": 403, "review": 403, "submit": 403, "open": 403},
}


@pytest.mark.parametrize("persona", list(MATRIX))
def test_access_matrix(client, request, persona, draft):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    for view, (method, url) in _views(draft).items():
        response = getattr(client, method)(url)
        expected = MATRIX[persona][view]
        if expected == "login":
            assert response.status_code == 302, view
            assert response["Location"].startswith(reverse("login")), view
        else:
            assert response.status_code == expected, (persona, view)
        # Nobody but the owner and deputy moved the channel, and the submit moved it only once.
        draft.refresh_from_db()
        if persona not in ("owner", "deputy"):
            assert draft.state == Channel.State.DRAFT


@pytest.mark.parametrize("persona", ["anonymous", "owner", "colleague", "komm", "admin_user"])
def test_access_to_new_and_my_channels(client, request, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    for url in (reverse("channels:new"), reverse("channels:my_channels")):
        response = client.get(url)
        if persona == "anonymous":
            assert response["Location"].startswith(reverse("login"))
        else:
            assert response.status_code == 200


def test_komm_sees_resend_link_but_not_edit(client, owner, komm, draft):
    channel_submit(channel=draft, submitted_by=owner)
    client.force_login(komm)
    page = client.get(draft.get_absolute_url()).text
    assert reverse("approvals:signoff_resend", args=[draft.pk]) in page
    assert "Edit and resubmit" not in page and "Continue the registration" not in page


def test_review_keeps_komm_reviews_visible_on_detail(client, owner, komm, approved):
    assert KommReview.objects.filter(channel=approved).count() == 1
    client.force_login(owner)
    assert "Komm's reviews" in client.get(approved.get_absolute_url()).text


def test_user_without_channels_sees_empty_state_not_others(client, db):
    user = UserFactory()
    client.force_login(user)
    assert "You have no channels yet" in client.get(reverse("channels:my_channels")).text


# --- the channel page's frame: breadcrumbs and its table of contents ----------------------------


def _breadcrumbs(html: str) -> str:
    start = html.index('<ol class="breadcrumb')
    return html[start : html.index("</ol>", start)]


def test_komms_channel_page_leads_back_to_the_register_not_my_channels(client, komm, owner, draft):
    client.force_login(komm)
    crumbs = _breadcrumbs(client.get(draft.get_absolute_url()).text)
    assert f'href="{reverse("channels:register")}"' in crumbs
    assert f'href="{reverse("channels:my_channels")}"' not in crumbs
    client.force_login(owner)
    crumbs = _breadcrumbs(client.get(draft.get_absolute_url()).text)
    assert f'href="{reverse("channels:my_channels")}"' in crumbs


def test_the_channel_page_puts_the_summary_first_and_lists_its_sections(client, owner, draft):
    client.force_login(owner)
    page = client.get(draft.get_absolute_url()).text
    contents = page[page.index('<nav class="page-contents"') :]
    contents = contents[: contents.index("</nav>")]
    # The summary with the next step comes before the contents and the sections.
    assert page.index('id="next-title"') < page.index('class="page-contents"')
    assert page.index('id="summary-title"') < page.index('class="page-contents"')
    # Every section heading is in the contents, and every link of it goes to one.
    for heading in ("registration-title", "audit-title"):
        assert f'href="#{heading}"' in contents
        assert f'id="{heading}"' in page
    for target in re.findall(r'href="#([^"]+)"', contents):
        assert f'id="{target}"' in page
