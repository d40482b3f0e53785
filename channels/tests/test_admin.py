"""The admin that Komm's staff use to keep the registry: every page loads, the records written
only by services stay read-only, and states change only through the portal."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from approvals.models import KommReview, PrefectSignoff
from approvals.review.services import review_decide
from approvals.signoff.services import channel_submit, signoff_approve
from approvals.testing.factories import SuspectedAccountReportFactory
from channels.models import AuditEntry, Channel, Platform, Unit
from channels.testing.factories import ChannelFactory, UnitFactory
from core.models import OutgoingEmail
from core.testing.factories import UserFactory


@pytest.fixture
def approved(draft, owner, komm):
    """A channel that went the whole way through the real services: every related record exists."""
    channel_submit(channel=draft, submitted_by=owner)
    signoff_approve(signoff=draft.signoffs.get(decision=PrefectSignoff.Decision.PENDING))
    draft.refresh_from_db()
    review_decide(channel=draft, reviewer=komm, decision="approved", case_number="UmU 1-2026")
    draft.refresh_from_db()
    return draft


@pytest.fixture
def registry(approved, owner):
    """One object of every model the admin shows."""
    faculty = UnitFactory(name="Teknisk-naturvetenskaplig fakultet", kind=Unit.Kind.FACULTY)
    UnitFactory(name="Institutionen för fysik", parent=faculty)
    owner.language, owner.phone = "en", "090-1"
    owner.save()
    SuspectedAccountReportFactory(address="https://x.com/umu_fake")
    assert OutgoingEmail.objects.exists()
    return approved


def admin_url(model, view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


OUR_MODELS = [
    model
    for model in admin.site._registry
    if model._meta.app_label in {"core", "channels", "approvals"}
]


def test_every_model_of_the_portal_is_in_the_admin():
    assert {m.__name__ for m in OUR_MODELS} == {
        "Platform",
        "Unit",
        "Channel",
        "AuditEntry",
        "PrefectSignoff",
        "KommReview",
        "SuspectedAccountReport",
        "OutgoingEmail",
        "User",
        "PolicyTemplate",
        "KommResource",
    }


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m.__name__)
def test_changelist_and_change_page_load(client, admin_user, registry, model):
    client.force_login(admin_user)
    assert client.get(admin_url(model, "changelist")).status_code == 200
    assert client.get(admin_url(model, "changelist"), {"q": "umu"}).status_code == 200
    obj = model.objects.order_by("pk").first()
    assert obj is not None, f"no {model.__name__} to show"
    response = client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "model", [Platform, Unit, Channel, get_user_model()], ids=lambda m: m.__name__
)
def test_add_page_loads(client, admin_user, model):
    client.force_login(admin_user)
    assert client.get(admin_url(model, "add")).status_code == 200


def test_the_admin_has_the_portals_titles(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("admin:index")).content.decode()
    assert "umusocial administration" in page


def test_changelist_filters_load(client, admin_user, registry):
    client.force_login(admin_user)
    for model, params in [
        (Channel, {"state": "approved"}),
        (Channel, {"platform__id__exact": registry.platform_id}),
        (Channel, {"responsible_unit__id__exact": registry.responsible_unit_id}),
        (Channel, {"q": registry.responsible.email}),
        (AuditEntry, {"action": "komm_approved"}),
        (Unit, {"kind": "faculty"}),
        (OutgoingEmail, {"sent": "no"}),
        (OutgoingEmail, {"sent": "yes"}),
    ]:
        response = client.get(admin_url(model, "changelist"), params)
        assert response.status_code == 200, (model, params)
    response = client.get(admin_url(Channel, "changelist"), {"state": "draft"})
    assert registry.name not in response.content.decode()
    response = client.get(admin_url(Channel, "changelist"), {"q": registry.responsible.email})
    assert registry.name in response.content.decode()


def test_channel_object_permissions_page_shows_the_owner(client, admin_user, registry, owner):
    client.force_login(admin_user)
    response = client.get(admin_url(Channel, "permissions", registry.pk))
    assert response.status_code == 200
    assert owner.username in response.content.decode()


def test_channel_page_shows_the_inlines_read_only(client, admin_user, registry):
    client.force_login(admin_user)
    page = client.get(admin_url(Channel, "change", registry.pk)).content.decode()
    assert "Petra Prefekt" in page  # the sign-off inline
    assert "UmU 1-2026" in page  # the review inline / case number
    assert "Approved by Komm" in page  # the audit inline
    assert 'name="auditentry_set-0-reason"' not in page
    assert 'name="signoffs-0-decision"' not in page
    assert 'name="reviews-0-comment"' not in page
    assert "token_hash" not in page


# --- Read-only records -------------------------------------------------------------------------


@pytest.mark.parametrize("model", [AuditEntry, PrefectSignoff, KommReview, OutgoingEmail])
def test_service_records_cannot_be_added_changed_or_deleted(client, admin_user, registry, model):
    client.force_login(admin_user)
    obj = model.objects.order_by("pk").first()
    before = model.objects.count()
    assert client.get(admin_url(model, "add")).status_code == 403
    assert client.get(admin_url(model, "delete", obj.pk)).status_code == 403
    assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    response = client.post(admin_url(model, "change", obj.pk), {"reason": "rewritten"})
    assert response.status_code == 403
    # No bulk delete either.
    changelist = client.get(admin_url(model, "changelist"))
    assert "delete_selected" not in changelist.content.decode()
    client.post(
        admin_url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )
    assert model.objects.count() == before


def test_audit_entry_change_page_has_no_inputs(client, admin_user, registry):
    client.force_login(admin_user)
    entry = AuditEntry.objects.filter(channel=registry).last()
    page = client.get(admin_url(AuditEntry, "change", entry.pk)).content.decode()
    assert 'name="reason"' not in page
    assert 'name="_save"' not in page


# --- Channels: state only through services ------------------------------------------------------


def form_data(response) -> dict:
    """The POST data of an admin change form as the page holds it (main form and inlines)."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            if isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
                continue
            data[form.add_prefix(name)] = value
    return data


def save_channel(client, channel, **changes):
    """Komm's admin saves the channel's change form as it loads, with `changes`."""
    url = admin_url(Channel, "change", channel.pk)
    data = form_data(client.get(url))
    data.update(changes, _save="Save")
    return client.post(url, data)


def test_state_is_read_only_in_the_admin(client, admin_user, registry):
    client.force_login(admin_user)
    url = admin_url(Channel, "change", registry.pk)
    response = client.get(url)
    page = response.content.decode()
    assert 'name="state"' not in page
    assert "state" not in response.context["adminform"].form.fields
    data = form_data(response)
    data.update(state=Channel.State.REJECTED, _save="Save")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    registry.refresh_from_db()
    assert registry.state == Channel.State.APPROVED


def test_an_admin_edit_of_a_submitted_channel_is_audited(client, admin_user, registry, owner):
    client.force_login(admin_user)
    assert save_channel(client, registry, case_number="UmU 9-2026").status_code == 302
    registry.refresh_from_db()
    assert registry.case_number == "UmU 9-2026"
    entry = registry.audit_entries.last()
    assert entry.action == AuditEntry.Action.EDITED
    assert entry.actor == admin_user
    assert list(entry.changes.values()) == [["UmU 1-2026", "UmU 9-2026"]]
    # The owner keeps the object permissions that follow the people.
    assert owner.has_perm("channels.change_channel", registry)


def test_a_channel_added_in_the_admin_is_a_draft_with_history_and_permissions(
    client, admin_user, owner, deputy
):
    client.force_login(admin_user)
    url = admin_url(Channel, "add")
    data = form_data(client.get(url))
    unit = UnitFactory()
    data.update(
        {
            "created_by": owner.pk,
            "name": "Added by Komm",
            "platform": Platform.objects.get(slug="instagram").pk,
            "address": "https://www.instagram.com/added_by_komm",
            "sender_unit": unit.pk,
            "responsible_unit": unit.pk,
            "responsible": owner.pk,
            "deputyships-TOTAL_FORMS": "1",
            "deputyships-0-user": deputy.pk,
            "_save": "Save",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    channel = Channel.objects.get(name="Added by Komm")
    assert channel.state == Channel.State.DRAFT
    assert channel.created_by == owner
    assert [e.action for e in channel.audit_entries.all()] == [AuditEntry.Action.CREATED]
    assert owner.has_perm("channels.change_channel", channel)
    assert deputy.has_perm("channels.view_channel", channel)


def test_komm_staff_see_channels_but_cannot_change_them(client, registry):
    reviewer = UserFactory(is_staff=True)
    reviewer.groups.add(Group.objects.get(name="Komm"))
    client.force_login(reviewer)
    assert client.get(admin_url(Channel, "changelist")).status_code == 200
    page = client.get(admin_url(Channel, "change", registry.pk)).content.decode()
    assert 'name="name"' not in page
    assert client.get(admin_url(Platform, "changelist")).status_code == 200
    assert client.get(admin_url(AuditEntry, "changelist")).status_code == 200


def test_platform_position_and_active_are_editable_in_the_list(client, admin_user):
    client.force_login(admin_user)
    page = client.get(admin_url(Platform, "changelist")).content.decode()
    assert 'name="form-0-position"' in page
    assert 'name="form-0-is_active"' in page


# --- The outbox --------------------------------------------------------------------------------


def test_send_again_now_sends_unsent_emails_only(
    client, admin_user, registry, django_capture_on_commit_callbacks
):
    OutgoingEmail.objects.update(sent_at=None)
    unsent = OutgoingEmail.objects.order_by("pk").first()
    sent = OutgoingEmail.objects.order_by("pk").last()
    assert unsent != sent
    OutgoingEmail.objects.filter(pk=sent.pk).update(sent_at="2026-01-01T00:00:00Z")
    client.force_login(admin_user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            admin_url(OutgoingEmail, "changelist"),
            {"action": "send_again", "_selected_action": [unsent.pk, sent.pk]},
            follow=True,
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 e-mail was queued to be sent again." in page
    assert "1 e-mail had already been sent and was left alone." in page
    unsent.refresh_from_db()
    assert unsent.sent_at is not None
    assert [m.subject for m in mail.outbox] == [unsent.subject]


def test_the_admin_refuses_a_duplicate_typed_another_way(client, admin_user, registry, owner):
    client.force_login(admin_user)
    url = admin_url(Channel, "add")
    data = form_data(client.get(url))
    unit = UnitFactory()
    typed = registry.address.upper().replace("https://www.", "http://m.") + "/?utm=x"
    data.update(
        {
            "created_by": owner.pk,
            "name": "Twin",
            "platform": registry.platform_id,
            "address": typed,
            "sender_unit": unit.pk,
            "responsible_unit": unit.pk,
            "responsible": owner.pk,
            "_save": "Save",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "already registered" in str(response.context["adminform"].form.errors["address"])
    assert not Channel.objects.filter(name="Twin").exists()


@pytest.mark.parametrize(
    ("field", "message"),
    [
        # Sign-off links (a new one, a handover's) go to this address.
        ("prefect_email", "head of department"),
        # The database refuses a submitted channel without one (channel_submitted_has_responsible):
        # the admin's save was a server error.
        ("responsible", "responsible person"),
    ],
)
def test_the_admin_keeps_what_a_submitted_channel_needs(
    client, admin_user, registry, field, message
):
    client.force_login(admin_user)

    response = save_channel(client, registry, **{field: ""})

    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors[field])
    registry.refresh_from_db()
    assert getattr(registry, field if field != "responsible" else "responsible_id")


def test_a_draft_may_wait_for_its_head_of_departments_address(client, admin_user, owner):
    draft = ChannelFactory(created_by=owner, responsible=owner)
    client.force_login(admin_user)

    assert save_channel(client, draft, prefect_email="").status_code == 302
    draft.refresh_from_db()
    assert draft.prefect_email == ""
