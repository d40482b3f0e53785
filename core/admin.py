"""The admin site's titles, and the admin of the base models: users and the outbox."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.models import GIVEN_UP, OutgoingEmail, User
from core.paginators import EstimatedCountPaginator

admin.site.site_header = _("umusocial administration")
admin.site.site_title = _("umusocial administration")
admin.site.index_title = _("Registry of official social media channels")


class ReadOnlyAdminMixin:
    """Records written only by the portal's services: shown, never added, edited or deleted."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class SentFilter(admin.SimpleListFilter):
    title = _("sent")
    parameter_name = "sent"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("Sent")),
            ("no", _("Not sent yet")),
            ("given-up", _("Given up: no more automatic attempts")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(sent_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(sent_at__isnull=True)
        if self.value() == "given-up":
            return queryset.filter(GIVEN_UP)
        return queryset


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The outbox, read-only. Unsent e-mails can be sent again by hand."""

    list_display = [
        "subject",
        "recipients",
        "template",
        "language",
        "created_at",
        "sent_at",
        "attempts",
    ]
    list_filter = [SentFilter, "template", "language"]
    search_fields = ["subject", "to", "template"]
    # Lean on a big table (a reminder sweep can add thousands of rows): no whole-table count,
    # no date navigation (it reads every row's date); newest first by the primary key.
    show_full_result_count = False
    ordering = ["-pk"]
    paginator = EstimatedCountPaginator
    actions = ["send_again"]
    fields = [
        "to",
        "subject",
        "template",
        "language",
        "created_at",
        "sent_at",
        "attempts",
        "last_error",
        "message_id",
        # The bodies as stored: placeholders where secrets (sign-off links) went. `secrets`,
        # which holds them until delivery, is never shown.
        "body_text",
        "body_html",
    ]
    readonly_fields = fields  # type: ignore[assignment]  # plain names; mypy sees the base type

    @admin.display(description=_("recipients"))
    def recipients(self, email: OutgoingEmail) -> str:
        return ", ".join(email.to)

    def has_send_permission(self, request) -> bool:
        return request.user.has_perm("core.change_outgoingemail")

    @admin.action(description=_("Send again now (unsent e-mails only)"), permissions=["send"])
    def send_again(self, request, queryset):
        from core.tasks import enqueue_delivery

        ids = list(queryset.filter(sent_at__isnull=True).values_list("pk", flat=True))
        # After the commit, like every send: the worker must see the row as it is now.
        if ids:
            transaction.on_commit(lambda: enqueue_delivery(ids))
        skipped = queryset.count() - len(ids)
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail was queued to be sent again.",
                "%(count)d e-mails were queued to be sent again.",
                len(ids),
            )
            % {"count": len(ids)},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d e-mail had already been sent and was left alone.",
                    "%(count)d e-mails had already been sent and were left alone.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Django's user admin with the portal's own fields: e-mail language, phone, and the
    university's identifiers. The handover workflow adds deactivating with flagging
    (approvals/admin.py)."""

    fieldsets = [
        *UserAdmin.fieldsets,  # type: ignore[misc]  # set by Django; the stubs allow None
        (_("The portal"), {"fields": ["language", "phone", "eppn", "employee_id"]}),
    ]
    list_display = ["username", "email", "first_name", "last_name", "is_active", "is_staff"]
    search_fields = ["username", "email", "first_name", "last_name", "eppn"]
    show_full_result_count = False  # lean on a big table
