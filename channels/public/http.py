"""Caching of the public pages: shared caches may keep an anonymous visitor's page for a few
minutes; a signed-in person's page (it shows their name) only their own browser."""

from __future__ import annotations

from functools import wraps

from django.utils.cache import patch_cache_control, patch_vary_headers

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
