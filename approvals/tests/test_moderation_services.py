"""The moderation log's services: who may record, what each kind needs, the blocking list.
Bad input changes nothing and says what is wrong."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from approvals.models import ModerationAttachment, ModerationEntry
from approvals.moderation.selectors import active_blockings, counts_per_ground
from approvals.moderation.services import EntryDetails, moderation_record
from approvals.testing import moderation as uploads
from core.models import OutgoingEmail

pytestmark = pytest.mark.django_db

Kind = ModerationEntry.Kind
Ground = ModerationEntry.Ground


def ago(**delta) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**delta)


def removal(**overrides) -> EntryDetails:
    values = {"what": "Hot mot en lärare.", "handle": "@x", "ground": Ground.THREAT}
    return EntryDetails(**{**values, **overrides})


def block(channel, user, *, handle="@troll", until=None, when=None) -> ModerationEntry:
    return moderation_record(
        channel=channel,
        recorded_by=user,
        kind=Kind.BLOCKING,
        happened_at=when or ago(days=2),
        details=EntryDetails(handle=handle, ground=Ground.AGITATION, blocked_until=until),
    )


@pytest.mark.parametrize("persona", ["owner", "deputy", "komm"])
def test_the_channels_people_and_komm_record(request, active, persona):
    user = request.getfixturevalue(persona)

    entry = moderation_record(
        channel=active,
        recorded_by=user,
        kind=Kind.REMOVAL,
        happened_at=ago(hours=2),
        details=removal(),
        files=[uploads.screenshot()],
    )

    entry.refresh_from_db()
    assert entry.recorded_by == user
    assert entry.recorded_at is not None
    attachment = entry.attachments.get()
    assert attachment.name == "skarmbild.png"
    assert attachment.content_type == "image/png"
    assert "skarmbild" not in attachment.file.name  # a random name on disk
    with attachment.file.open("rb") as stored:
        assert stored.read().startswith(b"\x89PNG")


def test_another_member_of_staff_may_not_record(active, colleague):
    with pytest.raises(PermissionDenied):
        moderation_record(
            channel=active,
            recorded_by=colleague,
            kind=Kind.REMOVAL,
            happened_at=ago(hours=1),
            details=removal(),
        )
    assert not ModerationEntry.objects.exists()


def test_a_draft_takes_no_entries(draft, owner):
    with pytest.raises(ValidationError, match="running channels"):
        moderation_record(
            channel=draft, recorded_by=owner, kind=Kind.OTHER, happened_at=ago(hours=1),
            details=EntryDetails(what="x"),
        )  # fmt: skip


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: uploads.executable(), "is not what its name says"),
        (lambda: uploads.executable(name="program.exe"), "is not a screenshot or a PDF"),
        (lambda: uploads.oversized(11 * 1024 * 1024), "too big"),
    ],
    ids=["exe-named-png", "exe", "oversized"],
)
def test_a_bad_file_changes_nothing(active, owner, upload, message):
    with pytest.raises(ValidationError, match=message) as raised:
        moderation_record(
            channel=active,
            recorded_by=owner,
            kind=Kind.REMOVAL,
            happened_at=ago(hours=1),
            details=removal(),
            files=[uploads.screenshot(), upload()],
        )
    assert "attachments" in raised.value.error_dict
    assert not ModerationEntry.objects.exists()
    assert not ModerationAttachment.objects.exists()


def test_a_pdf_is_accepted(active, owner):
    entry = moderation_record(
        channel=active, recorded_by=owner, kind=Kind.OTHER, happened_at=ago(hours=1),
        details=EntryDetails(what="Polisanmälan bifogad."), files=[uploads.pdf()],
    )  # fmt: skip
    assert entry.attachments.get().content_type == "application/pdf"


def test_a_future_date_is_refused(active, owner):
    with pytest.raises(ValidationError) as raised:
        moderation_record(
            channel=active,
            recorded_by=owner,
            kind=Kind.REMOVAL,
            happened_at=timezone.now() + datetime.timedelta(hours=3),
            details=removal(),
        )
    assert raised.value.message_dict["happened_at"] == ["It cannot have happened in the future."]
    assert not ModerationEntry.objects.exists()


def test_a_blocking_that_ends_before_it_starts_is_refused(active, owner):
    with pytest.raises(ValidationError) as raised:
        block(active, owner, when=ago(days=1), until=ago(days=2))
    assert raised.value.message_dict["blocked_until"] == ["The blocking must end after it starts."]
    assert not ModerationEntry.objects.exists()


@pytest.mark.parametrize(
    ("details", "field"),
    [
        (removal(ground=""), "ground"),
        (removal(ground=Ground.POLICY), "ground_detail"),
        (removal(ground=Ground.OTHER), "ground_detail"),
        (removal(what=""), "what"),
    ],
)
def test_a_removal_says_what_and_why(active, owner, details, field):
    with pytest.raises(ValidationError) as raised:
        moderation_record(
            channel=active, recorded_by=owner, kind=Kind.REMOVAL, happened_at=ago(hours=1),
            details=details,
        )  # fmt: skip
    assert field in raised.value.message_dict


def test_the_blocking_list_is_derived_from_the_entries(active, owner, deputy):
    forever = block(active, owner, handle="@forever", when=ago(days=5))
    block(active, owner, handle="@ran_out", when=ago(days=5), until=ago(days=1))
    lifted = block(active, owner, handle="@lifted", when=ago(days=4))
    soon = block(active, owner, handle="@week", when=ago(days=1), until=ago(days=-6))

    moderation_record(
        channel=active, recorded_by=deputy, kind=Kind.LIFTING, happened_at=ago(hours=1),
        details=EntryDetails(lifts=lifted, what="Bad om ursäkt."),
    )  # fmt: skip

    assert list(active_blockings(active)) == [forever, soon]


def test_lifting_a_blocking_that_is_not_active_is_refused(active, owner):
    lifted = block(active, owner)
    details = EntryDetails(lifts=lifted)
    moderation_record(
        channel=active, recorded_by=owner, kind=Kind.LIFTING, happened_at=ago(hours=1),
        details=details,
    )  # fmt: skip

    with pytest.raises(ValidationError) as raised:
        moderation_record(
            channel=active, recorded_by=owner, kind=Kind.LIFTING, happened_at=ago(hours=1),
            details=details,
        )  # fmt: skip
    assert raised.value.message_dict["lifts"] == [
        "That blocking is not active: it was lifted or has run out."
    ]
    assert ModerationEntry.objects.filter(kind=Kind.LIFTING).count() == 1


def test_a_correction_is_a_new_entry_that_says_why(active, owner):
    wrong = block(active, owner, handle="@fel")

    with pytest.raises(ValidationError, match="Say what was wrong"):
        block_again = EntryDetails(handle="@rätt", ground=Ground.AGITATION)
        moderation_record(
            channel=active, recorded_by=owner, kind=Kind.BLOCKING, happened_at=ago(days=2),
            details=block_again, corrects=wrong,
        )  # fmt: skip
    fixed = moderation_record(
        channel=active, recorded_by=owner, kind=Kind.BLOCKING, happened_at=ago(days=2),
        details=block_again, corrects=wrong, correction_reason="Fel användarnamn.",
    )  # fmt: skip

    wrong.refresh_from_db()
    assert wrong.handle == "@fel"  # the record stands
    assert fixed.corrects == wrong
    assert list(wrong.corrections.all()) == [fixed]


def test_a_suspected_crime_is_mailed_to_komm_at_once(active, owner, settings):
    entry = moderation_record(
        channel=active,
        recorded_by=owner,
        kind=Kind.CRIME,
        happened_at=ago(hours=1),
        details=EntryDetails(what="Dödshot i kommentar.", crime="Olaga hot"),
    )

    assert entry.needs_attention  # not reported to the police yet
    mail = OutgoingEmail.objects.get(template="moderation-alert")
    assert mail.to == [settings.KOMM_EMAIL]
    assert active.name in mail.subject
    assert f"#entry-{entry.pk}" in mail.body_text


def test_a_crime_reported_to_the_police_needs_no_attention(active, owner):
    entry = moderation_record(
        channel=active, recorded_by=owner, kind=Kind.CRIME, happened_at=ago(days=2),
        details=EntryDetails(what="Hot.", crime="Olaga hot", reported_on=timezone.localdate(),
                             police_case_number="5000-K123-26"),
    )  # fmt: skip
    assert not entry.needs_attention


def test_a_plain_removal_sends_nothing_and_counts_per_ground(active, owner):
    for ground in (Ground.COPYRIGHT, Ground.COPYRIGHT, Ground.INCITEMENT):
        moderation_record(
            channel=active, recorded_by=owner, kind=Kind.REMOVAL, happened_at=ago(hours=1),
            details=removal(ground=ground),
        )  # fmt: skip

    assert not OutgoingEmail.objects.filter(template="moderation-alert").exists()
    assert counts_per_ground(ModerationEntry.objects.all()) == [
        ("Incitement (BrB 16:5)", 1),
        ("Copyright infringement", 2),
    ]
