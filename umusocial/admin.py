"""The admin site's titles, and the admin of the portal's own models: profiles and the outbox."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from umusocial.models import OutgoingEmail, Profile

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


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "language", "phone"]
    list_filter = ["language"]
    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]


class SentFilter(admin.SimpleListFilter):
    title = _("sent")
    parameter_name = "sent"

    def lookups(self, request, model_admin):
        return [("yes", _("Sent")), ("no", _("Not sent yet"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(sent_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(sent_at__isnull=True)
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
    date_hierarchy = "created_at"
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
        "body_text",
        "body_html",
    ]
    readonly_fields = fields

    @admin.display(description=_("recipients"))
    def recipients(self, email: OutgoingEmail) -> str:
        return ", ".join(email.to)

    def has_send_permission(self, request) -> bool:
        return request.user.has_perm("umusocial.change_outgoingemail")

    @admin.action(description=_("Send again now (unsent e-mails only)"), permissions=["send"])
    def send_again(self, request, queryset):
        from umusocial.tasks import send_email

        ids = list(queryset.filter(sent_at__isnull=True).values_list("pk", flat=True))
        # After the commit, like every send: the worker must see the row as it is now.
        for email_id in ids:
            transaction.on_commit(lambda email_id=email_id: send_email.delay(email_id))
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


# --- Staff leaving: ownership follows employment (issue 3) ------------------------------------

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Django's user admin, plus deactivating staff so that their channels are flagged for a
    handover and Komm is told. Unticking "active" on the form flags them too."""

    actions = ["deactivate_and_flag"]

    @admin.action(description=_("Deactivate and flag their channels"), permissions=["change"])
    def deactivate_and_flag(self, request, queryset):
        from channels.services import staff_deactivate_many

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
            from channels.services import channels_flag_departed_staff

            channels_flag_departed_staff(actor=request.user)
