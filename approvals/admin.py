"""Sign-offs and reviews in the admin: read-only, because only the portal's services decide.
Also extends the registry's channel admin with them, and the user admin with deactivating staff
(which flags their channels for a handover)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from approvals.handover.flagging import channels_flag_departed_staff, staff_deactivate_many
from approvals.models import KommReview, PrefectSignoff
from channels.admin import ChannelAdmin
from channels.models import Channel
from core.admin import ReadOnlyAdminMixin, StaffUserAdmin
from core.models import User


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# The link's token hash is a credential: shown nowhere.
SIGNOFF_FIELDS = (
    "prefect_name",
    "prefect_title",
    "prefect_email",
    "responsible",
    "requested_by",
    "requested_at",
    "expires_at",
    "decision",
    "reason",
    "decided_at",
)
REVIEW_FIELDS = ("decided_at", "reviewer", "decision", "comment", "case_number")


class PrefectSignoffInline(_ReadOnlyInline):
    model = PrefectSignoff
    fields = SIGNOFF_FIELDS
    readonly_fields = SIGNOFF_FIELDS


class KommReviewInline(_ReadOnlyInline):
    model = KommReview
    fields = REVIEW_FIELDS
    readonly_fields = REVIEW_FIELDS


# The registry's channel admin knows nothing of decisions; here it is extended with them.
admin.site.unregister(Channel)


@admin.register(Channel)
class ChannelWithDecisionsAdmin(ChannelAdmin):
    """The registry's channel admin with the channel's sign-offs and reviews, read-only."""

    inlines = [*ChannelAdmin.inlines, PrefectSignoffInline, KommReviewInline]


admin.site.unregister(User)


@admin.register(User)
class StaffLeavingUserAdmin(StaffUserAdmin):
    """The user admin, plus deactivating staff so that their channels are flagged for a
    handover and Komm is told. Unticking "active" on the form flags them too."""

    actions = ["deactivate_and_flag"]

    @admin.action(description=_("Deactivate and flag their channels"), permissions=["change"])
    def deactivate_and_flag(self, request, queryset):
        users = list(queryset)
        try:
            flagged = staff_deactivate_many(users=users, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        accounts = ngettext(
            "%(count)d account deactivated.", "%(count)d accounts deactivated.", len(users)
        ) % {"count": len(users)}
        channels = (
            ngettext(
                "%(count)d channel flagged as needing a handover; Komm has been told.",
                "%(count)d channels flagged as needing a handover; Komm has been told.",
                len(flagged),
            )
            % {"count": len(flagged)}
            if flagged
            else _("No running channel needed a handover.")
        )
        self.message_user(request, f"{accounts} {channels}", messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            channels_flag_departed_staff(actor=request.user)


@admin.register(PrefectSignoff)
class PrefectSignoffAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "channel",
        "prefect_name",
        "prefect_email",
        "decision",
        "requested_at",
        "decided_at",
    ]
    list_filter = ["decision"]
    search_fields = ["channel__name", "prefect_name", "prefect_email"]
    list_select_related = ["channel", "channel__platform"]
    show_full_result_count = False  # lean on a big table (channels/admin.py)
    fields = readonly_fields = ("channel", *SIGNOFF_FIELDS)


@admin.register(KommReview)
class KommReviewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["channel", "decision", "reviewer", "case_number", "decided_at"]
    list_filter = ["decision"]
    search_fields = ["channel__name", "case_number", "comment"]
    list_select_related = ["channel", "channel__platform", "reviewer"]
    show_full_result_count = False  # lean on a big table (channels/admin.py)
    fields = readonly_fields = ("channel", *REVIEW_FIELDS)


# Reports of suspected fake accounts register their own admin (approvals/reports/admin.py).
from approvals.reports import admin as reports_admin  # noqa: E402, F401
