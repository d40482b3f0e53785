"""Heads of department kept by Komm, and nobody signs their own channel off.

The rule is checked where a person could slip past it: the wizard's organisation and people
steps, the admin, and, whatever a form let through, the service that sends the link (on
submission, on resubmission and in a handover); and Komm's reviewer is none of the channel's
people either.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from approvals.models import KommReview
from approvals.review.services import review_decide
from approvals.signoff.services import channel_submit, signoff_approve
from approvals.testing.handover import start
from approvals.testing.lifecycle import activate
from channels.models import Channel, UnitHead
from channels.selectors import unit_head
from channels.testing.factories import ChannelFactory, UnitFactory
from channels.wizard.forms import OrganisationStepForm, PeopleStepForm
from core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)


def _organisation_data(unit, **overrides) -> dict:
    data = {
        "sender": "unit",
        "sender_unit": unit.pk,
        "responsible_unit": unit.pk,
        "operations_area": "Education",
        "prefect_name": "",
        "prefect_title": "",
        "prefect_email": "",
        "prefect_other_reason": "",
    }
    return data | overrides


def test_the_current_head_is_the_acting_one_while_their_dates_cover_today():
    unit = UnitFactory()
    UnitHead.objects.create(unit=unit, name="Petra Prefekt", email="Petra.Prefekt@umu.se")
    assert unit_head(unit, today=TODAY).email == "petra.prefekt@umu.se"  # stored normalised
    UnitHead.objects.create(
        unit=unit,
        name="Ari Acting",
        email="ari@umu.se",
        acting=True,
        valid_from=TODAY - datetime.timedelta(days=10),
        valid_until=TODAY + datetime.timedelta(days=10),
    )
    assert unit_head(unit, today=TODAY).name == "Ari Acting"
    assert unit_head(unit, today=TODAY + datetime.timedelta(days=11)).name == "Petra Prefekt"
    assert unit_head(UnitFactory(), today=TODAY) is None


def test_the_organisation_step_fills_in_the_units_registered_head(draft):
    unit = UnitFactory()
    UnitHead.objects.create(unit=unit, name="Petra Prefekt", title="Prefekt", email="p@umu.se")
    form = OrganisationStepForm(_organisation_data(unit), instance=Channel.objects.get(pk=draft.pk))
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["prefect_name"], form.cleaned_data["prefect_email"]) == (
        "Petra Prefekt",
        "p@umu.se",
    )


def test_the_organisation_step_shows_the_registered_head_once_the_unit_is_known(draft):
    UnitHead.objects.create(unit=draft.responsible_unit, name="Hanna Head", email="h@umu.se")
    Channel.objects.filter(pk=draft.pk).update(prefect_name="", prefect_email="")
    form = OrganisationStepForm(instance=Channel.objects.get(pk=draft.pk))
    assert (form["prefect_name"].value(), form["prefect_email"].value()) == (
        "Hanna Head",
        "h@umu.se",
    )


def test_someone_else_than_the_registered_head_needs_a_reason(draft):
    unit = UnitFactory()
    UnitHead.objects.create(unit=unit, name="Petra Prefekt", email="p@umu.se")
    other = {"prefect_name": "Olle Other", "prefect_email": "olle@umu.se"}
    form = OrganisationStepForm(
        _organisation_data(unit, **other), instance=Channel.objects.get(pk=draft.pk)
    )
    assert not form.is_valid()
    assert "Say why someone else approves" in str(form.errors["prefect_other_reason"])
    form = OrganisationStepForm(
        _organisation_data(unit, prefect_other_reason="Petra is on leave.", **other),
        instance=Channel.objects.get(pk=draft.pk),
    )
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("who", ["creator", "deputy"])
def test_the_organisation_step_refuses_one_of_the_channels_people_as_head(draft, who, deputy):
    email = draft.created_by.email if who == "creator" else deputy.email.upper()
    data = _organisation_data(draft.responsible_unit, prefect_name="Me", prefect_email=email)
    form = OrganisationStepForm(data, instance=Channel.objects.get(pk=draft.pk))
    assert not form.is_valid()
    assert "cannot also be its applicant" in str(form.errors["prefect_email"])


def test_the_people_step_refuses_the_head_of_department_as_deputy(draft, owner):
    prefect = UserFactory(username="petra", email="petra.prefekt@umu.se")
    data = {
        "responsible_email": owner.email,
        "responsible_phone": "090-1",
        "deputy_1_email": prefect.email,
        "deputy_1_phone": "090-2",
        "resources": "Some.",
        "update_frequency": "weekly",
    }
    form = PeopleStepForm(data, instance=Channel.objects.get(pk=draft.pk), editor=owner)
    assert not form.is_valid()
    assert "cannot also be its applicant" in str(form.errors["deputy_1_email"])


def test_the_service_refuses_self_approval_whatever_the_form_said(draft, owner):
    """anna names herself head of department behind the forms' back: no link is sent."""
    Channel.objects.filter(pk=draft.pk).update(prefect_email="ANNA@umu.se ")
    draft.refresh_from_db()
    with pytest.raises(ValidationError, match="cannot approve this channel"):
        channel_submit(channel=draft, submitted_by=owner)
    draft.refresh_from_db()
    assert draft.state == Channel.State.DRAFT
    assert not draft.signoffs.exists()


def test_no_link_is_sent_without_an_address_and_the_pending_one_keeps_working(client, draft, owner):
    """The head's address emptied behind the forms' back (a bulk edit, an old admin): "send a
    new link" says why it cannot, and the link already sent stays the one that works."""
    channel_submit(channel=draft, submitted_by=owner)
    [pending] = draft.signoffs.all()
    Channel.objects.filter(pk=draft.pk).update(prefect_email="")
    client.force_login(owner)

    response = client.post(reverse("approvals:signoff_resend", args=[draft.pk]), follow=True)

    assert response.status_code == 200
    assert "e-mail address is missing" in response.content.decode()
    assert list(draft.signoffs.all()) == [pending]
    pending.refresh_from_db()
    assert pending.decision == pending.Decision.PENDING


def test_a_new_link_to_one_of_the_channels_people_is_refused_with_a_message(
    client, draft, owner, deputy
):
    channel_submit(channel=draft, submitted_by=owner)
    Channel.objects.filter(pk=draft.pk).update(prefect_email=deputy.email)
    client.force_login(owner)

    response = client.post(reverse("approvals:signoff_resend", args=[draft.pk]), follow=True)

    assert response.status_code == 200  # was a server error: only IllegalTransition was caught
    assert "cannot approve this channel" in response.content.decode()
    assert draft.signoffs.count() == 1


def test_a_handover_to_the_head_of_department_is_refused(owner, deputy, komm):
    channel = activate(ChannelFactory(created_by=owner, deputies=[deputy]), owner=owner, komm=komm)
    prefect = UserFactory(username="petra", email=channel.prefect_email)
    with pytest.raises(ValidationError, match="cannot approve this channel"):
        start(channel, owner, prefect)
    assert not channel.handovers.exists()


def test_the_admin_refuses_the_responsible_person_as_head(client, admin_user, draft, owner):
    client.force_login(admin_user)
    url = reverse("admin:channels_channel_change", args=[draft.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data |= {"prefect_email": owner.email, "deputyships-TOTAL_FORMS": "0"}
    data |= {"deputyships-INITIAL_FORMS": "0", "audit_entries-TOTAL_FORMS": "0"}
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with its error
    assert "cannot also be its applicant" in response.content.decode()
    draft.refresh_from_db()
    assert draft.prefect_email != owner.email


def test_a_reviewer_who_is_one_of_the_channels_people_may_not_decide(owner, komm):
    channel = ChannelFactory(created_by=owner, deputies=[komm])
    channel_submit(channel=channel, submitted_by=owner)
    signoff_approve(signoff=channel.signoffs.get())
    channel.refresh_from_db()
    with pytest.raises(PermissionDenied, match="another reviewer"):
        review_decide(channel=channel, reviewer=komm, decision=KommReview.Decision.APPROVED)
    channel.refresh_from_db()
    assert channel.state == Channel.State.AWAITING_KOMM


def test_komm_sees_when_someone_else_than_the_registered_head_approves(client, komm, owner):
    channel = ChannelFactory(created_by=owner, prefect_other_reason="The head is on leave.")
    channel_submit(channel=channel, submitted_by=owner)
    signoff_approve(signoff=channel.signoffs.get())
    client.force_login(komm)
    page = client.get(reverse("approvals:review", args=[channel.pk])).content.decode()
    assert "Not the unit's registered head." in page
    assert "The head is on leave." in page


def test_a_handovers_link_goes_to_the_units_head_as_komm_keeps_it_today(owner, deputy, komm):
    channel = activate(ChannelFactory(created_by=owner, deputies=[deputy]), owner=owner, komm=komm)
    UnitHead.objects.create(unit=channel.responsible_unit, name="Nora New", email="nora@umu.se")
    handover = start(channel, owner, UserFactory(username="nils", email="nils@umu.se"))
    signoff = handover.signoffs.get()
    assert (signoff.prefect_name, signoff.prefect_email) == ("Nora New", "nora@umu.se")
