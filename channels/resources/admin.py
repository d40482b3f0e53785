"""Komm keeps its resources (links and contacts) in the admin."""

from __future__ import annotations

from django.contrib import admin

from channels.resources.models import KommResource


@admin.register(KommResource)
class KommResourceAdmin(admin.ModelAdmin):
    list_display = ("title_sv", "title_en", "place", "order")
    list_filter = ("place",)
    search_fields = ("title_sv", "title_en", "url", "contact")
