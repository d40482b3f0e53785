"""factory_boy factories for the workflows' models. Each makes a decision or a workflow about a
ChannelFactory draft by default; pass `channel=` to place it on a channel in the right state.

They write rows, not journeys: the channel's state does not move with them. For a channel that
went the real way (submitted, signed off, reviewed, opened), use `approvals.testing.lifecycle`.
"""

from __future__ import annotations

import datetime
import hashlib

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from approvals.models import (
    AdAttachment,
    AdOrder,
    CampaignNotice,
    Closure,
    Handover,
    KommReview,
    ModerationAttachment,
    ModerationEntry,
    PrefectSignoff,
    SuspectedAccountReport,
)
from channels.testing.factories import ChannelFactory
from core.testing.factories import UserFactory


class PrefectSignoffFactory(factory.django.DjangoModelFactory):
    """A pending request to the channel's head of department. `token` is the link's secret; only
    its hash is stored, so `signoff_link_value(signoff=..., token=...)` makes a working link."""

    class Meta:
        model = PrefectSignoff

    class Params:
        token = factory.Sequence(lambda n: f"test-token-{n}")

    channel = factory.SubFactory(ChannelFactory)
    prefect_name = factory.SelfAttribute("channel.prefect_name")
    prefect_title = factory.SelfAttribute("channel.prefect_title")
    prefect_email = factory.SelfAttribute("channel.prefect_email")
    responsible = factory.SelfAttribute("channel.responsible")
    token_hash = factory.LazyAttribute(lambda s: hashlib.sha256(s.token.encode()).hexdigest())
    requested_by = factory.SelfAttribute("channel.created_by")
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))


class KommReviewFactory(factory.django.DjangoModelFactory):
    """Komm's approval with a case number."""

    class Meta:
        model = KommReview

    channel = factory.SubFactory(ChannelFactory)
    decision = KommReview.Decision.APPROVED
    reviewer = factory.SubFactory(UserFactory)
    case_number = factory.Sequence(lambda n: f"FS 1.1-{1000 + n}-25")


class HandoverFactory(factory.django.DjangoModelFactory):
    """A handover waiting for the head of department, from the channel's responsible person to
    a new member of staff."""

    class Meta:
        model = Handover

    channel = factory.SubFactory(ChannelFactory)
    previous_responsible = factory.SelfAttribute("channel.responsible")
    new_responsible = factory.SubFactory(UserFactory)
    new_responsible_phone = "090-786 11 11"
    reason = Handover.Reason.NEW_ROLE
    reason_text = "Ny roll på fakultetskansliet."
    started_by = factory.SelfAttribute("channel.responsible")


class ClosureFactory(factory.django.DjangoModelFactory):
    """A closure in progress, with none of the owner's checklist ticked yet."""

    class Meta:
        model = Closure

    channel = factory.SubFactory(ChannelFactory)
    reason = "Kanalen ersätts av institutionens nyhetsbrev."
    state_before = factory.SelfAttribute("channel.state")
    started_by = factory.SelfAttribute("channel.responsible")


# The smallest bytes that start like a PNG (the portal checks the signature, not the pixels).
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class ModerationEntryFactory(factory.django.DjangoModelFactory):
    """A removed comment, recorded by the channel's responsible person an hour after it was
    posted. Pass `kind=` and that kind's fields for the others."""

    class Meta:
        model = ModerationEntry

    channel = factory.SubFactory(ChannelFactory)
    kind = ModerationEntry.Kind.REMOVAL
    happened_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    recorded_by = factory.SelfAttribute("channel.responsible")
    what = "Kommentar med personangrepp mot en student."
    handle = factory.Sequence(lambda n: f"@troll{n}")
    ground = ModerationEntry.Ground.POLICY
    ground_detail = "Inga personangrepp."


class ModerationAttachmentFactory(factory.django.DjangoModelFactory):
    """A small PNG screenshot of the entry, in the private storage."""

    class Meta:
        model = ModerationAttachment

    entry = factory.SubFactory(ModerationEntryFactory)
    name = "skarmbild.png"
    content_type = "image/png"
    file = factory.LazyFunction(lambda: ContentFile(PNG, name="a.png"))
    size = factory.LazyAttribute(lambda a: len(PNG))


class SuspectedAccountReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SuspectedAccountReport

    address = factory.Sequence(lambda n: f"https://www.instagram.com/umu_fake_{n}")
    address_key = factory.Sequence(lambda n: f"instagram.com/umu_fake_{n}")
    reason = "Uses the university's logo and asks for passwords."


class CampaignNoticeFactory(factory.django.DjangoModelFactory):
    """A notice sent to Komm about a campaign next week on one channel (pass `channels=[...]`)."""

    class Meta:
        model = CampaignNotice
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Öppet hus {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    ends_on = factory.LazyAttribute(lambda n: n.starts_on + datetime.timedelta(days=6))
    goal = "Fler sökande till programmen."
    audience = "Gymnasieelever i norra Sverige."
    content = "Tre inlägg och en film."
    contact = "Anna Ägare, anna@umu.se"
    sent_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def channels(self, create, extracted, **kwargs):
        if create:
            self.channels.set(extracted or [ChannelFactory()])


class AdOrderFactory(factory.django.DjangoModelFactory):
    """A submitted order of social-media ads on one channel (pass `channels=[...]`)."""

    class Meta:
        model = AdOrder
        skip_postgeneration_save = True

    kind = AdOrder.Kind.SOCIAL
    title = factory.Sequence(lambda n: f"Annonser för programmet {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=14))
    budget = 10000
    target_group = "Sökande till masterprogram."
    landing_page = "https://www.umu.se/utbildning/"
    cost_centre = "KS 4711"
    ordered_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def channels(self, create, extracted, **kwargs):
        if create:
            self.channels.set(extracted or [ChannelFactory()])


class AdAttachmentFactory(factory.django.DjangoModelFactory):
    """A PNG creative on an order. It is a file under VAR_DIR: point VAR_DIR at tmp_path."""

    class Meta:
        model = AdAttachment

    order = factory.SubFactory(AdOrderFactory)
    file = factory.LazyFunction(
        lambda: ContentFile(b"\x89PNG\r\n\x1a\n" + b"\0" * 16, name="banner.png")
    )
    name = "banner.png"
    content_type = "image/png"
    size = 24
