"""Submitting a registration, the head of department's sign-off by e-mailed link (no account),
and sending a new link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from approvals.signoff.forms import SignoffApproveForm, SignoffDeclineForm
from approvals.signoff.services import (
    SignoffLinkError,
    channel_submit,
    signoff_approve,
    signoff_decline,
    signoff_from_link,
    signoff_request,
)
from channels.access import visible_channel_or_404
from channels.models import Channel
from core.forms import add_service_errors, refuse_for_summary
from core.states import IllegalTransition

# What a dead link answers: invalid links look like any unknown page; the rest are gone for good.
_DEAD_LINK_STATUS = {
    SignoffLinkError.INVALID: 404,
    SignoffLinkError.EXPIRED: 410,
    SignoffLinkError.USED: 410,
    SignoffLinkError.REPLACED: 410,
}


def _private(response: HttpResponse) -> HttpResponse:
    """The link is a credential: keep it out of caches, search engines and other sites' logs.

    `same-origin`, not `no-referrer`: with `no-referrer` browsers send `Origin: null` on the
    form's POST, and Django's CSRF check then refuses the prefect's decision (and the language
    switch). `same-origin` still sends nothing to any other site.
    """
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _dead_link(request, error: SignoffLinkError) -> HttpResponse:
    response = render(
        request,
        f"approvals/link_{error.reason}.html",
        {"signoff": error.signoff},
        status=_DEAD_LINK_STATUS[error.reason],
    )
    return _private(response)


# GET and HEAD only show the application: mail scanners and link previews open links, so only
# the POST of the form decides.
@require_http_methods(["GET", "HEAD", "POST"])
def signoff(request, value: str):
    try:
        signoff = signoff_from_link(value)
    except SignoffLinkError as error:
        return _dead_link(request, error)
    name = signoff.responsible.display_name
    forms = {"approve": SignoffApproveForm(responsible_name=name), "decline": SignoffDeclineForm()}
    decision = request.POST.get("decision") if request.method == "POST" else None
    failed_form: SignoffApproveForm | SignoffDeclineForm | None = None
    if decision == "approve":
        forms[decision] = failed_form = SignoffApproveForm(request.POST, responsible_name=name)
    elif decision == "decline":
        forms[decision] = failed_form = SignoffDeclineForm(request.POST)
    if failed_form is not None and failed_form.is_valid():
        response = _decide(request, signoff, failed_form)
        if response is not None:
            return response
    channel = signoff.channel
    context = {
        "signoff": signoff,
        "channel": channel,
        "deputyships": channel.deputyships.select_related("user"),
        "responsible_name": name,
        "approve_form": forms["approve"],
        "decline_form": forms["decline"],
        "failed_form": failed_form,
    }
    return _private(render(request, "approvals/signoff.html", context))


def _decide(request, signoff, form) -> HttpResponse | None:
    """The head of department's valid decision: the page that follows it, or None when the
    service refused and the form (now with the service's errors) is shown again."""
    try:
        if isinstance(form, SignoffDeclineForm):
            decided = signoff_decline(signoff=signoff, reason=form.cleaned_data["reason"])
        else:
            decided = signoff_approve(signoff=signoff)
    except SignoffLinkError as error:  # decided or replaced while the page was open
        return _dead_link(request, error)
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    return _done(request, decided)


def _done(request, signoff) -> HttpResponse:
    # Rendered directly (no redirect): the token must not be needed again, and the link is used.
    return _private(render(request, "approvals/signoff_done.html", {"signoff": signoff}))


@login_required
@require_POST
def signoff_resend(request, pk: int):
    """The owner, a deputy or Komm sends the head of department a new link."""
    channel = visible_channel_or_404(request.user, pk, "platform")
    try:
        signoff = signoff_request(channel=channel, requested_by=request.user)
    except ValidationError as error:  # not awaiting the head; no address; not independent
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("A new link was sent to %(name)s (%(email)s). The earlier link no longer works.")
            % {"name": signoff.prefect_name, "email": signoff.prefect_email},
        )
    return redirect("channels:detail", pk=channel.pk)


@login_required
@require_POST
def submit(request, pk: int):
    """The owner sends a complete registration on (the wizard's review step)."""
    channel = visible_channel_or_404(request.user, pk)
    try:
        channel_submit(channel=channel, submitted_by=request.user)
    except IllegalTransition as error:  # no longer editable: submitted in another tab
        messages.info(request, " ".join(error.messages))
        return redirect(channel)
    except ValidationError as error:  # incomplete: the review step says why, at its top
        refuse_for_summary(request, error)
        return redirect("channels:step", pk=pk, step="review")
    if channel.state == Channel.State.AWAITING_PREFECT:
        messages.success(
            request,
            _(
                "Submitted. %(name)s, head of department, has been e-mailed a link to approve "
                "the channel."
            )
            % {"name": channel.prefect_name},
        )
    else:
        messages.success(
            request, _("Submitted. The head of department's approval stands; Komm has been told.")
        )
    return redirect(channel)
