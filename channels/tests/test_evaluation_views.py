"""The evaluation form (channels:evaluate) and the evaluations on the channel's pages."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from approvals.testing.lifecycle import activate
from channels.evaluations.forms import EvaluationForm
from channels.evaluations.services import add_months, evaluation_submit
from channels.models import AuditEntry, Channel, Evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def active_channel(owner, komm, draft):
    return activate(draft, owner=owner, komm=komm)


def url(channel):
    return reverse("channels:evaluate", args=[channel.pk])


def form_data(channel, **overrides):
    """What the browser sends for the untouched form, with the registry confirmed."""
    form = EvaluationForm(channel=channel)
    data = {
        name: ("" if form[name].value() is None else form[name].value())
        for name in form.fields
        if name.startswith("registry_")
    }
    data.update(
        {
            "evaluated_on": timezone.localdate().isoformat(),
            "summary": "Reach and response times compared with the goals.",
            "meets_purpose": "yes",
            "duties_kept": "yes",
            "policy_current": "yes",
            "followers": "1234",
            "posts": "56",
            "response_time_hours": "7",
            "decision": "continue",
            "registry_confirmed": "on",
        }
    )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- who may evaluate --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        (None, 302),  # to the login page
        ("owner", 200),
        ("deputy", 200),
        ("colleague", 404),  # may not see the channel, so learns nothing about it
        ("komm", 403),  # sees every channel, but evaluating is the owner's duty
        ("admin_user", 403),
    ],
)
def test_permission_matrix(request, client, active_channel, persona, status):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    response = client.get(url(active_channel))
    assert response.status_code == status
    if persona is None:
        assert response["Location"].startswith(reverse("login"))
    post = client.post(url(active_channel), form_data(active_channel))
    if status == 200:
        assert post.status_code == 302
        assert active_channel.evaluations.count() == 1
    else:
        assert post.status_code == status
        assert active_channel.evaluations.count() == 0


@pytest.mark.parametrize("persona", ["komm", "admin_user", "colleague"])
def test_others_change_nothing(request, client, active_channel, persona):
    client.force_login(request.getfixturevalue(persona))
    data = form_data(active_channel, registry_confirmed=None, registry_purpose="Hijacked")
    client.post(url(active_channel), data)
    active_channel.refresh_from_db()
    assert active_channel.purpose != "Hijacked"
    assert active_channel.evaluations.count() == 0


def test_a_draft_is_not_evaluated(client, owner, draft):
    client.force_login(owner)
    response = client.get(url(draft), follow=True)
    assert response.redirect_chain[-1][0] == draft.get_absolute_url()
    assert "is not evaluated" in response.text
    client.post(url(draft), form_data(draft))
    assert draft.evaluations.count() == 0


def test_get_needs_no_put(client, owner, active_channel):
    client.force_login(owner)
    assert client.put(url(active_channel)).status_code == 405


# --- the form ----------------------------------------------------------------------------------


def test_form_is_prefilled_and_corrections_are_folded_away(client, owner, active_channel):
    client.force_login(owner)
    page = client.get(url(active_channel)).text
    assert "<h1" in page and page.count("<h1") == 1
    assert active_channel.purpose in page
    assert active_channel.evaluation_method in page  # the plan, to evaluate by
    assert 'id="id_registry_confirmed" checked' in page
    assert "Date of the evaluation" in page
    assert '<details class="registry-corrections">' in page  # closed until needed
    assert 'name="registry_address"' in page  # an active channel's address can be corrected
    assert 'name="registry_responsible"' not in page
    assert "error-summary" not in page


def test_evaluation_saved_next_date_moves_and_history_shows(client, owner, active_channel):
    client.force_login(owner)
    response = client.post(url(active_channel), form_data(active_channel), follow=True)
    assert response.redirect_chain[-1][0] == active_channel.get_absolute_url()
    active_channel.refresh_from_db()
    today = timezone.localdate()
    assert active_channel.next_evaluation_on == add_months(today, 12)
    evaluation = active_channel.evaluations.get()
    assert (evaluation.followers, evaluation.posts, evaluation.response_time_hours) == (1234, 56, 7)
    assert evaluation.meets_purpose is True and evaluation.registry_confirmed is True
    assert evaluation.submitted_by == owner
    page = response.text
    assert "The evaluation is saved." in page
    assert "evaluation-history" in page
    assert "Continue as before" in page
    assert "Followers: 1234" in page
    assert "Anna Ägare" in page
    assert active_channel.audit_entries.filter(action=AuditEntry.Action.EVALUATED).exists()
    assert not active_channel.audit_entries.filter(action="registry_corrected").exists()


def test_the_owner_answers_whether_the_daily_duties_were_kept(client, owner, active_channel):
    """The authority's duties (monitor, answer in time) are asked at every evaluation, stored,
    and shown in the history; the question must be answered."""
    client.force_login(owner)
    data = form_data(active_channel)
    del data["duties_kept"]
    response = client.post(url(active_channel), data)
    assert response.status_code == 400
    assert not active_channel.evaluations.exists()
    response = client.post(
        url(active_channel), form_data(active_channel, duties_kept="no"), follow=True
    )
    assert active_channel.evaluations.get().duties_kept is False
    assert "Not monitored or answered as promised" in response.text


def test_deputy_corrects_the_registry_entry(client, deputy, active_channel):
    client.force_login(deputy)
    data = form_data(
        active_channel,
        registry_confirmed=None,  # unticked: the browser sends nothing
        registry_purpose="Research news for alumni too.",
        registry_address="https://www.instagram.com/umu_new_name",
        decision="change",
    )
    response = client.post(url(active_channel), data, follow=True)
    assert response.status_code == 200
    active_channel.refresh_from_db()
    assert active_channel.purpose == "Research news for alumni too."
    assert active_channel.address == "https://www.instagram.com/umu_new_name"
    entry = active_channel.audit_entries.get(action=AuditEntry.Action.REGISTRY_CORRECTED)
    assert entry.actor == deputy
    assert set(entry.changes) == {"purpose", "address"}  # only what was changed
    assert "Your corrections of the registry entry are in its history." in response.text
    assert "Registry entry corrected" in response.text


def _assert_refused(response, channel, *fragments):
    assert response.status_code == 400
    assert 'class="alert alert-danger error-summary"' in response.text
    for fragment in fragments:
        assert fragment in response.text
    assert channel.evaluations.count() == 0


def test_unticked_without_a_correction_is_refused(client, owner, active_channel):
    client.force_login(owner)
    next_on = active_channel.next_evaluation_on
    response = client.post(url(active_channel), form_data(active_channel, registry_confirmed=None))
    _assert_refused(
        response, active_channel, 'href="#id_registry_confirmed"', "or tick that it is still"
    )
    assert '<details class="registry-corrections" open>' in response.text
    active_channel.refresh_from_db()
    assert active_channel.next_evaluation_on == next_on


def test_ticked_with_a_correction_is_refused(client, owner, active_channel):
    client.force_login(owner)
    data = form_data(active_channel, registry_purpose="Something else")
    response = client.post(url(active_channel), data)
    _assert_refused(response, active_channel, "untick this box to save the corrections")
    active_channel.refresh_from_db()
    assert active_channel.purpose != "Something else"


def test_a_required_entry_field_cannot_be_emptied(client, owner, active_channel):
    client.force_login(owner)
    data = form_data(active_channel, registry_confirmed=None, registry_purpose="")
    response = client.post(url(active_channel), data)
    _assert_refused(response, active_channel, 'href="#id_registry_purpose"')
    active_channel.refresh_from_db()
    assert active_channel.purpose


def test_an_address_off_the_platform_is_refused(client, owner, active_channel):
    client.force_login(owner)
    data = form_data(
        active_channel, registry_confirmed=None, registry_address="https://example.com/umu"
    )
    response = client.post(url(active_channel), data)
    _assert_refused(
        response, active_channel, 'href="#id_registry_address"', "must be on instagram.com"
    )
    active_channel.refresh_from_db()
    assert active_channel.address != "https://example.com/umu"
    assert not active_channel.audit_entries.filter(action="registry_corrected").exists()


def test_future_date_is_refused(client, owner, active_channel):
    client.force_login(owner)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        url(active_channel), form_data(active_channel, evaluated_on=tomorrow.isoformat())
    )
    _assert_refused(
        response, active_channel, 'href="#id_evaluated_on"', "cannot be dated in the future"
    )


def test_required_answers(client, owner, active_channel):
    client.force_login(owner)
    data = form_data(active_channel, summary="", meets_purpose=None, decision=None)
    response = client.post(url(active_channel), data)
    _assert_refused(
        response,
        active_channel,
        'href="#id_summary"',
        'href="#id_meets_purpose_0"',
        'href="#id_decision_0"',
    )


def test_deciding_to_close_points_to_closure(client, owner, active_channel):
    client.force_login(owner)
    response = client.post(
        url(active_channel), form_data(active_channel, decision="close"), follow=True
    )
    assert "start its closure from this page" in response.text
    active_channel.refresh_from_db()
    assert active_channel.state == Channel.State.ACTIVE
    assert active_channel.evaluations.get().decision == Evaluation.Decision.CLOSE


# --- the channel page and "My channels" --------------------------------------------------------


def test_channel_page_shows_status_button_and_history(client, owner, komm, active_channel):
    evaluation_submit(
        channel=active_channel,
        submitted_by=owner,
        evaluated_on=timezone.localdate(),
        summary="Looked at the numbers.",
        meets_purpose=False,
        decision="change",
        registry_confirmed=True,
        posts=12,
    )
    client.force_login(owner)
    page = client.get(active_channel.get_absolute_url()).text
    assert 'id="evaluations-title"' in page
    assert "Next evaluation:" in page
    assert url(active_channel) in page and "Evaluate now" in page
    assert "Continue with changes" in page
    assert "Looked at the numbers." in page
    assert "Posts: 12" in page
    # Komm sees the history but does not evaluate.
    client.force_login(komm)
    page = client.get(active_channel.get_absolute_url()).text
    assert "Looked at the numbers." in page
    assert "Evaluate now" not in page


def test_overdue_is_said_in_words(client, owner, active_channel):
    Channel.objects.filter(pk=active_channel.pk).update(
        next_evaluation_on=datetime.date(2025, 3, 1)
    )
    client.force_login(owner)
    with time_machine.travel(datetime.datetime(2025, 3, 2, 12, tzinfo=datetime.UTC), tick=False):
        detail = client.get(active_channel.get_absolute_url()).text
        mine = client.get(reverse("channels:my_channels")).text
    assert "Evaluation overdue since 2025-03-01." in detail
    # Said once on My channels, and the next thing to do is the evaluation itself.
    assert mine.count("Evaluation overdue since 2025-03-01.") == 1
    assert f'href="{url(active_channel)}">Evaluate now' in mine
    assert "Nothing to do" not in mine
    with time_machine.travel(datetime.datetime(2025, 2, 20, 12, tzinfo=datetime.UTC), tick=False):
        mine = client.get(reverse("channels:my_channels")).text
    assert "Evaluation due by 2025-03-01." in mine


def test_drafts_have_no_evaluation_section(client, owner, draft):
    client.force_login(owner)
    page = client.get(draft.get_absolute_url()).text
    assert 'id="evaluations-title"' not in page
    assert "Next evaluation" not in client.get(reverse("channels:my_channels")).text


def test_every_evaluation_asks_again_whether_the_policy_is_published_and_current(
    client, owner, active_channel
):
    """Unanswered, nothing is saved; the answer is kept and shown in the history."""
    client.force_login(owner)
    page = client.get(url(active_channel)).content.decode()
    assert 'name="policy_current"' in page
    data = form_data(active_channel)
    del data["policy_current"]
    assert client.post(url(active_channel), data).status_code == 400
    assert not active_channel.evaluations.exists()
    response = client.post(
        url(active_channel), form_data(active_channel, policy_current="no"), follow=True
    )
    assert active_channel.evaluations.get().policy_current is False
    assert "Policy not published or not current" in response.text
