"""Campaign notices: an owner sends one; its people and Komm see it; Komm answers and lists them.

Views translate HTTP; the rules live in `approvals.campaigns.services` and `.selectors`. A notice
is 404 for staff with no part in any of its channels; Komm's pages are 403 for everyone else.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from approvals.campaigns import selectors, services
from approvals.campaigns.filters import KommListFilterForm, state_tabs
from approvals.campaigns.forms import CampaignAnswerForm, CampaignNoticeForm
from approvals.campaigns.models import CampaignNotice
from channels.access import komm_required
from channels.selectors import user_is_komm
from core.forms import add_service_errors
from core.states import IllegalTransition

PAGE_SIZE = 25


def _visible_notice_or_404(user, pk: int) -> CampaignNotice:
    return get_object_or_404(
        selectors.campaign_notices_visible_to(user).select_related("sent_by", "answered_by"),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_notice_new(request):
    channels = selectors.campaign_channels_for(request.user)
    initial = {
        "channels": channels.filter(pk=request.GET.get("channel") or 0),
        "contact": f"{request.user.display_name}, {request.user.email}",
    }
    data = request.POST if request.method == "POST" else None
    form = CampaignNoticeForm(data, channels=channels, initial=initial)
    if form.is_bound and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            notice = services.campaign_notice_send(
                sent_by=request.user, channels=list(fields.pop("channels")), **fields
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The notice is sent to Komm."))
            return redirect("approvals:campaign_notice", pk=notice.pk)
    context = {"form": form, "has_channels": channels.exists()}
    status = 400 if form.errors else 200
    return render(request, "approvals/campaign_notice_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD"])
def campaign_notice(request, pk: int):
    notice = _visible_notice_or_404(request.user, pk)
    return _notice_page(request, notice)


def _notice_page(request, notice: CampaignNotice, *, form=None, status: int = 200):
    may_answer = user_is_komm(request.user) and notice.state != CampaignNotice.State.ACKNOWLEDGED
    context = {
        "notice": notice,
        "channels": notice.channels.select_related("platform"),
        "form": form or (CampaignAnswerForm() if may_answer else None),
    }
    return render(request, "approvals/campaign_notice.html", context, status=status)


@komm_required
@require_POST
def campaign_notice_answer(request, pk: int):
    notice = get_object_or_404(CampaignNotice, pk=pk)
    form = CampaignAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.campaign_notice_answer(
                notice=notice,
                answered_by=request.user,
                acknowledge="acknowledge" in request.POST,
                comment=form.cleaned_data["comment"],
            )
        except IllegalTransition as error:
            messages.error(request, " ".join(error.messages))
            return redirect("approvals:campaign_notice", pk=notice.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The sender has been told by e-mail."))
            return redirect("approvals:campaign_notice", pk=notice.pk)
    return _notice_page(request, notice, form=form, status=400)


@komm_required
@require_http_methods(["GET", "HEAD"])
def campaign_notices(request):
    form = KommListFilterForm(
        request.GET, states=CampaignNotice.State, all_label=_("All"), defaults={"period": "week"}
    )
    filters = form.filters()
    notices = selectors.campaign_notices_in_period(**filters)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.campaign_notice_counts(
        filters["period"], platform=filters["platform"], search=filters["search"]
    )
    tabs = state_tabs(
        counts,
        CampaignNotice.State,
        filters["state"],
        all_label=_("All"),
        all_count=sum(counts.values()),
    )
    context = {
        "form": form,
        "period": filters["period"],
        "page_obj": page,
        "notices": page.object_list,
        "state_tabs": tabs,
    }
    return render(request, "approvals/campaign_notices.html", context)
