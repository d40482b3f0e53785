"""factory_boy factories for the registry. A ChannelFactory makes a complete draft whose
people have their object permissions, as the portal's services would leave it."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from channels.models import AuditEntry, Channel, Deputyship, Evaluation, Platform, Unit
from channels.services import channel_sync_permissions
from core.testing.factories import UserFactory


def platform(slug: str = "instagram") -> Platform:
    """Platforms come from the data migration; tests use those."""
    return Platform.objects.get(slug=slug)


class PlatformFactory(factory.django.DjangoModelFactory):
    """The data migration's platform with this slug (Instagram by default); a slug the migration
    does not know makes a new platform."""

    class Meta:
        model = Platform
        django_get_or_create = ("slug",)

    slug = "instagram"
    name = factory.LazyAttribute(lambda p: p.slug.capitalize())
    domains = factory.LazyAttribute(lambda p: [f"{p.slug}.com"])


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("name", "parent")

    name = factory.Sequence(lambda n: f"Institutionen för ämne {n}")
    name_en = factory.Sequence(lambda n: f"Department of Subject {n}")
    kind = Unit.Kind.DEPARTMENT
    parent = None  # django_get_or_create needs a value for every key field


class ChannelFactory(factory.django.DjangoModelFactory):
    """A draft with every field of the checklist filled in, ready to submit."""

    class Meta:
        model = Channel
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Institutionens kanal {n}")
    platform = factory.LazyFunction(platform)
    address = factory.Sequence(lambda n: f"https://www.instagram.com/umu_channel_{n}")
    address_is_planned = True
    language = Channel.Language.SWEDISH
    purpose = "Visa forskning och studentliv för presumtiva studenter."
    audience_primary = "Presumtiva studenter 19–27 år."
    audience_secondary = "Nuvarande studenter."
    sender = Channel.Sender.UNIT
    sender_unit = factory.SubFactory(UnitFactory)
    responsible_unit = factory.SelfAttribute("sender_unit")
    operations_area = "Utbildning på grundnivå"
    prefect_name = "Petra Prefekt"
    prefect_title = "Prefekt"
    prefect_email = "petra.prefekt@umu.se"
    created_by = factory.SubFactory(UserFactory)
    responsible = factory.SelfAttribute("created_by")
    responsible_phone = "090-786 50 00"
    resources = "Fyra timmar i veckan av en kommunikatör."
    update_frequency = Channel.Frequency.WEEKLY
    monitoring_who = "Ansvarig och ersättare turas om."
    monitoring_frequency = Channel.MonitoringFrequency.DAILY
    response_time_hours = 24
    archiving_routine = "Inlägg arkiveras månadsvis enligt dokumenthanteringsplanen."
    culling_routine = "Gallras efter två år enligt universitetets gallringsbeslut."
    policy_text = "Vi modererar kommentarer som bryter mot svensk lag."
    policy_location = "I profilens beskrivning och som fäst inlägg."
    graphic_profile_confirmed = True
    evaluation_method = "Följare, räckvidd och svarstider jämförs med målen."
    evaluation_interval_months = 12
    evaluation_first_date = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=180)
    )
    handover_routine = "Inloggning via funktionsbrevlåda; administratörsroller flyttas vid byte."

    @factory.post_generation
    def deputies(self, create, extracted, **kwargs):
        """Pass deputies=[user, ...]; by default one new member of staff is the deputy."""
        if not create:
            return
        for user in extracted if extracted is not None else [UserFactory()]:
            Deputyship.objects.create(channel=self, user=user, phone="090-786 00 00")
        # Rights follow the people, as when the portal's services name them.
        channel_sync_permissions(channel=self)


class DeputyshipFactory(factory.django.DjangoModelFactory):
    """One more deputy on a channel. Object permissions are the caller's business: call
    `channel_sync_permissions` (as the services do) when the test needs them."""

    class Meta:
        model = Deputyship

    channel = factory.SubFactory(ChannelFactory, deputies=[])
    user = factory.SubFactory(UserFactory)
    phone = "090-786 00 00"


class AuditEntryFactory(factory.django.DjangoModelFactory):
    """A line of the audit trail, as a service writes it."""

    class Meta:
        model = AuditEntry

    channel = factory.SubFactory(ChannelFactory)
    action = AuditEntry.Action.CREATED
    actor = factory.SelfAttribute("channel.created_by")
    actor_name = factory.LazyAttribute(lambda e: e.actor.display_name if e.actor else "")
    to_state = Channel.State.DRAFT


class EvaluationFactory(factory.django.DjangoModelFactory):
    """The owner's evaluation: the channel does what it should and goes on as before."""

    class Meta:
        model = Evaluation

    channel = factory.SubFactory(ChannelFactory)
    evaluated_on = factory.LazyFunction(timezone.localdate)
    summary = "Gick igenom statistik och svarstider för året."
    meets_purpose = True
    followers = 1200
    posts = 48
    response_time_hours = 12
    decision = Evaluation.Decision.CONTINUE
    registry_confirmed = True
    submitted_by = factory.SelfAttribute("channel.responsible")
