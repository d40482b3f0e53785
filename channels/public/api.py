"""The open API, read-only JSON under /api/v1/: what the public directory shows, nothing more.

django-ninja generates the OpenAPI document from these typed functions and schemas
(/api/v1/openapi.json); docs/openapi-v1.json is the published copy, and a test fails when the
two drift. Every answer may be read from any origin (CORS for GET); clients are throttled per
address (429 with Retry-After). Answers carry the public pages' Cache-Control, ETag and
Last-Modified, and a conditional GET of an unchanged register gets 304 (channels.public.http).
Errors are {"detail": ...}, ninja's shape, for every status.
"""

from __future__ import annotations

import base64
import json
import math
from datetime import date
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError
from ninja.throttling import AnonRateThrottle

from channels.models import Channel, Platform, Unit
from channels.public.http import public_conditional
from channels.public.selectors import (
    OFFICIAL_STATES,
    public_channels,
    public_channels_after,
    public_channels_filtered,
    public_contact,
    public_contacts,
    public_count,
    public_verify,
)

PAGE_SIZE = 50
INVALID_AFTER = "Invalid 'after': use the 'next' of a previous answer."

api = NinjaAPI(
    title="umusocial: Umeå University's official social media channels",
    version="1",
    description="The public register of official channels, read-only.",
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    # The interactive docs page loads scripts from a CDN, which the site's CSP forbids.
    docs_url=None,
    throttle=[AnonRateThrottle(f"{settings.API_REQUESTS_PER_MINUTE}/m")],
)


class ChannelOut(Schema):
    id: int
    name: str
    platform: str
    platform_name: str
    address: str
    language: str
    status: str  # "official" or "closed"
    closed_on: date | None
    unit_id: int | None
    unit: str | None
    contact: str


class ChannelPage(Schema):
    count: int
    page: int | None  # None when the page was asked for by `after`
    pages: int
    # The next page, as `after` (keyset: as fast however deep), with the same filters; None on
    # the last page. Follow it to read the whole register.
    next: str | None
    results: list[ChannelOut]


class VerifyOut(Schema):
    verdict: str  # "official", "closed" or "unknown"
    channels: list[ChannelOut]


class PlatformOut(Schema):
    slug: str
    name: str
    domains: list[str]


class UnitOut(Schema):
    id: int
    name: str
    name_en: str
    kind: str
    parent_id: int | None


class ChannelFilters(Schema):
    q: str = ""
    platform: str = ""
    unit: int | None = None
    language: str = ""
    page: int = 1
    after: str = ""  # a position from a previous answer's `next`; then `page` is not read


def _out(channel: Channel, contacts: dict[int, str]) -> dict:
    unit = channel.responsible_unit
    return {
        "id": channel.pk,
        "name": channel.name,
        "platform": channel.platform.slug,
        "platform_name": channel.platform.name,
        "address": channel.address,
        "language": channel.language,
        "status": "official" if channel.state in OFFICIAL_STATES else "closed",
        "closed_on": channel.closed_at.date() if channel.closed_at else None,
        "unit_id": unit.pk if unit else None,
        "unit": unit.name if unit else None,
        "contact": public_contact(channel, contacts),
    }


def _cors(view):
    """Every answer may be read from any origin, a 304 too (a browser checks it as well)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapped


# Around every operation, before its checks (mode "view"): the public pages' one caching rule
# (Cache-Control, ETag, Last-Modified, 304 for an unchanged register), then CORS outside it.
api.add_decorator(public_conditional, mode="view")
api.add_decorator(_cors, mode="view")


@api.get("/channels", response=ChannelPage, url_name="channels")
def channel_list(request: HttpRequest, filters: Query[ChannelFilters]):
    """Official and closed channels, with the directory's filters, a page of 50 at a time: by
    number (`page`), or, to read them all, by following each answer's `next`."""
    platform = Platform.objects.filter(slug=filters.platform).first() if filters.platform else None
    unit = Unit.objects.filter(pk=filters.unit).first() if filters.unit else None
    channels = public_channels_filtered(
        q=filters.q, platform=platform, unit=unit, language=filters.language
    )
    count = public_count(channels)
    pages = max(1, math.ceil(count / PAGE_SIZE))
    page: int | None = None
    if filters.after:
        name, pk = _position(filters.after)
        rows = list(public_channels_after(channels, name=name, pk=pk)[: PAGE_SIZE + 1])
    else:
        page = min(max(1, filters.page), pages)
        rows = list(channels[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    more, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
    contacts = public_contacts()
    return {
        "count": count,
        "page": page,
        "pages": pages,
        "next": _next_url(request, rows[-1]) if more else None,
        "results": [_out(c, contacts) for c in rows],
    }


def _next_url(request: HttpRequest, last: Channel) -> str:
    """This list's next page as `after` the last channel shown, the filters kept."""
    query = request.GET.copy()
    query.pop("page", None)
    position = json.dumps([last.name, last.pk], ensure_ascii=False).encode()
    query["after"] = base64.urlsafe_b64encode(position).decode().rstrip("=")
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def _position(after: str) -> tuple[str, int]:
    """(name, pk) from an `after` that _next_url wrote; 400 for anything else."""
    try:
        padded = after + "=" * (-len(after) % 4)
        name, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError):
        raise HttpError(400, INVALID_AFTER) from None
    if not isinstance(name, str) or not isinstance(pk, int):
        raise HttpError(400, INVALID_AFTER)
    return name, pk


@api.get("/channels/{channel_id}", response=ChannelOut, url_name="channel")
def channel_one(request: HttpRequest, channel_id: int):
    return _out(get_object_or_404(public_channels(), pk=channel_id), public_contacts())


@api.get("/verify", response=VerifyOut, url_name="verify")
def verify(request: HttpRequest, url: str):
    """Is this address or handle an official channel, a closed one, or unknown?"""
    verdict = public_verify(url)
    contacts = public_contacts()
    return {"verdict": verdict.kind, "channels": [_out(c, contacts) for c in verdict.channels]}


@api.get("/platforms", response=list[PlatformOut], url_name="platforms")
def platforms(request: HttpRequest):
    return list(Platform.objects.filter(is_active=True))


@api.get("/units", response=list[UnitOut], url_name="units")
def units(request: HttpRequest):
    return list(Unit.objects.order_by("pk"))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)
