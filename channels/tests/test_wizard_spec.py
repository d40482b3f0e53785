"""The wizard is declared once (channels/wizard/spec.py); these fail when a form, the review
sections, the admin or the registry corrections say something else than the spec."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from channels.admin import CHANNEL_BOOKKEEPING, ChannelAdmin
from channels.evaluations.forms import REGISTRY_FIELDSETS, REGISTRY_PREFIX, EvaluationForm
from channels.models import Channel
from channels.services import channel_correct_registry, channel_missing_fields
from channels.templatetags.channel_tags import registration_sections
from channels.testing.factories import ChannelFactory
from channels.wizard import forms
from channels.wizard.spec import (
    REGISTRY_CORRECTABLE_FIELDS,
    REQUIRED_FOR_SUBMISSION,
    WIZARD_STEPS,
    WIZARD_STEPS_BY_SLUG,
)

ASKING_STEPS = [step for step in WIZARD_STEPS if step.fields]
MODEL_FIELDS = {f.name for f in Channel._meta.get_fields()}


def _label(name: str) -> str:
    field: Any = Channel._meta.get_field(name)
    return str(field.verbose_name).capitalize()


def test_the_spec_names_fields_of_the_channel_once_each():
    names = [f.name for step in WIZARD_STEPS for f in step.fields]
    assert set(names) <= MODEL_FIELDS
    assert len(names) == len(set(names))
    assert WIZARD_STEPS[-1].slug == "review" and not WIZARD_STEPS[-1].fields


def test_the_wizard_has_the_spec_steps_each_with_a_form_of_the_spec_fields():
    assert [(s.slug, s.title) for s in forms.STEPS] == [(s.slug, s.title) for s in WIZARD_STEPS]
    for step in forms.STEPS:
        spec = WIZARD_STEPS_BY_SLUG[step.slug]
        if not spec.fields:
            assert step.form_class is None
            continue
        assert list(step.form_class._meta.fields) == list(spec.form_fields), step.slug


@pytest.mark.django_db
def test_every_field_a_step_form_shows_is_in_one_of_its_fieldsets():
    channel = ChannelFactory()
    for step in forms.STEPS:
        if step.form_class is None:
            continue
        kwargs = {"editor": channel.created_by} if step.slug == "people" else {}
        form = step.form_class(instance=channel, **kwargs)
        grouped = [field.name for _legend, fields in form.get_fieldsets() for field in fields]
        assert sorted(grouped) == sorted(form.fields), step.slug


@pytest.mark.django_db
def test_each_required_field_left_empty_is_missing_on_its_own_step():
    assert list(REQUIRED_FOR_SUBMISSION) == [s.slug for s in WIZARD_STEPS if s.required_fields]
    complete = ChannelFactory()
    assert channel_missing_fields(complete) == {}
    for slug, names in REQUIRED_FOR_SUBMISSION.items():
        for name in names:
            channel = Channel.objects.get(pk=complete.pk)
            field = Channel._meta.get_field(name)
            if field.is_relation and not field.null:
                continue  # the platform: a channel cannot be without one
            setattr(channel, field.attname, False if name == "graphic_profile_confirmed" else None)
            missing = channel_missing_fields(channel)
            assert missing.get(slug) == [str(field.verbose_name)], name


@pytest.mark.django_db
def test_the_review_shows_each_step_with_the_spec_fields():
    # Every row shown only once set (bookkeeping, an employee-sender's employee) is set here.
    channel = ChannelFactory(prefect_approved_on="2026-01-15", sender_employee="Eva Forskare")
    sections = registration_sections(channel)
    assert [s["slug"] for s in sections] == [s.slug for s in ASKING_STEPS]
    for section in sections:
        labels = [row["label"] for row in section["rows"]]
        people = ["Responsible person", "Deputies"] if section["slug"] == "people" else []
        shown = WIZARD_STEPS_BY_SLUG[section["slug"]].shown_fields
        assert labels == people + [_label(name) for name in shown], section["slug"]


@pytest.mark.django_db
def test_a_bookkeeping_field_is_shown_only_once_it_is_set():
    labels = [row["label"] for s in registration_sections(ChannelFactory()) for row in s["rows"]]
    assert _label("prefect_approved_on") not in labels


def test_the_admin_has_a_section_per_step_with_the_spec_fields_then_the_bookkeeping():
    registered = admin.site._registry[Channel]  # approvals re-registers it with its inlines
    assert isinstance(registered, ChannelAdmin)
    request = RequestFactory().get("/")
    fieldsets = registered.get_fieldsets(request, obj=Channel())
    *steps, (approval, options) = fieldsets
    assert [(title, list(opts["fields"])) for title, opts in steps] == [
        (step.title, list(step.admin_fields)) for step in ASKING_STEPS
    ]
    assert str(approval) == "Approval"
    bookkeeping = {f.name for step in WIZARD_STEPS for f in step.fields if f.bookkeeping}
    assert bookkeeping <= set(options["fields"]) and bookkeeping <= set(CHANNEL_BOOKKEEPING)


@pytest.mark.django_db
def test_the_evaluation_offers_exactly_the_correctable_fields_grouped_as_the_spec():
    channel = ChannelFactory(state=Channel.State.ACTIVE, address_is_planned=False)
    form = EvaluationForm(channel=channel)
    offered = [
        n.removeprefix(REGISTRY_PREFIX) for n in form.fields if n.startswith(REGISTRY_PREFIX)
    ]
    offered.remove("confirmed")  # the box "the entry is still correct", not a field
    assert offered == list(REGISTRY_CORRECTABLE_FIELDS)
    grouped = [name for _legend, names in REGISTRY_FIELDSETS for name in names]
    assert grouped == list(REGISTRY_CORRECTABLE_FIELDS)
    shown = [f.name for _legend, fields in form.get_registry_fieldsets() for f in fields]
    assert shown == [REGISTRY_PREFIX + name for name in REGISTRY_CORRECTABLE_FIELDS]


@pytest.mark.django_db
def test_a_running_channel_refuses_corrections_of_fields_the_spec_does_not_allow(owner):
    channel = ChannelFactory(state=Channel.State.ACTIVE, address_is_planned=False)
    fixed = {f.name for step in WIZARD_STEPS for f in step.fields} - set(
        REGISTRY_CORRECTABLE_FIELDS
    )
    for name in sorted(fixed):
        with pytest.raises(ValidationError, match="cannot be corrected"):
            channel_correct_registry(channel=channel, edited_by=owner, data={name: None})
