"""Sign-offs and reviews in the admin: read-only, because only the portal's services decide.
Also adds them as read-only inlines to the channel's admin page."""

from __future__ import annotations

from django.contrib import admin

from approvals.models import KommReview, PrefectSignoff
from channels.admin import ChannelAdmin
from umusocial.admin import ReadOnlyAdminMixin


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
SIGNOFF_FIELDS = [
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
]
REVIEW_FIELDS = ["decided_at", "reviewer", "decision", "comment", "case_number"]


class PrefectSignoffInline(_ReadOnlyInline):
    model = PrefectSignoff
    fields = SIGNOFF_FIELDS
    readonly_fields = SIGNOFF_FIELDS


class KommReviewInline(_ReadOnlyInline):
    model = KommReview
    fields = REVIEW_FIELDS
    readonly_fields = REVIEW_FIELDS


# channels/admin.py cannot name these models (channels never imports approvals), so the inlines
# are attached here; the channel page reads `inlines` at request time.
ChannelAdmin.inlines = [*ChannelAdmin.inlines, PrefectSignoffInline, KommReviewInline]


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
    date_hierarchy = "requested_at"
    fields = ["channel", *SIGNOFF_FIELDS]
    readonly_fields = fields


@admin.register(KommReview)
class KommReviewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["channel", "decision", "reviewer", "case_number", "decided_at"]
    list_filter = ["decision"]
    search_fields = ["channel__name", "case_number", "comment"]
    list_select_related = ["channel", "channel__platform", "reviewer"]
    date_hierarchy = "decided_at"
    fields = ["channel", *REVIEW_FIELDS]
    readonly_fields = fields
