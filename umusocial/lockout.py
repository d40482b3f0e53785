"""The page a locked-out sign-in gets (django-axes' AXES_LOCKOUT_CALLABLE)."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """429 with the time the lock ends: every failed attempt restarts the cool-off, so the lock
    ends one cool-off from now (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT, axes' default)."""
    cool_off = get_cool_off(request) or settings.AXES_COOLOFF_TIME
    context = {
        "try_again_at": timezone.localtime() + cool_off,
        "minutes": int(cool_off.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)
