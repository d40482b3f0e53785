"""What every step form shares: the answers the submission needs are marked on every step (not
only where the form itself requires them), a missing answer's error names it, and the review
step's headings name their section only."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from channels.models import Channel
from channels.services import REQUIRED_FOR_SUBMISSION, channel_sync_permissions
from channels.testing.factories import ChannelFactory
from channels.wizard import forms

pytestmark = pytest.mark.django_db


def step_form(slug: str, data: dict | None = None):
    step = forms.STEPS_BY_SLUG[slug]
    assert step.form_class is not None
    return step.form_class(data, instance=Channel())


@pytest.mark.parametrize("slug", list(REQUIRED_FOR_SUBMISSION))
def test_every_answer_the_submission_needs_is_marked_on_its_step(client, owner, slug):
    channel = ChannelFactory(created_by=owner)
    channel_sync_permissions(channel=channel)
    client.force_login(owner)
    page = client.get(reverse("channels:step", args=[channel.pk, slug])).content.decode()

    # aria-required, or for a group of radio buttons `required` on each (crispy marks its legend).
    marked = set(re.findall(r'name="(\w+)"[^>]*(?:aria-required="true"|\srequired[\s>])', page))
    marked |= set(re.findall(r'aria-required="true"[^>]*name="(\w+)"', page))
    in_form = set(REQUIRED_FOR_SUBMISSION[slug]) & set(step_form(slug).fields)
    assert in_form, f"the step {slug} asks for none of its required answers"
    assert in_form <= marked, f"not marked on {slug}: {sorted(in_form - marked)}"
    assert "Fields marked with * must be filled in before you can submit." in page


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_a_missing_answer_is_named_in_its_error(lang):
    with translation.override(lang):
        form = step_form("platform", {})
        assert not form.is_valid()
        name_label, platform_label = form.fields["name"].label, form.fields["platform"].label
        expected = {
            "en": (f"Fill in “{name_label}”.", f"Choose an answer to “{platform_label}”."),
            "sv": (f"Fyll i ”{name_label}”.", f"Välj ett svar på ”{platform_label}”."),
        }[lang]
        assert (form.errors["name"], form.errors["platform"]) == ([expected[0]], [expected[1]])


def test_the_review_steps_headings_are_the_sections_alone(client, owner, draft):
    client.force_login(owner)
    page = client.get(reverse("channels:step", args=[draft.pk, "review"])).content.decode()

    headings = re.findall(r'<h3 class="h5 mb-2" id="reg-(\w+)">([^<]*)</h3>', page)
    titles = {step.slug: str(step.title) for step in forms.STEPS}
    assert headings and all(text == titles[slug] for slug, text in headings)
    platform = titles["platform"].lower()
    assert f'Change<span class="visually-hidden"> {platform}</span></a>' in page


@pytest.mark.parametrize(("lang", "choose"), [("en", "Choose …"), ("sv", "Välj …")])
def test_a_selects_empty_choice_says_choose(client, owner, draft, lang, choose):
    client.force_login(owner)
    url = reverse("channels:step", args=[draft.pk, "organisation"])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert f'<option value="">{choose}</option>' in page
    assert "---------" not in page
