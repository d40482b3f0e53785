"""Komm's register: every channel in every state (not the admin), its CSV and JSON export, and
the import of Komm's spreadsheet (a dry run, then a confirmation)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from channels.access import komm_required
from channels.register.export import register_write
from channels.register.forms import ImportConfirmForm, ImportUploadForm, RegisterFilterForm
from channels.register.importing import (
    ImportFileError,
    parse_registry_file,
    registry_import_commit,
    registry_import_plan,
)
from channels.register.importing.token import import_text_from_token, import_token
from channels.register.selectors import (
    register_channels,
    register_counts,
    register_row,
    register_total,
)
from core.paginators import KnownCountPaginator

IMPORT_TEMPLATE = "channels/register/import.html"


@require_safe
@komm_required
def register(request):
    form = RegisterFilterForm(request.GET or None)
    filters = form.filters()
    channels = register_channels(**filters)
    paginator = KnownCountPaginator(channels, 50, count=lambda: register_total(channels, **filters))
    page_obj = paginator.get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page_obj, "counts": register_counts()}
    return render(request, "channels/register/register.html", context)


def _download(request, content_type: str, extension: str) -> tuple[HttpResponse, list[dict]]:
    """The response of an export (named by today's date) and the rows of the filtered view."""
    form = RegisterFilterForm(request.GET or None)
    response = HttpResponse(content_type=f"{content_type}; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="umusocial-register-{stamp}.{extension}"'
    )
    return response, [register_row(channel) for channel in register_channels(**form.filters())]


@require_safe
@komm_required
def register_csv(request):
    """The whole register or the filtered view, as CSV (UTF-8 with a BOM, so Excel reads it)."""
    response, rows = _download(request, "text/csv", "csv")
    response.write("\ufeff")
    register_write(response, rows, fmt="csv")
    return response


@require_safe
@komm_required
def register_json(request):
    """The same rows as the CSV, as a JSON list of objects with the same field names (and as
    `manage.py export_registry --format json`)."""
    response, rows = _download(request, "application/json", "json")
    register_write(response, rows, fmt="json")
    return response


def _import_page(request, form, plan=None, token: str = "", status: int = 200):
    context = {
        "form": form,
        "plan": plan,
        "confirm_form": ImportConfirmForm(initial={"token": token}) if token else None,
    }
    return render(request, IMPORT_TEMPLATE, context, status=status)


@require_http_methods(["GET", "POST"])
@komm_required
def register_import(request):
    """Upload Komm's spreadsheet: the dry run shows what each row would do; nothing is written."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if not form.is_valid():
        return _import_page(request, form)
    data = form.cleaned_data["file"].read()
    try:
        plan = registry_import_plan(parse_registry_file(data))
    except ImportFileError as error:
        form.add_error("file", str(error))
        return _import_page(request, form)
    ready = not plan.has_errors and plan.changes_anything
    return _import_page(
        request, form, plan, import_token(data=data, user=request.user) if ready else ""
    )


@require_POST
@komm_required
def register_import_confirm(request):
    """Write what the dry run showed, all rows or none (the rows are checked again)."""
    token = ImportConfirmForm(request.POST).data.get("token", "")
    try:
        rows = parse_registry_file(import_text_from_token(token=token, user=request.user))
    except ImportFileError as error:
        messages.error(request, str(error))
        return redirect("channels:register_import")
    try:
        plan = registry_import_commit(rows=rows, imported_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _import_page(request, ImportUploadForm(), registry_import_plan(rows), status=409)
    counts = {outcome: n for outcome, _label, n in plan.counts()}
    messages.success(
        request,
        _("The file is imported: %(create)s created, %(update)s updated, %(unchanged)s unchanged.")
        % counts,
    )
    return redirect("channels:register")
