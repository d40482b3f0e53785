"""The seed_demo command: every state present, idempotent, and never with DEBUG off."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from approvals.audit import Event
from approvals.models import Closure, Handover, PrefectSignoff
from channels.models import AuditEntry, Channel, Unit
from core.models import OutgoingEmail
from core.testing.outbox import delivered

User = get_user_model()


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


@pytest.mark.django_db
def test_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.filter(username="anna").exists()
    assert not Channel.objects.exists()


@pytest.mark.django_db
def test_creates_users_units_and_a_channel_in_every_state(debug):
    output = seed()

    assert set(Channel.objects.values_list("state", flat=True)) == set(Channel.State.values)
    anna = User.objects.get(username="anna")
    assert anna.email == "anna@umu.se"
    assert anna.check_password("umusocial-demo")
    assert User.objects.get(username="karin").groups.filter(name="Komm").exists()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert not anna.is_staff
    # The unit tree, with English names.
    physics = Unit.objects.get(name="Institutionen för fysik")
    assert physics.parent.name == "Teknisk-naturvetenskaplig fakultet"
    assert physics.name_en == "Department of Physics"
    assert Unit.objects.get(name="Kommunikationsenheten").kind == Unit.Kind.CENTRAL_OFFICE
    assert Unit.objects.get(name="Umeå centrum för genusstudier").kind == Unit.Kind.CENTRE
    # Passwords and where to find the prefect's e-mail are printed.
    assert "umusocial-demo" in output
    assert "karin@umu.se" in output
    assert "/dev/mail/" in output


@pytest.mark.django_db
def test_channels_went_through_the_real_services(debug):
    seed()

    active = Channel.objects.get(state=Channel.State.ACTIVE, name="Humanistisk fakultet")
    actions = list(active.audit_entries.values_list("action", flat=True))
    for action in (
        AuditEntry.Action.CREATED,
        Event.SUBMITTED,
        Event.PREFECT_APPROVED,
        Event.KOMM_APPROVED,
        AuditEntry.Action.OPENED,
    ):
        assert action in actions
    assert active.address_is_planned is False
    assert active.deputies.filter(username="david").exists()
    waiting = Channel.objects.get(state=Channel.State.AWAITING_PREFECT)
    assert waiting.signoffs.filter(decision=PrefectSignoff.Decision.PENDING).count() == 1
    declined = Channel.objects.get(state=Channel.State.PREFECT_DECLINED)
    assert declined.audit_entries.get(action=Event.PREFECT_DECLINED).reason
    # The e-mails a real journey sends are in the outbox, including the prefect's link.
    prefect_mail = OutgoingEmail.objects.get(
        template="signoff-request", to=[waiting.prefect_email], body_text__contains=waiting.name
    )
    assert "/approvals/signoff/" not in prefect_mail.body_text  # kept only until delivery
    assert "/approvals/signoff/" in delivered(prefect_mail).body


@pytest.mark.django_db
def test_the_life_of_a_registered_channel_has_something_to_show(debug):
    """Issue 3: an overdue evaluation, a pending handover, a deactivated owner whose channel is
    flagged, a closure in progress and a closed channel, all through the real services."""
    output = seed()
    today = timezone.localdate()

    overdue = Channel.objects.get(state__in=Channel.RUNNING_STATES, next_evaluation_on__lt=today)
    assert overdue.name == "Språkcaféet"

    handover = Handover.objects.get(state__in=Handover.OPEN_STATES)
    assert handover.state == Handover.State.AWAITING_PREFECT
    assert handover.new_responsible.username == "erik"
    assert handover.signoffs.filter(decision=PrefectSignoff.Decision.PENDING).count() == 1

    lars = User.objects.get(username="lars")
    assert not lars.is_active
    flagged = Channel.objects.get(needs_handover_since__isnull=False)
    assert flagged.responsible == lars
    assert flagged.state == Channel.State.ACTIVE
    assert flagged.audit_entries.filter(action=Event.FLAGGED_FOR_HANDOVER).exists()

    closing = Channel.objects.get(state=Channel.State.CLOSING)
    in_progress = closing.closures.get(state=Closure.State.IN_PROGRESS)
    assert in_progress.followers_told_at and not in_progress.final_archive_taken_at
    closed = Channel.objects.get(state=Channel.State.CLOSED)
    assert closed.closed_at
    confirmed = closed.closures.get(state=Closure.State.CONFIRMED)
    assert confirmed.confirmed_by.username == "karin"
    assert confirmed.archive_location
    assert closed.audit_entries.filter(action=Event.CLOSURE_CONFIRMED).exists()
    # Komm heard that the closure was ready, and that a channel was flagged.
    assert OutgoingEmail.objects.filter(template="closure-ready").count() == 1
    assert "erik" in output and "lars" in output


@pytest.mark.django_db
def test_running_twice_creates_nothing_new(debug):
    seed()
    counts = (
        User.objects.count(),
        Unit.objects.count(),
        Channel.objects.count(),
        AuditEntry.objects.count(),
        OutgoingEmail.objects.count(),
        Handover.objects.count(),
        Closure.objects.count(),
        list(Channel.objects.order_by("pk").values_list("state", "needs_handover_since")),
    )

    output = seed()

    assert (
        User.objects.count(),
        Unit.objects.count(),
        Channel.objects.count(),
        AuditEntry.objects.count(),
        OutgoingEmail.objects.count(),
        Handover.objects.count(),
        Closure.objects.count(),
        list(Channel.objects.order_by("pk").values_list("state", "needs_handover_since")),
    ) == counts
    assert "nothing new" in output


@pytest.mark.django_db
def test_the_moderation_log_has_every_kind_a_lifted_blocking_and_a_correction(debug):
    from approvals.models import ModerationEntry
    from approvals.moderation.selectors import active_blockings

    seed()

    entries = ModerationEntry.objects.all()
    assert set(entries.values_list("kind", flat=True)) == set(ModerationEntry.Kind.values)
    lifting = entries.get(kind=ModerationEntry.Kind.LIFTING)
    channel = lifting.channel
    assert [e.handle for e in active_blockings(channel)] == ["@hatkonto"]
    correction = entries.get(corrects__isnull=False)
    assert correction.correction_reason
    assert entries.filter(attachments__isnull=False).exists()
    seed()  # idempotent
    assert ModerationEntry.objects.count() == entries.count()


@pytest.mark.django_db
def test_the_public_registry_knows_the_demos_running_and_closed_channels(debug, client):
    """The issue's "done when": without logging in, the directory lists the demo's running
    channels and verify says official or closed whatever form the address is typed in."""
    seed()
    directory = client.get("/directory/").content.decode()
    assert "Fysik på LinkedIn" in directory and "Humanistdagen" in directory
    official = client.get("/verify/", {"url": "linkedin.com/company/UMU-Fysik/"})
    assert official.context["verdict"].kind == "official"
    closed = client.get("/verify/", {"url": "https://twitter.com/umu_humanistdagen"})
    assert closed.context["verdict"].kind == "closed"


@pytest.mark.django_db
def test_the_sample_spreadsheet_imports_cleanly_into_the_demo_once(debug):
    """docs/registry-import-sample.csv is what Komm tries first in `make run`: every row imports
    (one matches a demo channel written another way), and a second import changes nothing."""
    from django.conf import settings

    seed()
    sample = settings.BASE_DIR / "docs" / "registry-import-sample.csv"
    out = StringIO()
    call_command("import_registry", str(sample), "--commit", "--user", "karin", stdout=out)
    # Språkcaféet is already registered: unchanged.
    assert "4 create, 0 update, 1 unchanged, 0 error" in out.getvalue()
    imported = AuditEntry.objects.filter(action=AuditEntry.Action.IMPORTED).count()
    assert imported == 4
    out = StringIO()
    call_command("import_registry", str(sample), "--commit", "--user", "karin", stdout=out)
    assert "0 create, 0 update, 5 unchanged, 0 error" in out.getvalue()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORTED).count() == imported


@pytest.mark.django_db
def test_seeds_a_report_of_a_suspected_account_in_each_state(debug):
    from approvals.models import SuspectedAccountReport

    seed()
    seed()  # again: nothing new
    states = list(SuspectedAccountReport.objects.values_list("state", flat=True))
    assert sorted(states) == sorted(SuspectedAccountReport.State.values)


@pytest.mark.django_db
def test_campaign_notices_and_ad_orders_in_every_state(debug):
    from approvals.models import AdOrder, CampaignNotice

    seed()
    seed()  # idempotent: the second run adds none

    assert set(AdOrder.objects.values_list("state", flat=True)) == set(AdOrder.State.values)
    notice_states = set(CampaignNotice.objects.values_list("state", flat=True))
    assert notice_states == set(CampaignNotice.State.values)
    assert AdOrder.objects.filter(attachments__isnull=False).count() == AdOrder.objects.count()


@pytest.mark.django_db
def test_running_channels_publish_their_policy_but_one_so_the_reminder_shows(debug):
    from approvals.reminders.jobs import SELECTORS
    from channels.policy.models import ChannelPolicyPublication
    from umusocial.demo_data import POLICY_MISSING

    seed()
    seed()  # idempotent: the second run records none

    running = Channel.objects.filter(state__in=Channel.RUNNING_STATES)
    missing = running.filter(policy_publication__isnull=True)
    assert [channel.name for channel in missing] == [POLICY_MISSING]
    assert ChannelPolicyPublication.objects.count() == running.count() - 1
    due = SELECTORS["policy-unpublished"](timezone.now())
    assert {reminder.context["channel"].name for reminder in due} == {POLICY_MISSING}
    [digest] = SELECTORS["komm-digest"](timezone.now())
    assert [channel.name for channel in digest.context["policy_missing"]] == [POLICY_MISSING]
