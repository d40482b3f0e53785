"""Where channels live and who runs them: the platforms and the university's units."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Platform(models.Model):
    """A social media platform, with the guideline's intended use for it. Komm edits these."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    domains = models.JSONField(
        _("domains"),
        default=list,
        help_text=_("Domains the platform's addresses live on, e.g. facebook.com."),
    )
    purpose_sv = models.TextField(_("purpose (Swedish)"), blank=True)
    purpose_en = models.TextField(_("purpose (English)"), blank=True)
    audiences_sv = models.TextField(_("audiences (Swedish)"), blank=True)
    audiences_en = models.TextField(_("audiences (English)"), blank=True)
    managed_by_komm = models.BooleanField(
        _("managed by Komm"),
        default=False,
        help_text=_("The guideline says Komm runs the university's accounts on this platform."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")

    def __str__(self) -> str:
        return self.name

    @property
    def purpose(self) -> str:
        return self.purpose_en if get_language() == "en" else self.purpose_sv

    @property
    def audiences(self) -> str:
        return self.audiences_en if get_language() == "en" else self.audiences_sv

    def accepts_url(self, url: str) -> bool:
        """True when the URL's host is one of the platform's domains or a subdomain of one."""
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.domains)


class UnitQuerySet(models.QuerySet):
    def in_language_order(self) -> UnitQuerySet:
        """By the name a reader sees: the English name in English (the Swedish one where a unit
        has none), the Swedish name in Swedish. Meta.ordering cannot follow the language."""
        if get_language() == "en":
            shown = Coalesce(NullIf("name_en", Value("")), "name")
            return self.order_by(Lower(shown), "pk")
        return self.order_by(Lower("name"), "pk")


class Unit(models.Model):
    """A part of the university's organisation, in a tree."""

    class Kind(models.TextChoices):
        FACULTY = "faculty", _("faculty")
        DEPARTMENT = "department", _("department")
        DIVISION = "division", _("division")
        CENTRE = "centre", _("centre")
        CENTRAL_OFFICE = "central_office", _("central office")

    name = models.CharField(_("name (Swedish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # Shown on the public directory as the contact of the unit's channels: a functional
    # address, never a person's. Empty: the parent unit's, and at the top Komm's (KOMM_EMAIL).
    public_email = models.EmailField(
        _("public contact address"),
        blank=True,
        help_text=_(
            "A functional address (not a person's) shown in the public directory for the "
            "unit's channels. Empty: the parent unit's, or Komm's."
        ),
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unit_unique_name_in_parent"),
        ]

    def __str__(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


class UnitHead(models.Model):
    """A unit's head (prefekt, dean, director), kept by Komm. The registration's sign-off goes
    to the head of the channel's responsible unit by default; an acting head has dates."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="heads"
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"))
    acting = models.BooleanField(_("acting"), default=False)
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["unit", "-acting", "-valid_from", "pk"]
        verbose_name = _("head of unit")
        verbose_name_plural = _("heads of unit")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="unithead_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)
