"""factory_boy factories for the registry. A ChannelFactory makes a complete draft."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from channels.models import Channel, Deputyship, Platform, Unit
from channels.services import channel_sync_permissions


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    email = factory.LazyAttribute(lambda u: f"{u.username}@umu.se")
    password = factory.django.Password("pw-for-tests")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("name", "parent")

    name = factory.Sequence(lambda n: f"Institutionen för ämne {n}")
    name_en = factory.Sequence(lambda n: f"Department of Subject {n}")
    kind = Unit.Kind.DEPARTMENT
    parent = None  # django_get_or_create needs a value for every key field


def platform(slug: str = "instagram") -> Platform:
    """Platforms come from the data migration; tests use those."""
    return Platform.objects.get(slug=slug)


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
