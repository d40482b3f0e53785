"""The moderation log's pages: a channel's log and blocking list, recording an entry, an
attachment, the export; Komm's view across channels.

The channel's people and Komm see a channel's log; other staff get 404 for all of it, the
attachments included. Who may record is the service's to say (403 for the wrong person).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from approvals.moderation import export, services
from approvals.moderation.forms import EntryForm, KommFilterForm, PeriodForm
from approvals.moderation.models import ModerationAttachment, ModerationEntry
from approvals.moderation.selectors import (
    KommFilters,
    active_blockings,
    channel_entries,
    counts_per_ground,
    komm_entries,
    user_may_moderate,
)
from channels.access import komm_required, visible_channel_or_404
from channels.models import Channel
from core.forms import add_service_errors


def _log_channel_or_404(user, pk: int) -> Channel:
    """The channel if the user keeps or oversees its log; 404 otherwise."""
    channel = visible_channel_or_404(user, pk, "platform", "responsible")
    if not user_may_moderate(user, channel):
        raise Http404
    return channel


def _period(request) -> PeriodForm:
    form = PeriodForm(request.GET or None)
    form.is_valid()
    return form


@login_required
@require_GET
def moderation_log(request, pk: int):
    channel = _log_channel_or_404(request.user, pk)
    period = _period(request)
    data = getattr(period, "cleaned_data", {})
    context = {
        "channel": channel,
        "entries": channel_entries(channel, start=data.get("start"), end=data.get("end")),
        "blocked": active_blockings(channel),
        "period": period,
        "kinds": ModerationEntry.Kind.choices,
    }
    return render(request, "approvals/moderation_log.html", context)


def _correcting(request, channel: Channel) -> ModerationEntry | None:
    pk = request.GET.get("corrects")
    if not pk or not pk.isdigit():
        return None
    return get_object_or_404(ModerationEntry, pk=pk, channel=channel)


def _record(request, form: EntryForm, channel: Channel, kind: str, corrects) -> None:
    """Call the service with the form's input; its refusal lands on the form."""
    services.moderation_record(
        channel=channel,
        recorded_by=request.user,
        kind=kind,
        happened_at=form.cleaned_data["happened_at"],
        details=services.EntryDetails(**form.details()),
        files=form.cleaned_data["attachments"],
        corrects=corrects,
        correction_reason=form.cleaned_data.get("correction_reason", ""),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def moderation_record(request, pk: int, kind: str):
    channel = _log_channel_or_404(request.user, pk)
    if kind not in ModerationEntry.Kind.values:
        raise Http404
    corrects = _correcting(request, channel)
    data = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = EntryForm(*data, channel=channel, kind=kind, correcting=corrects is not None)
    try:
        services.moderation_record_check(channel=channel, user=request.user)
        if form.is_bound and form.is_valid():
            _record(request, form, channel, kind, corrects)
            messages.success(request, _("The entry is recorded."))
            return redirect("approvals:moderation_log", pk=channel.pk)
    except ValidationError as error:
        add_service_errors(form, error)
    context = {"channel": channel, "form": form, "kind": ModerationEntry.Kind(kind)}
    context["corrects"] = corrects
    return render(
        request, "approvals/moderation_record.html", context, status=400 if form.errors else 200
    )


@login_required
@require_GET
def moderation_attachment(request, key):
    """The file, to the channel's people and Komm only; 404 for anyone else."""
    attachment = get_object_or_404(
        ModerationAttachment.objects.select_related("entry__channel"), key=key
    )
    _log_channel_or_404(request.user, attachment.entry.channel_id)
    # Read whole (at most MODERATION_ATTACHMENT_MAX_BYTES): the file is closed at once, however
    # the client goes away.
    with attachment.file.open("rb") as stored:
        response = HttpResponse(stored.read(), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=attachment.content_type == "application/pdf", filename=attachment.name
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _export(request, entries, *, fmt: str, title: str, filename: str):
    if fmt == "csv":
        return export.csv_response(entries, filename=f"{filename}.csv")
    if fmt != "print":
        raise Http404
    context = {"entries": entries, "title": title, "columns": export.columns()}
    return render(request, "approvals/moderation_print.html", context)


@login_required
@require_GET
def moderation_export(request, pk: int, fmt: str):
    channel = _log_channel_or_404(request.user, pk)
    data = getattr(_period(request), "cleaned_data", {})
    entries = channel_entries(channel, start=data.get("start"), end=data.get("end"))
    title = _("Moderation log: %(name)s") % {"name": channel.name}
    return _export(request, entries, fmt=fmt, title=title, filename=f"moderation-{channel.pk}")


def _komm_filters(request) -> tuple[KommFilterForm, KommFilters]:
    form = KommFilterForm(request.GET or None)
    if not form.is_valid():
        return form, KommFilters()
    data = form.cleaned_data
    return form, KommFilters(
        channel=data["channel"],
        unit=data["unit"].pk if data["unit"] else None,
        kind=data["kind"],
        ground=data["ground"],
        start=data["start"],
        end=data["end"],
    )


@komm_required
@require_GET
def moderation_komm(request):
    form, filters = _komm_filters(request)
    entries = komm_entries(filters)
    context = {
        "form": form,
        "page_obj": Paginator(entries, 25).get_page(request.GET.get("page")),
        "counts": counts_per_ground(entries),
        "total": entries.count(),
    }
    return render(request, "approvals/moderation_komm.html", context)


@komm_required
@require_GET
def moderation_komm_export(request, fmt: str):
    _form, filters = _komm_filters(request)
    title = _("Moderation log: all channels")
    return _export(request, komm_entries(filters), fmt=fmt, title=title, filename="moderation")
