"""The registry in the admin, for Komm's staff. States change only through the portal's
services (the state field is read-only here); the audit trail is never edited or deleted."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdmin

from channels import audit
from channels.models import AuditEntry, Channel, Deputyship, Platform, Unit, UnitHead
from channels.selectors import channels_matching, prefect_conflicts
from channels.services import (
    audit_record,
    channel_field_value,
    channel_find_duplicate,
    channel_sync_permissions,
)
from channels.wizard.spec import WIZARD_STEPS
from core.admin import ReadOnlyAdminMixin
from core.paginators import EstimatedCountPaginator


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["name", "domain_list", "is_active", "managed_by_komm", "position"]
    list_display_links = ["name"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active", "managed_by_komm"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "domains", "is_active", "managed_by_komm", "position"]}),
        (
            _("The guideline's use of the platform"),
            {"fields": ["purpose_sv", "purpose_en", "audiences_sv", "audiences_en"]},
        ),
    ]

    @admin.display(description=_("domains"))
    def domain_list(self, platform: Platform) -> str:
        return ", ".join(platform.domains)


class UnitHeadInline(admin.TabularInline):
    """Komm keeps each unit's head: the sign-off goes to them by default."""

    model = UnitHead
    extra = 0
    fields = ["name", "title", "email", "acting", "valid_from", "valid_until"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    inlines = [UnitHeadInline]
    list_display = ["name", "name_en", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "name_en", "parent__name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    ordering = ["parent__name", "name"]


class DeputyshipInline(admin.TabularInline):
    model = Deputyship
    extra = 0
    min_num = 1
    autocomplete_fields = ["user"]


class AuditEntryWording:
    """The trail in the reader's language (channels.audit), for the inline and the list."""

    @admin.display(description=_("action"))
    def what(self, entry: AuditEntry) -> str:
        return audit.action_label(entry.action)

    @admin.display(description=_("reason and changes"))
    def said(self, entry: AuditEntry) -> str:
        changes = [f"{r['label']}: {r['before']} → {r['after']}" for r in audit.change_rows(entry)]
        return "\n".join([audit.entry_text(entry), *changes]).strip()


class AuditActionFilter(admin.SimpleListFilter):
    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return audit.action_choices()

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class AuditEntryInline(AuditEntryWording, admin.TabularInline):
    """The channel's audit trail, read-only."""

    model = AuditEntry
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "created_at",
        "actor_name",
        "what",
        "from_state",
        "to_state",
        "said",
    )
    ordering = ["created_at", "pk"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# Set by the portal's services and nothing else.
CHANNEL_BOOKKEEPING = [
    "state",
    "created_by",
    "created_at",
    "updated_at",
    "submitted_at",
    "state_changed_at",
    "prefect_approved_on",
    "approved_at",
    "opened_at",
]


class ChannelAdminForm(forms.ModelForm):
    """The admin keeps the portal's rules: a submitted channel has a responsible person and a
    head of department's address, and the head of department is none of the channel's
    applicants or people."""

    class Meta:
        model = Channel
        fields = ["prefect_email"]  # the admin adds the rest from its fieldsets

    def clean(self):
        cleaned = super().clean()
        channel = self.instance
        submitted = channel.pk and channel.state != Channel.State.DRAFT
        if submitted and not cleaned.get("prefect_email"):
            # Sign-off links (a new one, a handover's) go to this address.
            self.add_error(
                "prefect_email",
                _("A submitted channel needs its head of department's e-mail address."),
            )
        if submitted and not cleaned.get("responsible"):
            # The head of department appointed them; the database refuses a submitted channel
            # without one (channel_submitted_has_responsible), which was a server error here.
            self.add_error("responsible", _("A submitted channel needs its responsible person."))
        people = [cleaned.get("responsible"), cleaned.get("created_by")]
        if channel.pk:
            people += [channel.created_by, *channel.deputies.all()]
        if prefect_conflicts(prefect_email=cleaned.get("prefect_email") or "", people=people):
            self.add_error(
                "prefect_email",
                _(
                    "The head of department approves the channel, so cannot also be its "
                    "applicant, responsible person or deputy."
                ),
            )
        self._refuse_duplicate(cleaned)
        return cleaned

    def _refuse_duplicate(self, cleaned: dict) -> None:
        # As in the wizard: one registration per account, however its address was typed.
        platform, address = cleaned.get("platform"), cleaned.get("address")
        if not (platform and address):
            return
        duplicate = channel_find_duplicate(
            platform=platform, address=address, exclude_pk=self.instance.pk
        )
        if duplicate:
            self.add_error(
                "address",
                _("This address is already registered as “%(name)s”.") % {"name": duplicate.name},
            )


@admin.register(Channel)
class ChannelAdmin(GuardedModelAdmin):
    """Channels, with their object permissions (guardian's "Object permissions" button).

    The inlines of the approvals app (sign-offs, reviews) are added by approvals/admin.py, so
    that `channels` does not depend on `approvals`.
    """

    form = ChannelAdminForm

    list_display = [
        "name",
        "platform",
        "state",
        "responsible_unit",
        "responsible",
        "case_number",
        "state_changed_at",
    ]
    # Every unit, not RelatedOnlyFieldListFilter: that one reads the unit of every channel.
    list_filter = ["state", "platform", "responsible_unit"]
    # Searched by get_search_results, through the trigram indexes (channels 0014, core 0003).
    search_fields = ["name", "address", "responsible__email"]
    # Lean on a big table: no count of the whole table beside the filtered one, and no date
    # navigation (it reads the dates of every row).
    show_full_result_count = False
    # By the index channel_name_idx; with the pk the order is total, so Django adds nothing.
    ordering = ["name", "pk"]
    # The unfiltered list counts by PostgreSQL's estimate, not by reading every channel.
    paginator = EstimatedCountPaginator
    list_select_related = ["platform", "responsible_unit", "responsible"]
    autocomplete_fields = ["responsible", "sender_unit", "responsible_unit"]
    readonly_fields = CHANNEL_BOOKKEEPING
    inlines = [DeputyshipInline, AuditEntryInline]
    # As in the portal's forms: an address typed without a scheme is https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # A section per wizard step, as the spec lists them, then the bookkeeping.
    fieldsets = [
        # The stubs cannot read a comprehension's dicts as the admin's field options.
        *[(step.title, {"fields": step.admin_fields}) for step in WIZARD_STEPS if step.fields],  # type: ignore[list-item]
        (_("Approval"), {"fields": ("case_number", *CHANNEL_BOOKKEEPING)}),
    ]

    def get_search_results(self, request, queryset, search_term):
        """Every word in the name, the address or the responsible person's e-mail, as the
        default search, but each word as a UNION of three indexed lookups rather than an OR
        that reads every channel."""
        for word in search_term.split():
            queryset = queryset.filter(pk__in=channels_matching(word))
        return queryset, False

    def get_readonly_fields(self, request, obj=None):
        # created_by is chosen once, when a channel is added here; never changed afterwards.
        if obj is None:
            return [f for f in CHANNEL_BOOKKEEPING if f != "created_by"]
        return CHANNEL_BOOKKEEPING

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return [(None, {"fields": ["created_by"]}), *fieldsets]
        return fieldsets

    def get_autocomplete_fields(self, request):
        return [*super().get_autocomplete_fields(request), "created_by"]

    def save_model(self, request, obj, form, change):
        # An edit of a submitted channel goes into its audit trail, as in the portal.
        changes = {}
        if change and obj.submitted_at and form.changed_data:
            before = Channel.objects.get(pk=obj.pk)
            for name in form.changed_data:
                old, new = channel_field_value(before, name), channel_field_value(obj, name)
                if old != new:
                    changes[name] = [old, new]
        super().save_model(request, obj, form, change)
        if not change:
            audit_record(
                channel=obj,
                action=AuditEntry.Action.CREATED,
                actor=request.user,
                to_state=obj.state,
                params={"via": "admin"},
            )
        if changes:
            audit_record(
                channel=obj,
                action=AuditEntry.Action.EDITED,
                actor=request.user,
                changes=changes,
                params={"via": "admin"},
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Object permissions follow the responsible person and the deputies.
        channel_sync_permissions(channel=form.instance)


@admin.register(AuditEntry)
class AuditEntryAdmin(AuditEntryWording, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit trail: read-only for everyone, superusers included."""

    list_display = ["created_at", "channel", "what", "actor_name", "from_state", "to_state"]
    list_filter = [AuditActionFilter, "to_state"]
    search_fields = ["channel__name", "actor_name", "reason"]
    list_select_related = ["channel", "channel__platform"]
    paginator = EstimatedCountPaginator  # the audit trail is the biggest table
    # Lean on a big table: no count of the whole table beside the filtered one, and no date
    # navigation (it reads the dates of every row).
    show_full_result_count = False
    fields = readonly_fields = (
        "channel",
        "created_at",
        "what",
        "actor",
        "actor_name",
        "from_state",
        "to_state",
        "said",
    )


# Komm's policy template (channels/policy/admin.py).
import channels.policy.admin  # noqa: E402
import channels.resources.admin  # noqa: E402, F401
