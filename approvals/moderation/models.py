"""The moderation log: what the channel's people removed, whom they blocked, what they suspect
is a crime. Entries are records (an authority's official documents): never edited or deleted in
the portal; a correction is a new entry pointing to the one it corrects."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from channels.models import Channel
from core.storage import private_storage


class ModerationEntry(models.Model):
    class Kind(models.TextChoices):
        REMOVAL = "removal", _("Removed content")
        BLOCKING = "blocking", _("Blocking")
        LIFTING = "lifting", _("Lifting of a blocking")
        CRIME = "crime", _("Suspected crime")
        OTHER = "other", _("Other")

    class Ground(models.TextChoices):
        # SFS 1998:112 §5 (lydelse enligt 2018:1314): what the provider must remove.
        THREAT = "threat", _("Unlawful threat (BrB 4:5)")
        PRIVACY = "privacy", _("Unlawful violation of privacy (BrB 4:6 c)")
        INCITEMENT = "incitement", _("Incitement (BrB 16:5)")
        AGITATION = "agitation", _("Agitation against a population group (BrB 16:8)")
        CHILD_PORNOGRAPHY = "child_pornography", _("Child pornography offence (BrB 16:10 a)")
        VIOLENCE = "violence", _("Unlawful depiction of violence (BrB 16:10 c)")
        TERRORISM = "terrorism", _("Public provocation to terrorism (2010:299 §3)")
        COPYRIGHT = "copyright", _("Copyright infringement")
        POLICY = "policy", _("Breach of the channel's policy")
        OTHER = "other", _("Other")

    # Grounds that need a word more: which rule of the policy, what else.
    GROUNDS_WITH_DETAIL = (Ground.POLICY, Ground.OTHER)

    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="moderation_entries"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    happened_at = models.DateTimeField(_("happened"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    what = models.TextField(_("what"), blank=True)
    handle = models.CharField(_("author's handle or profile URL"), max_length=300, blank=True)
    post_url = models.URLField(_("the post's URL"), max_length=500, blank=True)
    ground = models.CharField(_("ground"), max_length=20, choices=Ground.choices, blank=True)
    ground_detail = models.CharField(_("rule or reason"), max_length=300, blank=True)
    blocked_until = models.DateTimeField(_("blocked until"), null=True, blank=True)
    lifts = models.ForeignKey(
        "self",
        verbose_name=_("blocking lifted"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="liftings",
    )
    crime = models.CharField(_("suspected crime"), max_length=300, blank=True)
    reported_on = models.DateField(_("reported to the police on"), null=True, blank=True)
    police_case_number = models.CharField(_("police case number"), max_length=100, blank=True)
    not_reported_reason = models.TextField(_("why not reported"), blank=True)
    threat = models.BooleanField(_("a threat against staff or others"), default=False)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    correction_reason = models.TextField(_("why corrected"), blank=True)

    class Meta:
        ordering = ["-happened_at", "-pk"]
        verbose_name = _("moderation entry")
        verbose_name_plural = _("moderation entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(correction_reason=""),
                name="moderation_correction_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(kind="lifting") | Q(lifts__isnull=False),
                name="moderation_lifting_names_blocking",
            ),
        ]
        indexes = [models.Index(fields=["channel", "happened_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_at:%Y-%m-%d}"

    @property
    def needs_attention(self) -> bool:
        """What Komm should look at: a suspected crime not reported, or a threat."""
        unreported = self.kind == self.Kind.CRIME and self.reported_on is None
        return unreported or self.threat or self.ground == self.Ground.THREAT

    @property
    def ground_text(self) -> str:
        if not self.ground:
            return ""
        label = str(self.get_ground_display())
        return f"{label}: {self.ground_detail}" if self.ground_detail else label


class ModerationAttachment(models.Model):
    """A screenshot or PDF. Reached only through its random key, by a view that checks who
    asks; the stored name is random too."""

    entry = models.ForeignKey(ModerationEntry, on_delete=models.PROTECT, related_name="attachments")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(storage=private_storage, upload_to="moderation/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name
