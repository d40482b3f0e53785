"""The channel page and "My channels". Views translate HTTP; the rules live in
`channels.services` and `channels.selectors`; the workflows add their sections through
`channels.hooks`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from channels.access import visible_channel_or_404
from channels.forms import OpenForm
from channels.models import Channel
from channels.next_step import channel_next_steps
from channels.selectors import channels_for_owner_page, user_is_channel_person
from channels.services import (
    channel_mark_opened,
)
from channels.wizard.forms import STEPS
from core.forms import add_service_errors

# --- the owner's pages -----------------------------------------------------------------------


def _detail_context(request, channel: Channel, open_form: OpenForm | None = None) -> dict:
    can_edit = user_is_channel_person(user=request.user, channel=channel)
    if open_form is None and can_edit and channel.state == Channel.State.APPROVED:
        open_form = OpenForm(channel=channel)
    next_step, *more_steps = channel_next_steps(channel)
    return {
        "channel": channel,
        "next_step": next_step,
        "more_steps": more_steps,
        "can_edit": can_edit,
        "open_form": open_form,
        "deputyships": channel.deputyships.select_related("user"),
        "audit_entries": channel.audit_entries.all(),
        "steps": STEPS,
    }


@login_required
@require_http_methods(["GET"])
def channel_detail(request, pk: int):
    channel = visible_channel_or_404(request.user, pk)
    return render(request, "channels/detail.html", _detail_context(request, channel))


@login_required
@require_POST
def channel_open(request, pk: int):
    channel = visible_channel_or_404(request.user, pk)
    if not user_is_channel_person(user=request.user, channel=channel):
        raise PermissionDenied(_("Only the responsible person and the deputies open a channel."))
    if channel.state != Channel.State.APPROVED:
        messages.error(request, _("Only a channel that Komm has approved can be marked as opened."))
        return redirect(channel)
    form = OpenForm(request.POST, channel=channel)
    if form.is_valid():
        try:
            channel_mark_opened(
                channel=channel, opened_by=request.user, address=form.cleaned_data.get("address")
            )
        except ValidationError as error:
            channel.refresh_from_db()
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(name)s” is now active.") % {"name": channel.name})
            return redirect(channel)
    context = _detail_context(request, channel, open_form=form)
    return render(request, "channels/detail.html", context, status=400)


@login_required
@require_http_methods(["GET"])
def my_channels(request):
    page = Paginator(channels_for_owner_page(request.user), 20).get_page(request.GET.get("page"))
    rows = [
        {
            "channel": channel,
            "steps": channel_next_steps(channel),
            "role": _role(request.user, channel),
        }
        for channel in page
    ]
    return render(request, "channels/my_channels.html", {"page_obj": page, "rows": rows})


def _role(user, channel: Channel) -> str:
    if channel.responsible_id == user.pk:
        return "responsible"
    if any(d.user_id == user.pk for d in channel.deputyships.all()):
        return "deputy"
    return "creator"
