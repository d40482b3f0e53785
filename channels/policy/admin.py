"""Komm keeps the policy template in the admin: a new version is added, an old one never changed,
so that what channels adopted from it stays as it was."""

from __future__ import annotations

from django.contrib import admin

from channels.policy.models import PolicyTemplate


@admin.register(PolicyTemplate)
class PolicyTemplateAdmin(admin.ModelAdmin):
    list_display = ("__str__", "published_at")
    fields = ("version", "body_sv", "body_en", "published_at")
    readonly_fields = ("published_at",)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:  # published: read only, add a new version instead
            return ("version", "body_sv", "body_en", "published_at")
        return self.readonly_fields

    def get_changeform_initial_data(self, request):
        """A new version starts from the latest one's text, with the next number."""
        latest = PolicyTemplate.objects.order_by("-version").first()
        if latest is None:
            return {"version": 1}
        return {"version": latest.version + 1, "body_sv": latest.body_sv, "body_en": latest.body_en}

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
