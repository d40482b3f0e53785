"""Ad orders: a channel's people order; they and Komm follow the order; Komm moves it on.

Views translate HTTP; the rules live in `approvals.adorders.services` and `.selectors`. An order
and its creatives are 404 for staff with no part in its channels; Komm's list is 403 for others.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from approvals.adorders import selectors, services
from approvals.adorders.forms import (
    AdCreativesForm,
    AdOrderFilterForm,
    AdOrderForm,
    AdOrderMoveForm,
)
from approvals.adorders.models import AdOrder
from approvals.campaigns.filters import state_tabs
from approvals.campaigns.selectors import campaign_channels_for
from channels.access import komm_required
from core.forms import add_service_errors
from core.states import IllegalTransition

PAGE_SIZE = 25


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def ad_order_new(request):
    channels = campaign_channels_for(request.user)
    initial = {"channels": channels.filter(pk=request.GET.get("channel") or 0)}
    form = AdOrderForm(
        request.POST or None, request.FILES or None, channels=channels, initial=initial
    )
    if form.is_bound and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            order = services.ad_order_submit(
                ordered_by=request.user,
                channels=list(fields.pop("channels")),
                attachments=form.cleaned_data["attachments"],
                **fields,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The order is sent to Komm."))
            return redirect("approvals:ad_order", pk=order.pk)
    context = {"form": form, "has_channels": channels.exists()}
    status = 400 if form.errors else 200
    return render(request, "approvals/ad_order_form.html", context, status=status)


def _order_page(request, order: AdOrder, *, form=None, creatives=None, status: int = 200):
    may_add = selectors.ad_order_may_add_creatives(order=order, user=request.user)
    context = {
        "creatives_form": creatives or (AdCreativesForm() if may_add else None),
        "order": order,
        "channels": order.channels.select_related("platform"),
        "attachments": order.attachments.all(),
        "moves": [
            (state, AdOrder.State(state).label)
            for state in selectors.ad_order_moves_for(request.user, order)
        ],
        "form": form or AdOrderMoveForm(),
    }
    return render(request, "approvals/ad_order.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD"])
def ad_order(request, pk: int):
    order = get_object_or_404(
        selectors.ad_orders_visible_to(request.user).select_related("ordered_by"), pk=pk
    )
    return _order_page(request, order)


@login_required
@require_POST
def ad_order_move(request, pk: int):
    order = get_object_or_404(selectors.ad_orders_visible_to(request.user), pk=pk)
    form = AdOrderMoveForm(request.POST)
    if form.is_valid():
        to = form.cleaned_data["to"]
        try:
            services.ad_order_move(
                order=order, to=to, user=request.user, reason=form.cleaned_data["reason"]
            )
        except IllegalTransition as error:
            messages.error(request, " ".join(error.messages))
            return redirect("approvals:ad_order", pk=order.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The order is now “%(state)s”; those concerned have been told.")
                % {"state": AdOrder.State(to).label},
            )
            return redirect("approvals:ad_order", pk=order.pk)
    return _order_page(request, order, form=form, status=400)


@login_required
@require_POST
def ad_order_creatives(request, pk: int):
    order = get_object_or_404(selectors.ad_orders_visible_to(request.user), pk=pk)
    form = AdCreativesForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            added = services.ad_order_add_creatives(
                order=order, user=request.user, attachments=form.cleaned_data["attachments"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)d creative is added; Komm has been told.",
                    "%(n)d creatives are added; Komm has been told.",
                    len(added),
                )
                % {"n": len(added)},
            )
            return redirect("approvals:ad_order", pk=order.pk)
    return _order_page(request, order, creatives=form, status=400)


@login_required
@require_http_methods(["GET", "HEAD"])
def ad_order_attachment(request, pk: int):
    attachment = selectors.ad_attachment_visible_to(request.user, pk)
    if attachment is None:
        raise Http404
    # Read whole (at most MAX_ATTACHMENT_BYTES) so that the file is closed before we answer.
    with attachment.file.open("rb") as file:
        response = HttpResponse(file.read(), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.name) or ""
    response["X-Content-Type-Options"] = "nosniff"
    return response


@komm_required
@require_http_methods(["GET", "HEAD"])
def ad_orders(request):
    form = AdOrderFilterForm(request.GET)
    filters = form.filters()
    orders = selectors.ad_orders_for_komm(**filters)
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.ad_order_counts(**{k: v for k, v in filters.items() if k != "state"})
    open_count = sum(counts[state] for state in AdOrder.OPEN_STATES)
    tabs = state_tabs(
        counts, AdOrder.State, filters["state"], all_label=_("Open orders"), all_count=open_count
    )
    context = {"form": form, "page_obj": page, "orders": page.object_list, "state_tabs": tabs}
    return render(request, "approvals/ad_orders.html", context)
