"""Caching of the public register, one rule for its pages and its API: shared caches may keep
an anonymous visitor's answer for a few minutes, a signed-in person's page (it shows their
name) only their own browser; and every answer carries an ETag and Last-Modified, so a
conditional GET of an unchanged register gets 304 Not Modified."""

from __future__ import annotations

import hashlib
from functools import wraps

from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import condition

from channels.public.selectors import public_register_version

PUBLIC_MAX_AGE = 300


def public_cache(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        anonymous = not request.user.is_authenticated
        patch_cache_control(
            response, public=anonymous, private=not anonymous, max_age=PUBLIC_MAX_AGE
        )
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
        return response

    return wrapped


def _version(request):
    # Asked by both the ETag and the Last-Modified function: read once per request.
    if not hasattr(request, "_public_version"):
        request._public_version = public_register_version()
    return request._public_version


def register_etag(request, *args, **kwargs) -> str:
    """Same register, same query, same language and same reader: same answer."""
    version, _last = _version(request)
    variant = f"{version}|{request.get_full_path()}|{get_language()}|{request.user.pk}"
    return hashlib.sha256(variant.encode()).hexdigest()[:32]


def register_last_modified(request, *args, **kwargs):
    return _version(request)[1]


def public_conditional(view):
    """Cache-Control, ETag and Last-Modified, and 304 for a conditional GET of an unchanged
    register: the public pages and every operation of the API (channels.public.api)."""
    return public_cache(
        condition(etag_func=register_etag, last_modified_func=register_last_modified)(view)
    )
