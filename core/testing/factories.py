"""factory_boy factories for the base layer's models: users, the outbox, sent reminders."""

from __future__ import annotations

import uuid

import factory

from core.models import OutgoingEmail, SentReminder, User


class UserFactory(factory.django.DjangoModelFactory):
    """A member of staff who can log in with the password "pw-for-tests"."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    email = factory.LazyAttribute(lambda u: f"{u.username}@umu.se")
    password = factory.django.Password("pw-for-tests")


class OutgoingEmailFactory(factory.django.DjangoModelFactory):
    """An unsent e-mail in the outbox, as `core.mail.queue_email` stores one."""

    class Meta:
        model = OutgoingEmail

    to = factory.LazyFunction(lambda: ["anna@umu.se"])
    subject = "Kanalen väntar på granskning"
    body_text = "Hej Anna"
    body_html = "<p>Hej Anna</p>"
    template = "komm-new-in-queue"
    language = "sv"


class SentReminderFactory(factory.django.DjangoModelFactory):
    """The record that one reminder went to one recipient."""

    class Meta:
        model = SentReminder

    kind = "signoff-reminder"
    key = factory.Sequence(lambda n: f"signoff-{n}")
    recipient = "anna@umu.se"
    run = factory.LazyFunction(uuid.uuid4)
