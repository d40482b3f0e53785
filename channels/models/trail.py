"""A channel's audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from channels.models.channel import Channel


class AuditEntry(models.Model):
    """One line of a channel's audit trail: who did what, when, from which state to which, why.

    Written only by services; never edited or deleted through the portal (the admin shows it
    read-only). It keeps codes and parameters, not sentences: channels.audit words it in the
    reader's language.
    """

    class Action(models.TextChoices):
        """The registry's own events. Workflow apps add theirs (channels.audit)."""

        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        OPENED = "opened", _("Opened")
        REGISTRY_CORRECTED = "registry_corrected", _("Registry entry corrected")
        EVALUATED = "evaluated", _("Evaluated")
        IMPORTED = "imported", _("Imported from Komm's spreadsheet")

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="audit_entries")
    # A code: the registry's own (Action) or one a workflow app registered (channels.audit).
    action = models.CharField(_("action"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(
        _("by (name)"),
        max_length=200,
        help_text=_("The name of whoever acted, also for people without an account."),
    )
    from_state = models.CharField(
        _("from state"), max_length=20, choices=Channel.State.choices, blank=True
    )
    to_state = models.CharField(
        _("to state"), max_length=20, choices=Channel.State.choices, blank=True
    )
    # {field name: [before, after]}, raw values (codes, ISO dates); labels come at view time.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # The facts of the event that its message names (channels.audit), e.g. a step or a name.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # Only what a person typed: a decline's reason, Komm's comment.
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return f"{self.action} {self.created_at:%Y-%m-%d %H:%M}"
