"""The policy template filled in for a channel: download it as text, or adopt it in the wizard.

Views translate HTTP; `channels.policy.services` holds the rules. Other staff get 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from channels.access import visible_channel_or_404
from channels.policy import services
from core.states import IllegalTransition


@login_required
@require_http_methods(["GET", "HEAD"])
def policy_download(request, pk: int):
    channel = visible_channel_or_404(request.user, pk)
    template = services.policy_template_current()
    if template is None:
        raise Http404
    text = services.policy_fill(channel=channel, template=template, language=get_language())
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    filename = f"policy-{slugify(channel.name) or channel.pk}.txt"
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response


@login_required
@require_POST
def policy_adopt(request, pk: int):
    channel = visible_channel_or_404(request.user, pk)
    try:
        services.policy_adopt(channel=channel, user=request.user, language=get_language())
    except (IllegalTransition, ValidationError) as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The template, filled in with your answers, is now the channel's policy.")
        )
    return redirect("channels:step", pk=channel.pk, step="policy")
