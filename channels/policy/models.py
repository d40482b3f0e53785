"""Komm's template for channel policies, versioned, and the version a channel's policy is based on.

A template version is never rewritten: Komm publishes a new version (a new row), so what a channel
adopted from an older one stays as it was. Imported by channels.models, so the app owns them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from channels.models.channel import Channel


class PolicyTemplate(models.Model):
    version = models.PositiveIntegerField(_("version"), unique=True)
    body_sv = models.TextField(
        _("template in Swedish"),
        help_text=_(
            "Placeholders: {name}, {platform}, {unit}, {responsible}, {monitoring_who}, "
            "{monitoring}, {response_time}, {contact}, {komm_email}."
        ),
    )
    body_en = models.TextField(_("template in English"))
    published_at = models.DateTimeField(_("published"), auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("policy template")
        verbose_name_plural = _("policy templates")

    def __str__(self) -> str:
        return _("Policy template, version %(version)d") % {"version": self.version}

    def body(self, language: str | None = None) -> str:
        return self.body_en if (language or get_language() or "sv")[:2] == "en" else self.body_sv


class ChannelPolicyBasis(models.Model):
    """Which template version a channel's policy text was made from, by whom and when."""

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, related_name="policy_basis")
    template = models.ForeignKey(
        PolicyTemplate, verbose_name=_("template version"), on_delete=models.PROTECT
    )
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    adopted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("policy basis")
        verbose_name_plural = _("policy bases")

    def __str__(self) -> str:
        return f"{self.channel}: {self.template}"


class ChannelPolicyPublication(models.Model):
    """Where a running channel publishes its policy, and the owner's word that the profile says
    the university is responsible and that those who post do so in their service (guideline)."""

    channel = models.OneToOneField(
        Channel, on_delete=models.CASCADE, related_name="policy_publication"
    )
    location = models.CharField(_("where the policy is published"), max_length=300)
    responsibility_stated = models.BooleanField(
        _(
            "the profile states that the university is responsible and that those who post act "
            "in their service"
        ),
        default=False,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("policy publication")
        verbose_name_plural = _("policy publications")

    def __str__(self) -> str:
        return f"{self.channel}: {self.location}"
