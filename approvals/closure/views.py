"""Closing a channel: start, the checklist, Komm's confirmation, calling it off.

Views translate HTTP; the rules live in `approvals.closure.services` and
`approvals.closure.selectors`. Other staff get 404 for channels they have no part in; the channel's
people and Komm see the closure; only the channel's people tick steps; only Komm confirms. Who may
act, and in which state, is the services' to say: a view calls one and maps its refusal (403 for
the wrong person, a message for the wrong state), and asks selectors only what to show.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from approvals.closure import services
from approvals.closure.forms import ClosureChecklistForm, ClosureReasonForm
from approvals.closure.selectors import (
    closure_in_progress,
    closure_is_ready,
    closure_steps,
    user_may_start_closure,
    user_may_work_on_closure,
)
from approvals.models import Closure
from channels.access import komm_required, visible_channel_or_404
from channels.models import Channel
from channels.selectors import channels_visible_to, user_is_komm
from core.forms import add_service_errors
from core.states import IllegalTransition


def _visible_closure_or_404(user, pk: int) -> Closure:
    """The closure if the user may see its channel; 404 otherwise, so outsiders learn nothing."""
    closure = get_object_or_404(
        Closure.objects.select_related(
            "channel", "channel__platform", "channel__responsible", "started_by", "confirmed_by"
        ),
        pk=pk,
    )
    if not channels_visible_to(user).filter(pk=closure.channel_id).exists():
        raise Http404
    return closure


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def closure_start(request, pk: int):
    channel = visible_channel_or_404(request.user, pk, "platform", "responsible")
    form = ClosureReasonForm(request.POST if request.method == "POST" else None)
    try:
        if form.is_bound and form.is_valid():
            closure = services.closure_start(
                channel=channel, started_by=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request,
                _("Closing “%(name)s” has started. Work through the checklist below.")
                % {"name": channel.name},
            )
            return redirect("approvals:closure", pk=closure.pk)
        # No closure started: the form is shown only if one could be.
        services.closure_start_check(channel=channel, user=request.user)
    except IllegalTransition as error:
        return _start_refused(request, channel, error)
    except ValidationError as error:
        add_service_errors(form, error)
    return render(
        request,
        "approvals/closure_start.html",
        {"channel": channel, "form": form},
        status=400 if form.errors else 200,
    )


def _start_refused(request, channel: Channel, error: IllegalTransition):
    """Send the user where the reason is shown: the closure already under way, or the channel."""
    in_progress = closure_in_progress(channel)
    if in_progress:
        messages.info(request, " ".join(error.messages))
        return redirect("approvals:closure", pk=in_progress.pk)
    messages.error(request, " ".join(error.messages))
    return redirect(channel)


def _closure_page(request, closure: Closure, *, form=None, cancel_form=None, status=200):
    user = request.user
    in_progress = closure.state == Closure.State.IN_PROGRESS
    may_work = in_progress and user_may_work_on_closure(user, closure)
    may_cancel = in_progress and user_may_start_closure(user, closure.channel)
    ready = closure_is_ready(closure)
    context = {
        "closure": closure,
        "channel": closure.channel,
        "steps": closure_steps(closure),
        "ready": ready,
        "form": form or (ClosureChecklistForm(closure=closure) if may_work and not ready else None),
        "cancel_form": cancel_form or (ClosureReasonForm() if may_cancel else None),
        "may_confirm": in_progress and ready and user_is_komm(user),
    }
    return render(request, "approvals/closure.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def closure_detail(request, pk: int):
    closure = _visible_closure_or_404(request.user, pk)
    if request.method != "POST":
        return _closure_page(request, closure)
    form = ClosureChecklistForm(request.POST, closure=closure)
    if form.is_valid():
        try:
            closure = services.closure_record(
                closure=closure,
                user=request.user,
                archive_location=form.cleaned_data["archive_location"],
                account_outcome=form.cleaned_data["account_outcome"],
                steps_done=form.steps_done(),
            )
        except IllegalTransition:
            return _closure_closed(
                request, closure, _("Nothing was recorded: the closure is “%(state)s”.")
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _recorded_message(closure))
            return redirect("approvals:closure", pk=closure.pk)
    return _closure_page(request, closure, form=form, status=400)


def _recorded_message(closure: Closure) -> str:
    if closure_is_ready(closure):
        return _("Every step is done. Komm has been told that the closure is ready to confirm.")
    return _("The checklist is saved.")


def _closure_closed(request, closure: Closure, message: str):
    """The service refused: the closure is no longer in progress. Say so on its page."""
    closure.refresh_from_db(fields=["state"])
    messages.error(request, message % {"state": closure.get_state_display()})
    return redirect("approvals:closure", pk=closure.pk)


@komm_required
@require_POST
def closure_confirm(request, pk: int):
    closure = get_object_or_404(Closure.objects.select_related("channel"), pk=pk)
    try:
        services.closure_confirm(closure=closure, confirmed_by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("approvals:closure", pk=closure.pk)
    messages.success(
        request,
        _("“%(name)s” is closed. Its people have been told by e-mail.")
        % {"name": closure.channel.name},
    )
    return redirect(closure.channel)


@login_required
@require_POST
def closure_cancel(request, pk: int):
    closure = _visible_closure_or_404(request.user, pk)
    form = ClosureReasonForm(request.POST)
    if form.is_valid():
        try:
            services.closure_cancel(
                closure=closure, user=request.user, reason=form.cleaned_data["reason"]
            )
        except IllegalTransition:
            return _closure_closed(
                request, closure, _("Nothing was changed: the closure is “%(state)s”.")
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The closure of “%(name)s” is called off.") % {"name": closure.channel.name},
            )
            return redirect(closure.channel)
    return _closure_page(request, closure, cancel_form=form, status=400)
