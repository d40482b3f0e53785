"""Who reaches which page: the one helper per access level that every view uses.

The rule itself lives in `channels.selectors` (guardian's object permissions); these turn it
into HTTP: 404 for a channel the user may not see, so that outsiders learn nothing, and 403 for
pages that only Komm may open.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from channels.models import Channel
from channels.selectors import channels_visible_to, user_is_komm


def visible_channel_or_404(user, pk: int, *related: str) -> Channel:
    """The channel if the user may see it (its people, Komm); 404 otherwise."""
    related = related or (
        "platform",
        "responsible",
        "sender_unit",
        "responsible_unit",
        "created_by",
    )
    return get_object_or_404(channels_visible_to(user).select_related(*related), pk=pk)


def komm_required(view):
    """Komm only (the review permission, also through superuser). Anonymous users are sent to
    log in; other logged-in users get 403."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not user_is_komm(request.user):
            raise PermissionDenied(_("Only Komm reviews channels."))
        return view(request, *args, **kwargs)

    return wrapped
