"""Komm and admins are signed out after a working day without activity (docs/security.md)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from channels.selectors import user_is_komm


def user_has_privileged_session(user) -> bool:
    """Komm can approve any channel and admins can change anything: their sessions are short."""
    return bool(user.is_authenticated and (user.is_staff or user_is_komm(user)))


class PrivilegedSessionTimeout:
    """After each request of Komm or an admin, the session's expiry is set again to
    PRIVILEGED_SESSION_IDLE_SECONDS from now. Setting it marks the session changed, so
    SessionMiddleware stores the new expiry date: the clock restarts with every request, and a
    session left alone for that long is gone. Other staff keep SESSION_COOKIE_AGE from sign-in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # After the view: a sign-in in this very request is covered, a sign-out is not.
        user = getattr(request, "user", None)
        if user is not None and user_has_privileged_session(user):
            request.session.set_expiry(settings.PRIVILEGED_SESSION_IDLE_SECONDS)
        return response
