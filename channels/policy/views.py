"""The policy template filled in for a channel: download it as text, or adopt it in the wizard.

Views translate HTTP; `channels.policy.services` holds the rules. Other staff get 404.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from channels.access import visible_channel_or_404
from channels.policy import services
from channels.policy.publication import policy_publication_record as publication_record
from core.forms import add_service_errors
from core.states import IllegalTransition


@login_required
@require_http_methods(["GET", "HEAD"])
def policy_download(request, pk: int, fmt: str = "txt"):
    """The filled-in template as a text file or a small web page, for the channel's people and
    Komm (others get 404, as on the channel page)."""
    channel = visible_channel_or_404(request.user, pk)
    template = services.policy_template_current()
    if template is None:
        raise Http404
    text = services.policy_fill(channel=channel, template=template, language=get_language())
    if fmt == "html":
        heading, _newline, body = text.strip().partition("\n")
        context = {"channel": channel, "heading": heading, "body": body, "template": template}
        response = render(request, "channels/policy_document.html", context)
    else:
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    filename = f"policy-{slugify(channel.name) or channel.pk}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response


def _take_template(request, channel, service, success: str) -> None:
    """Run `service` (adopt or update) for the user in the page's language; say how it went."""
    try:
        service(channel=channel, user=request.user, language=get_language())
    except (IllegalTransition, ValidationError) as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)


@login_required
@require_POST
def policy_adopt(request, pk: int):
    channel = visible_channel_or_404(request.user, pk)
    success = _("The template, filled in with your answers, is now the channel's policy.")
    _take_template(request, channel, services.policy_adopt, success)
    return redirect("channels:step", pk=channel.pk, step="policy")


@login_required
@require_POST
def policy_update(request, pk: int):
    channel = visible_channel_or_404(request.user, pk)
    success = _("The channel's policy is now the newest template, filled in with its answers.")
    _take_template(request, channel, services.policy_update, success)
    return redirect(channel)


class PublicationForm(forms.Form):
    location = forms.CharField(
        label=_("Where the policy is published"),
        help_text=_("Its address, or “in the profile”."),
        max_length=300,
        required=False,
    )
    responsibility_stated = forms.BooleanField(
        label=_(
            "The profile states that Umeå University is responsible for the channel and that "
            "those who post do so in their service."
        ),
        required=False,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def policy_publication(request, pk: int):
    channel = visible_channel_or_404(request.user, pk)
    existing = getattr(channel, "policy_publication", None)
    initial = {"location": existing.location, "responsibility_stated": True} if existing else {}
    form = PublicationForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            publication_record(channel=channel, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The policy's publication is recorded."))
            return redirect(channel)
    status = 400 if form.errors else 200
    context = {"channel": channel, "form": form}
    return render(request, "channels/policy_publication.html", context, status=status)
