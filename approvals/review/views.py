"""Komm's queue and review pages. Views translate HTTP; the rules live in
`approvals.review.selectors` (the queue) and `approvals.review.services.review_decide` (the
decision: who may make it and in which state; the page maps its refusal to a message)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from approvals.models import KommReview, PrefectSignoff
from approvals.review.forms import QueueFilterForm, ReviewDecisionForm
from approvals.review.selectors import QUEUE_ALL, QUEUE_STATES, komm_queue, komm_queue_counts
from approvals.review.services import review_decide, review_decide_check
from channels.access import komm_required
from channels.models import Channel
from core.forms import add_service_errors
from core.paginators import KnownCountPaginator
from core.states import IllegalTransition

QUEUE_PAGE_SIZE = 25


def _state_tabs(counts: dict[str, int], *, current: str) -> list[dict]:
    return [
        {
            "value": state,
            "label": Channel.State(state).label if state != QUEUE_ALL else _("All"),
            "count": counts[state],
            "current": state == current,
        }
        for state in (*QUEUE_STATES, QUEUE_ALL)
    ]


@komm_required
@require_http_methods(["GET", "HEAD"])
def queue(request):
    form = QueueFilterForm(request.GET)
    filters = form.filters()
    channels = komm_queue(**filters)
    counts = komm_queue_counts(
        platform=filters["platform"], unit=filters["unit"], search=filters["search"]
    )
    # The list's total is its tab's count: one count, not two.
    paginator = KnownCountPaginator(
        channels, QUEUE_PAGE_SIZE, count=lambda: counts[filters["state"]]
    )
    page = paginator.get_page(request.GET.get("page"))
    state_tabs = _state_tabs(counts, current=filters["state"])
    context = {
        "form": form,
        "page_obj": page,
        "channels": page.object_list,
        "state_tabs": state_tabs,
        "current_state": filters["state"],
        "newest_first": filters["newest_first"],
        "filtered": bool(filters["platform"] or filters["unit"] or filters["search"]),
    }
    return render(request, "approvals/queue.html", context)


def _review_channel(pk: int) -> Channel:
    return get_object_or_404(
        Channel.objects.select_related(
            "platform", "responsible", "sender_unit", "responsible_unit", "created_by"
        ),
        pk=pk,
    )


@komm_required
@require_http_methods(["GET", "HEAD", "POST"])
def review(request, pk: int):
    channel = _review_channel(pk)
    if request.method != "POST":
        # What to show: the decision form while the channel awaits Komm, else the page read-only.
        decidable = channel.state == Channel.State.AWAITING_KOMM
        return _review_page(request, channel, ReviewDecisionForm() if decidable else None)
    form = ReviewDecisionForm(request.POST)
    try:
        if form.is_valid():
            review = review_decide(
                channel=channel,
                reviewer=request.user,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
                case_number=form.cleaned_data["case_number"],
            )
            messages.success(request, _decided_message(review))
            return redirect("approvals:queue")
        # Nothing decided: the form's errors are worth showing only if a decision could be made.
        review_decide_check(channel=channel, reviewer=request.user)
    except IllegalTransition as error:  # not awaiting Komm, or decided meanwhile by someone else
        messages.error(request, " ".join(error.messages))
        return redirect("approvals:review", pk=channel.pk)
    except ValidationError as error:
        add_service_errors(form, error)
    return _review_page(request, channel, form, status=400)


def _review_page(request, channel: Channel, form: ReviewDecisionForm | None, status: int = 200):
    signoffs = list(channel.signoffs.select_related("responsible"))
    context = {
        "channel": channel,
        "form": form,
        "signoffs": signoffs,
        # The request that counts: the newest one not replaced by a new link.
        "prefect_decision": next(
            (s for s in signoffs if s.decision != PrefectSignoff.Decision.REPLACED), None
        ),
        "reviews": channel.reviews.select_related("reviewer"),
        "audit_entries": channel.audit_entries.all(),
    }
    return render(request, "approvals/review.html", context, status=status)


def _decided_message(review: KommReview) -> str:
    messages_by_decision: dict[str, str] = {
        KommReview.Decision.APPROVED: _(
            "“%(name)s” is approved. The owner has been told by e-mail."
        ),
        KommReview.Decision.CHANGES_REQUESTED: _(
            "Changes were requested for “%(name)s”. The owner has been told by e-mail."
        ),
        KommReview.Decision.REJECTED: _(
            "“%(name)s” is rejected. The owner has been told by e-mail."
        ),
    }
    return messages_by_decision[review.decision] % {"name": review.channel.name}
