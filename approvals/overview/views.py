"""Komm's overview: the registry's health at a glance. The reads are in
`approvals.overview.selectors` (komm_overview), a bounded number of queries however big the
registry."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from approvals.models import Closure
from approvals.overview.selectors import komm_overview
from channels.access import komm_required

# The SVG bar chart's geometry (user units of its viewBox).
CHART_LABEL_WIDTH = 230
CHART_BAR_MAX = 300
CHART_ROW = 28


def _url_or_channel(name: str, pk: int, channel_pk: int) -> str:
    """The page for an object if that route exists, else the channel's page."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return reverse("channels:detail", args=[channel_pk])


def _bar_chart(rows: list[tuple[str, int]], *, title: str) -> dict:
    """A horizontal bar chart drawn in the template as inline SVG: no script, no CDN.

    The chart is role="img" with a label that says everything it shows; the table next to it is
    the accessible equivalent with the same numbers.
    """
    biggest = max((value for _label, value in rows), default=0) or 1
    bars = [
        {
            "label": label,
            "value": value,
            "y": i * CHART_ROW,
            "text_y": i * CHART_ROW + 16,
            "width": round(CHART_BAR_MAX * value / biggest) if value else 0,
            "value_x": CHART_LABEL_WIDTH + (round(CHART_BAR_MAX * value / biggest)) + 6,
        }
        for i, (label, value) in enumerate(rows)
    ]
    summary = "; ".join(f"{label}: {value}" for label, value in rows)
    return {
        "title": title,
        "summary": f"{title}. {summary}." if rows else title,
        "bars": bars,
        "label_width": CHART_LABEL_WIDTH,
        "bar_x": CHART_LABEL_WIDTH,
        "width": CHART_LABEL_WIDTH + CHART_BAR_MAX + 50,
        "height": max(len(rows), 1) * CHART_ROW,
    }


@komm_required
@require_http_methods(["GET", "HEAD"])
def overview(request):
    data = komm_overview(today=timezone.localdate())
    for handover in data["pending_handovers"]["items"]:
        handover.link = _url_or_channel("approvals:handover", handover.pk, handover.channel_id)
    for signoff in data["pending_signoffs"]["items"]:
        if signoff.handover_id:
            signoff.link = _url_or_channel(
                "approvals:handover", signoff.handover_id, signoff.channel_id
            )
        else:
            signoff.link = reverse("approvals:review", args=[signoff.channel_id])
    for closure in data["closures_in_progress"]["items"]:
        closure.steps_total = len(Closure.STEPS)
        closure.steps_done = sum(1 for name, _label in Closure.STEPS if getattr(closure, name))
    states = data["states"]
    platforms = data["platforms"]
    context = {
        **data,
        "total": sum(row["count"] for row in states),
        "state_chart": _bar_chart(
            [(str(row["label"]), row["count"]) for row in states],
            title=_("Channels per state"),
        ),
        "platform_chart": _bar_chart(
            [(p.name, p.running) for p in platforms],
            title=_("Running channels (approved or active) per platform"),
        ),
    }
    return render(request, "approvals/overview.html", context)
