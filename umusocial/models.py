from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    """What the portal needs to know about a user beyond Django's User."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)


class OutgoingEmail(models.Model):
    """The e-mail outbox: every e-mail the portal sends is stored here first.

    The row is written in the same transaction as the change that caused it, and a Celery task
    enqueued on commit delivers it. A periodic sweep re-enqueues rows that are still unsent, so
    an e-mail survives a broker outage or a crashed worker.
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

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["sent_at", "created_at"], name="outbox_unsent_idx")]

    def __str__(self) -> str:
        return self.subject


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
