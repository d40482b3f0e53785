"""Evaluations of a running channel: the owner's form. The rules live in
`channels.evaluations.services.evaluation_submit`; this module translates HTTP."""

from __future__ import annotations

from datetime import date
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from channels.access import visible_channel_or_404
from channels.evaluations.forms import EVALUATION_QUESTIONS, EvaluationForm
from channels.evaluations.services import evaluation_submit
from channels.models import Channel, Evaluation
from channels.selectors import user_is_channel_person
from core.forms import add_service_errors


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_new(request, pk: int):
    """The responsible person or a deputy evaluates a running channel (as channels:step: others
    who may see the channel get 403, those who may not get 404)."""
    channel = _evaluable_channel(request, pk)
    if channel is None:
        return redirect("channels:detail", pk=pk)
    if request.method == "GET":
        return _render(request, channel, EvaluationForm(channel=channel))

    form = EvaluationForm(request.POST, channel=channel)
    if form.is_valid():
        try:
            evaluation = evaluation_submit(
                channel=channel, submitted_by=request.user, **_service_input(form)
            )
        except ValidationError as error:
            channel.refresh_from_db()
            _add_registry_errors(form, error)
        else:
            channel.refresh_from_db()
            _say_saved(request, channel, evaluation)
            return redirect(channel)
    return _render(request, channel, form, status=400)


def _evaluable_channel(request, pk: int) -> Channel | None:
    """The channel if the user may evaluate it now; None after queueing a message saying why
    not. Raises 404 for a channel the user may not see, 403 for one they may not edit."""
    channel = visible_channel_or_404(request.user, pk)
    if not user_is_channel_person(user=request.user, channel=channel):
        raise PermissionDenied(
            _("Only the responsible person and the deputies evaluate a channel.")
        )
    if channel.state != Channel.State.ACTIVE:  # one not yet opened has nothing to evaluate
        messages.info(
            request,
            _("A channel that is “%(state)s” is not evaluated.")
            % {"state": channel.get_state_display()},
        )
        return None
    return channel


def _service_input(form: EvaluationForm) -> dict:
    """The form's answers as evaluation_submit's arguments."""
    data = form.cleaned_data
    names: tuple[str, ...] = ("evaluated_on", "summary", *EVALUATION_QUESTIONS, "decision")
    names += ("registry_confirmed",)
    names += ("followers", "posts", "response_time_hours")
    return {**{name: data[name] for name in names}, "corrections": form.corrections()}


def _render(request, channel: Channel, form: EvaluationForm, status: int = 200):
    context = {"channel": channel, "form": form}
    return render(request, "channels/evaluation_form.html", context, status=status)


def _add_registry_errors(form: EvaluationForm, error: ValidationError) -> None:
    """A service error on an entry field (e.g. "address") belongs on its prefixed form field."""
    prefixed = {
        name.removeprefix("registry_"): name
        for name in form.fields
        if name.startswith("registry_") and name.removeprefix("registry_") not in form.fields
    }
    add_service_errors(form, error, prefixed)


def _say_saved(request, channel: Channel, evaluation: Evaluation) -> None:
    # evaluation_submit always sets the next date.
    next_on = date_format(cast(date, channel.next_evaluation_on), "DATE_FORMAT")
    messages.success(
        request,
        _("The evaluation is saved. The next evaluation is due on %(date)s.") % {"date": next_on},
    )
    if evaluation.decision == Evaluation.Decision.CLOSE:
        # Closing is its own process with a checklist and Komm's confirmation; an evaluation
        # only records the decision.
        messages.warning(
            request,
            _(
                "You decided to close the channel. It stays in the registry as it is until you "
                "start its closure from this page."
            ),
        )
    elif not evaluation.registry_confirmed:
        messages.info(request, _("Your corrections of the registry entry are in its history."))
