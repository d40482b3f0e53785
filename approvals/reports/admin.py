"""Reports in the admin: read-only, like the audit trail; Komm decides in the portal."""

from __future__ import annotations

from django.contrib import admin

from approvals.reports.models import ReportEvent, SuspectedAccountReport
from core.admin import ReadOnlyAdminMixin


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "from_state", "to_state", "note"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SuspectedAccountReport)
class SuspectedAccountReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["address", "state", "created_at"]
    list_filter = ["state"]
    search_fields = ["address", "address_key", "reason"]
    inlines = [ReportEventInline]
