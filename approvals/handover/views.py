"""Handover of a channel's responsibility: start it, follow it, accept it, tick its checklist,
cancel it, and Komm's list of pending handovers. Views translate HTTP; the rules live in
`approvals.handover.services` and `approvals.handover.selectors`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from approvals.handover import services
from approvals.handover.forms import HandoverCancelForm, HandoverStartForm
from approvals.handover.selectors import (
    channels_flagged_for_handover,
    handovers_open,
    user_may_cancel_handover,
    user_may_see_handover,
    user_may_start_handover,
    user_may_tick_handover_step,
)
from approvals.models import Handover
from approvals.signoff.selectors import signoff_prefect
from channels.access import komm_required, visible_channel_or_404
from channels.models import Channel
from channels.selectors import channels_visible_to
from core.forms import add_service_errors
from core.states import IllegalTransition

HANDOVERS_PAGE_SIZE = 25
FLAGGED_PAGE_SIZE = 25

# Where a service's error on one of its arguments shows on the start form.
_START_FIELDS = {
    "new_responsible": "new_responsible_email",
    "new_responsible_phone": "new_responsible_phone",
    "new_deputies": "deputy_1_email",
    "reason": "reason",
    "reason_text": "reason_text",
}


def _handover_or_404(user, pk: int) -> Handover:
    """The handover if the user has a part in it (or is Komm); 404 otherwise, so outsiders learn
    nothing about it."""
    handover = get_object_or_404(
        Handover.objects.select_related(
            "channel",
            "channel__platform",
            "channel__responsible",
            "new_responsible",
            "previous_responsible",
            "started_by",
        ),
        pk=pk,
    )
    if not user_may_see_handover(user, handover):
        raise Http404
    return handover


def _start_page(request, channel: Channel, form: HandoverStartForm):
    status = 400 if request.method == "POST" else 200
    prefect_name, _title, _email = signoff_prefect(channel, handover=True)
    context = {"channel": channel, "form": form, "prefect_name": prefect_name}
    return render(request, "approvals/handover_start.html", context, status=status)


def _start_form(request, channel: Channel, form: HandoverStartForm):
    """The form to fill in, or again with what is wrong with it. Shown only to who may start a
    handover of this channel now; the POST that acts leaves that to the service."""
    if not user_may_start_handover(request.user, channel):
        raise PermissionDenied(
            _("Only the responsible person, a deputy or Komm can start a handover.")
        )
    if channel.state not in Channel.RUNNING_STATES:
        messages.error(request, _("Only an approved or active channel can be handed over."))
        return redirect(channel)
    return _start_page(request, channel, form)


def _start(request, channel: Channel, form: HandoverStartForm):
    """Ask the service, the one guard: PermissionDenied is a 403, a channel not running goes
    back to its page with the reason, and wrong input shows on the form."""
    try:
        handover = services.handover_start(
            channel=channel,
            started_by=request.user,
            new_responsible=form.new_responsible,
            new_responsible_phone=form.cleaned_data["new_responsible_phone"],
            new_deputies=form.new_deputies,
            reason=form.cleaned_data["reason"],
            reason_text=form.cleaned_data["reason_text"],
        )
    except IllegalTransition as error:
        messages.error(request, " ".join(error.messages))
        return redirect(channel)
    except ValidationError as error:
        add_service_errors(form, error, _START_FIELDS)
        return _start_page(request, channel, form)
    messages.success(
        request,
        _(
            "The handover is started. %(prefect)s, head of department, has been e-mailed "
            "a link to appoint %(name)s."
        )
        % {
            "prefect": handover.signoffs.get().prefect_name,
            "name": handover.new_responsible.display_name,
        },
    )
    return redirect("approvals:handover", pk=handover.pk)


@login_required
@require_http_methods(["GET", "POST"])
def handover_start(request, pk: int):
    channel = visible_channel_or_404(request.user, pk, "platform", "responsible")
    form = HandoverStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _start(request, channel, form)
    return _start_form(request, channel, form)


def _detail_context(request, handover: Handover, cancel_form=None) -> dict:
    user = request.user
    steps = [
        {"name": name, "label": label, "done_at": getattr(handover, name)}
        for name, label in Handover.STEPS
    ]
    is_open = handover.is_open
    return {
        "handover": handover,
        "channel": handover.channel,
        "steps": steps,
        "steps_done": sum(1 for step in steps if step["done_at"]),
        "new_deputies": list(handover.new_deputies.all()),
        "can_accept": handover.state == Handover.State.AWAITING_ACCEPTANCE
        and user.pk == handover.new_responsible_id,
        "can_tick": handover.state == Handover.State.IN_PROGRESS
        and user_may_tick_handover_step(user, handover),
        "can_cancel": is_open and user_may_cancel_handover(user, handover),
        "can_resend": handover.state == Handover.State.AWAITING_PREFECT
        and user_may_start_handover(user, handover.channel),
        "cancel_form": cancel_form or HandoverCancelForm(),
        "signoffs": handover.signoffs.all(),
        # The new person reaches the handover before they may see the channel's page.
        "can_view_channel": channels_visible_to(user).filter(pk=handover.channel_id).exists(),
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def handover_detail(request, pk: int):
    handover = _handover_or_404(request.user, pk)
    return render(request, "approvals/handover_detail.html", _detail_context(request, handover))


@login_required
@require_POST
def handover_accept(request, pk: int):
    handover = _handover_or_404(request.user, pk)
    try:
        services.handover_accept(handover=handover, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You accepted the handover. Work through the checklist below."))
    return redirect("approvals:handover", pk=handover.pk)


@login_required
@require_POST
def handover_tick_step(request, pk: int):
    handover = _handover_or_404(request.user, pk)
    step = request.POST.get("step", "")
    try:
        handover = services.handover_tick_step(handover=handover, user=request.user, step=step)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if handover.state == Handover.State.COMPLETED:
            messages.success(
                request,
                _("Every step is done: %(name)s is now responsible for “%(channel)s”.")
                % {
                    "name": handover.new_responsible.display_name,
                    "channel": handover.channel.name,
                },
            )
        else:
            messages.success(
                request,
                _("Recorded: %(step)s.") % {"step": dict(Handover.STEPS)[step]},
            )
    return redirect("approvals:handover", pk=handover.pk)


@login_required
@require_POST
def handover_cancel(request, pk: int):
    handover = _handover_or_404(request.user, pk)
    form = HandoverCancelForm(request.POST)
    if not form.is_valid():
        return _cancel_form_again(request, handover, form)
    try:
        services.handover_cancel(
            handover=handover, user=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The handover is cancelled."))
    return redirect("approvals:handover", pk=handover.pk)


def _cancel_form_again(request, handover: Handover, form: HandoverCancelForm):
    """The cancel form with what is wrong with it, shown only to who may cancel (the service
    would refuse anyone else, so they get the same 403 before they get the form)."""
    if not user_may_cancel_handover(request.user, handover):
        raise PermissionDenied(
            _("Only who started the handover, the responsible person or Komm can cancel it.")
        )
    context = _detail_context(request, handover, cancel_form=form)
    return render(request, "approvals/handover_detail.html", context, status=400)


@login_required
@require_POST
def handover_resend(request, pk: int):
    handover = _handover_or_404(request.user, pk)
    try:
        signoff = services.handover_resend_signoff(handover=handover, requested_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("A new link was sent to %(name)s (%(email)s). The earlier link no longer works.")
            % {"name": signoff.prefect_name, "email": signoff.prefect_email},
        )
    return redirect("approvals:handover", pk=handover.pk)


@komm_required
@require_http_methods(["GET", "HEAD"])
def handover_list(request):
    page = Paginator(handovers_open(), HANDOVERS_PAGE_SIZE).get_page(request.GET.get("page"))
    # The flagged channels wait for someone to start a handover; the longest waiting first.
    flagged = Paginator(channels_flagged_for_handover(), FLAGGED_PAGE_SIZE)
    context = {
        "page_obj": page,
        "handovers": page.object_list,
        "flagged_page": flagged.get_page(request.GET.get("flagged")),
    }
    return render(request, "approvals/handover_list.html", context)
