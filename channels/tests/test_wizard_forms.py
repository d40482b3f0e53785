"""The wizard's step forms and the form to mark a channel opened."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import time_machine
from django.utils import translation

from channels.forms import OpenForm
from channels.models import Channel
from channels.services import REQUIRED_FOR_SUBMISSION
from channels.testing.factories import ChannelFactory, UnitFactory, platform
from channels.wizard import forms
from core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_steps_follow_the_services_required_fields_then_review():
    assert [s.slug for s in forms.STEPS] == [*REQUIRED_FOR_SUBMISSION, "review"]
    assert forms.STEPS[-1].form_class is None


def test_step_forms_cover_every_required_field():
    covered = {
        name for step in forms.STEPS if step.form_class for name in step.form_class.base_fields
    }
    covered |= set(forms.PeopleStepForm._meta.fields) | {"responsible"}  # named by e-mail
    required = {name for names in REQUIRED_FOR_SUBMISSION.values() for name in names}
    assert required <= covered | {"responsible"}
    assert "responsible_email" in forms.PeopleStepForm.base_fields


def test_forms_module_says_why_not_formtools():
    opening = " ".join(Path(forms.__file__).read_text().splitlines()[:2])
    assert opening.startswith("# We deliberately do not use django-formtools")
    assert "drafts must live in the database" in opening


def _platform_form(instance=None, **overrides):
    data = {
        "platform": platform("linkedin").pk,
        "name": "Physics on LinkedIn",
        "address": "https://www.linkedin.com/company/umu-physics",
        "language": "en",
    }
    data.update(overrides)
    return forms.PlatformStepForm(data, instance=instance or Channel())


def test_platform_form_accepts_a_subdomain_of_the_platform():
    assert _platform_form().is_valid()


def test_platform_form_adds_https_to_a_bare_address():
    form = _platform_form(address="linkedin.com/company/umu-physics")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["address"] == "https://linkedin.com/company/umu-physics"


def test_platform_form_refuses_other_domains():
    form = _platform_form(address="https://notlinkedin.com/x")
    assert not form.is_valid()
    assert form.errors["address"] == ["Addresses on LinkedIn are on linkedin.com."]


def test_platform_form_refuses_a_platform_komm_runs_and_says_what_to_do():
    youtube = platform("youtube")
    form = _platform_form(platform=youtube.pk, address="https://www.youtube.com/@umu")
    assert not form.is_valid()
    assert form.errors["platform"] == [
        "Komm runs the university's accounts on YouTube, so no other channel is registered "
        "there: send your content to Komm (komm@umu.se) instead."
    ]
    labels = dict(form.fields["platform"].choices)
    assert "YouTube (managed by Komm: send your content to Komm instead)" in labels.values()
    assert "LinkedIn" in labels.values()


def test_platform_form_offers_only_active_platforms():
    vimeo = platform("vimeo")
    vimeo.is_active = False
    vimeo.save()
    form = _platform_form(platform=vimeo.pk, address="https://vimeo.com/umu")
    assert not form.is_valid()
    assert "platform" in form.errors


def test_platform_form_refuses_a_pending_duplicate_but_not_itself(owner):
    existing = ChannelFactory(
        created_by=owner,
        name="Fysik",
        platform=platform("linkedin"),
        address="https://www.linkedin.com/company/umu-physics",
        state=Channel.State.AWAITING_KOMM,
    )
    form = _platform_form()
    assert not form.is_valid()
    assert "“Fysik” (Awaiting Komm)" in form.errors["address"][0]
    assert _platform_form(instance=Channel.objects.get(pk=existing.pk)).is_valid()


def test_platform_form_refuses_a_duplicate_typed_another_way(owner):
    ChannelFactory(
        created_by=owner,
        name="Fysik",
        platform=platform("linkedin"),
        address="https://www.linkedin.com/company/umu-physics",
        state=Channel.State.ACTIVE,
        address_is_planned=False,
    )
    form = _platform_form(address="http://m.linkedin.com/school/UMU-Physics/about/?trk=x")
    assert not form.is_valid()
    assert "“Fysik” (Active)" in form.errors["address"][0]


def _org_form(**overrides):
    unit = UnitFactory()
    data = {
        "sender": "unit",
        "sender_unit": unit.pk,
        "responsible_unit": unit.pk,
        "operations_area": "Research",
        "prefect_name": "Petra",
        "prefect_title": "Head",
        "prefect_email": "petra@umu.se",
    }
    data.update(overrides)
    return forms.OrganisationStepForm(data, instance=ChannelFactory())


def test_organisation_form_valid():
    assert _org_form().is_valid()


def test_organisation_form_needs_a_staff_email_for_the_prefect():
    form = _org_form(prefect_email="petra@example.com")
    assert not form.is_valid()
    assert form.errors["prefect_email"] == ["Use a university e-mail address (ending in @umu.se)."]


def test_organisation_form_needs_a_unit_for_a_unit_sender():
    form = _org_form(sender_unit="")
    assert not form.is_valid()
    assert form.errors["sender_unit"] == ["Choose the unit the university speaks through."]
    assert _org_form(sender="university", sender_unit="").is_valid()


def test_an_employee_sender_names_the_employee():
    form = _org_form(sender="employee", sender_unit="", sender_employee=" ")
    assert not form.is_valid()
    assert form.errors["sender_employee"] == [
        "Name the employee the university speaks through, or give their e-mail."
    ]
    form = _org_form(sender="employee", sender_unit="", sender_employee="Eva Forskare")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["sender_employee"] == "Eva Forskare"


def test_another_sender_keeps_no_employee():
    form = _org_form(sender="unit", sender_employee="Eva Forskare")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["sender_employee"] == ""


def _people_form(editor, channel, **overrides):
    data = {
        "responsible_email": "anna@umu.se",
        "responsible_phone": "1",
        "deputy_1_email": "david@umu.se",
        "deputy_1_phone": "2",
        "resources": "Time",
        "update_frequency": "weekly",
    }
    data.update(overrides)
    return forms.PeopleStepForm(data, instance=channel, editor=editor)


def test_people_form_resolves_users_case_insensitively(owner, deputy, draft):
    form = _people_form(owner, draft, deputy_1_email="David@UMU.se")
    assert form.is_valid(), form.errors
    assert form.responsible_user == owner
    assert form.deputy_list == [(deputy, "2")]


def test_people_form_takes_up_to_three_deputies(owner, deputy, colleague, draft):
    third = UserFactory(username="tove")
    form = _people_form(
        owner,
        draft,
        deputy_2_email="cecilia@umu.se",
        deputy_2_phone="3",
        deputy_3_email=third.email,
        deputy_3_phone="4",
    )
    assert form.is_valid(), form.errors
    assert [u for u, _p in form.deputy_list] == [deputy, colleague, third]


def test_people_form_refuses_deactivated_people(owner, deputy, draft):
    deputy.is_active = False
    deputy.save()
    form = _people_form(owner, draft)
    assert not form.is_valid()
    assert "account is deactivated" in form.errors["deputy_1_email"][0]


def test_people_form_phone_without_email(owner, deputy, draft):
    form = _people_form(owner, draft, deputy_2_phone="5")
    assert not form.is_valid()
    assert form.errors["deputy_2_email"] == ["Give the e-mail of the deputy with this phone."]


def test_people_form_editor_must_stay_among_the_people(owner, deputy, colleague, draft):
    form = _people_form(colleague, draft)
    assert not form.is_valid()
    assert "Name yourself" in form.non_field_errors()[0]


def test_people_form_initial_values_from_the_channel(owner, deputy, draft):
    form = forms.PeopleStepForm(instance=draft, editor=owner)
    assert form.initial["responsible_email"] == "anna@umu.se"
    assert form.initial["deputy_1_email"] == "david@umu.se"
    assert form.initial["deputy_1_phone"] == "090-786 00 00"


@time_machine.travel(datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.timezone.utc), tick=False)
@pytest.mark.parametrize(
    ("first", "valid"), [("2026-03-09", False), ("2026-03-10", False), ("2026-03-11", True)]
)
def test_evaluation_first_date_must_be_in_the_future(first, valid):
    data = {
        "evaluation_method": "Reach",
        "evaluation_interval_months": "6",
        "evaluation_first_date": first,
        "handover_routine": "Mailbox",
    }
    form = forms.EvaluationStepForm(data, instance=ChannelFactory())
    assert form.is_valid() is valid
    if not valid:
        assert form.errors["evaluation_first_date"] == [
            "The first evaluation must be a date in the future."
        ]


def test_routines_response_time_must_be_positive():
    data = {"monitoring_who": "x", "response_time_hours": "0"}
    form = forms.RoutinesStepForm(data, instance=ChannelFactory())
    assert not form.is_valid()
    assert "response_time_hours" in form.errors


def test_partial_steps_are_valid_so_they_can_be_saved_for_later():
    assert forms.PurposeStepForm({"purpose": "Only this"}, instance=ChannelFactory()).is_valid()


def test_open_form_requires_the_address_only_when_planned():
    planned = ChannelFactory(address_is_planned=True)
    form = OpenForm({}, channel=planned)
    assert not form.is_valid()
    assert "address" in form.errors
    assert OpenForm(channel=planned).initial["address"] == planned.address
    live = ChannelFactory(address_is_planned=False)
    form = OpenForm({}, channel=live)
    assert form.is_valid()
    assert "address" not in form.fields


def test_channel_data_is_the_steps_model_fields_only(owner, deputy, draft):
    form = _people_form(owner, draft)
    assert form.is_valid()
    assert set(form.channel_data()) == {"responsible_phone", "resources", "update_frequency"}


def test_evaluation_interval_must_be_positive():
    data = {"evaluation_interval_months": "0"}
    form = forms.EvaluationStepForm(data, instance=ChannelFactory())
    assert not form.is_valid()
    assert "evaluation_interval_months" in form.errors
