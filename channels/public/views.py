"""The public registry (no login): the directory of official channels and "is this account
official?". Reads only through channels.public.selectors, which know nothing of people."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from channels.public.apidocs import api_endpoints
from channels.public.forms import DirectoryFilterForm, VerifyForm
from channels.public.http import public_conditional
from channels.public.selectors import (
    public_channels,
    public_channels_filtered,
    public_contacts,
    public_count,
    public_verify,
)
from core.paginators import KnownCountPaginator

PER_PAGE = 25


def _entries(channels, contacts) -> list[dict]:
    return [
        {"channel": c, "contact": contacts.get(c.responsible_unit_id or 0, "")} for c in channels
    ]


@require_safe
@public_conditional
def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    channels = public_channels_filtered(**form.filters())
    paginator = KnownCountPaginator(channels, PER_PAGE, count=lambda: public_count(channels))
    page_obj = paginator.get_page(request.GET.get("page"))
    contacts = public_contacts()
    return render(
        request,
        "channels/public/directory.html",
        {"form": form, "page_obj": page_obj, "entries": _entries(page_obj, contacts)},
    )


@require_safe
@public_conditional
def verify(request):
    form = VerifyForm(request.GET or None)
    verdict = public_verify(form.cleaned_data["url"]) if form.is_valid() else None
    entries = _entries(verdict.channels, public_contacts()) if verdict else []
    return render(
        request,
        "channels/public/verify.html",
        {"form": form, "verdict": verdict, "entries": entries},
    )


@require_safe
@public_conditional
def api_docs(request):
    """The open API's docs, read from the OpenAPI document it serves."""
    example = public_channels().values_list("pk", flat=True).first()
    root, endpoints = api_endpoints(example_id=example or 1)
    context = {"root": root, "endpoints": endpoints, "schema_url": reverse("api-v1:openapi-json")}
    return render(request, "channels/public/api_docs.html", context)
