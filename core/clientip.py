"""The address a request came from, as login throttling (django-axes) counts it.

Behind the university's reverse proxy every request arrives from the proxy, so REMOTE_ADDR
alone would lock everyone out together. With TRUSTED_PROXY_COUNT proxies in front, the client
is the address the outermost of them saw: that many entries from the right of X-Forwarded-For.
Entries further left were written by the client and can be forged, so they are never read.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    proxies: int = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    if proxies < 1:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        # Fewer hops than configured: the request did not pass through every proxy.
        return remote
    return forwarded[-proxies]
