"""Komm's resources: the links and contacts a member of staff needs at the right moment (the
policy for social media, the graphic profile, the guide and forms for digital distribution,
whom to ask), kept by Komm in the admin in both languages and shown where they are needed."""

from __future__ import annotations

from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class KommResource(models.Model):
    class Place(models.TextChoices):
        POLICY_STEP = "policy_step", _("The wizard's policy step")
        CAMPAIGN_FORM = "campaign_form", _("The campaign notice form")
        AD_FORM = "ad_form", _("The ad order form")

    place = models.CharField(_("shown on"), max_length=20, choices=Place.choices)
    title_sv = models.CharField(_("title in Swedish"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200)
    # Text with a validator, not a URLField: its form field's scheme default is changing.
    url = models.CharField(_("address"), max_length=500, blank=True, validators=[URLValidator()])
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["place", "order", "pk"]
        verbose_name = _("Komm's resource")
        verbose_name_plural = _("Komm's resources")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "sv")[:2] == "en" else self.title_sv
