"""Komm's register: every channel in every state (not the admin), and its CSV export."""

from __future__ import annotations

import csv

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from channels.access import komm_required
from channels.register.forms import RegisterFilterForm
from channels.register.selectors import (
    CSV_COLUMNS,
    register_channels,
    register_counts,
    register_row,
)


@require_safe
@komm_required
def register(request):
    form = RegisterFilterForm(request.GET or None)
    page_obj = Paginator(register_channels(**form.filters()), 50).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page_obj, "counts": register_counts()}
    return render(request, "channels/register/register.html", context)


@require_safe
@komm_required
def register_csv(request):
    """The whole register or the filtered view, as CSV (UTF-8 with a BOM, so Excel reads it)."""
    form = RegisterFilterForm(request.GET or None)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="umusocial-register-{stamp}.csv"'
    response.write("\ufeff")
    writer = csv.DictWriter(response, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for channel in register_channels(**form.filters()):
        writer.writerow(register_row(channel))
    return response
