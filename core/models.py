from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.mail import make_msgid
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A member of staff (or an administrator). Sign-in with the university's identity fills in
    `eppn` and `employee_id`; until then people log in with a username and a password.

    The e-mail address is how people are named in the portal (as deputies, responsible people,
    heads of department), so it is unique regardless of case and stored in lower case.
    """

    email = models.EmailField(_("e-mail address"), blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of the portal's e-mails; empty means the site's default."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # The university's identifiers, from its identity provider (SAML attributes).
    eppn = models.CharField(
        _("eduPersonPrincipalName"), max_length=255, unique=True, null=True, blank=True
    )
    employee_id = models.CharField(_("employee id"), max_length=50, blank=True)

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]  # django-stubs omit it
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="user_email_unique_ci"
            ),
        ]

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        """How the portal names a person everywhere: their full name, else their username."""
        return self.get_full_name() or self.get_username()

    @property
    def email_language(self) -> str:
        """The language their e-mails are written in."""
        return self.language or settings.LANGUAGE_CODE


def secret_placeholder(name: str) -> str:
    """What a stored body holds where the secret `name` goes: readable, and no link."""
    return f"[{name}: sent by e-mail, not stored]"


PLACEHOLDER = re.compile(r"\[\w+: sent by e-mail, not stored\]")


def new_message_id() -> str:
    """A Message-ID for a new e-mail, given when it is queued: should a worker die between the
    SMTP server's answer and the commit that marks the row sent, the redelivery carries the same
    Message-ID, by which mail systems and clients recognise it as the same message."""
    return make_msgid(domain=urlsplit(settings.SITE_URL).hostname)


# Failed attempts after which the sweep (core.tasks.send_unsent_emails) stops enqueuing a row
# again: an address a mail server refuses for good would otherwise be tried every five minutes
# forever. The admin lists such rows ("Given up") and can send them again by hand.
SWEEP_ATTEMPTS = 12
GIVEN_UP = Q(sent_at__isnull=True, attempts__gte=SWEEP_ATTEMPTS)


class OutgoingEmail(models.Model):
    """The e-mail outbox: every e-mail the portal sends is stored here first.

    The row is written in the same transaction as the change that caused it, and a Celery task
    enqueued on commit delivers it. A periodic sweep re-enqueues rows that are still unsent, so
    an e-mail survives a broker outage or a crashed worker (until SWEEP_ATTEMPTS attempts have
    failed: then it is GIVEN_UP, and the admin lists it so).

    A secret (a sign-off link: whoever holds it may decide) is never part of the stored bodies:
    they hold a placeholder (`secret_placeholder`), the value waits in `secrets` and
    `core.tasks.send_email` puts it into the message it sends, then empties `secrets` in the
    same write that marks the row sent. After delivery the row holds no usable link.
    """

    to = models.JSONField(_("recipients"))
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    template = models.CharField(_("template"), max_length=100)
    language = models.CharField(_("language"), max_length=8)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # {name: value}; kept only until delivery, never shown (not in the admin, not at /dev/mail/).
    secrets = models.JSONField(_("secrets until delivery"), default=dict, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["sent_at", "created_at"], name="outbox_unsent_idx")]

    def __str__(self) -> str:
        return self.subject

    @property
    def withholds_secrets(self) -> bool:
        """Whether the stored text has a placeholder where a secret was (or will be) sent."""
        return bool(PLACEHOLDER.search(self.body_text))

    def text_to_send(self) -> str:
        """The text body as delivered: the placeholders replaced by the secrets."""
        return self._reveal(self.body_text, html=False)

    def html_to_send(self) -> str:
        return self._reveal(self.body_html, html=True)

    def _reveal(self, body: str, *, html: bool) -> str:
        for name, value in self.secrets.items():
            body = body.replace(secret_placeholder(name), escape(value) if html else value)
        return body


class SentReminder(models.Model):
    """A reminder that was sent, so that it is never sent twice.

    `key` names what the reminder is about and for which occasion (e.g. an evaluation due on a
    date); the unique constraint makes a rerun, a retry or a second worker skip it. The row is
    written in the same transaction as the e-mail's outbox row: both exist or neither does.
    """

    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(_("key"), max_length=200)
    recipient = models.CharField(_("recipient"), max_length=254)
    run = models.UUIDField(_("run"), db_index=True)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "recipient"], name="reminder_sent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} → {self.recipient}"
