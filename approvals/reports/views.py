"""Reporting a suspected fake account (the public, no login) and Komm's queue of reports."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from approvals.reports.forms import ReportDecideForm, ReportForm
from approvals.reports.models import SuspectedAccountReport
from approvals.reports.selectors import reports_for_queue
from approvals.reports.services import RateLimited, report_decide, report_submit
from channels.access import komm_required
from core.clientip import client_ip
from core.forms import add_service_errors
from core.states import IllegalTransition


@require_http_methods(["GET", "POST"])
def report_new(request):
    form = ReportForm(request.POST or None, initial={"address": request.GET.get("url", "")})
    if request.method == "POST" and form.is_valid():
        if form.is_spam():  # a robot: answer as if it worked, store and send nothing
            return redirect("reports:thanks")
        data = {k: form.cleaned_data[k] for k in ("address", "reason", "contact")}
        try:
            report_submit(**data, client=client_ip(request) or "unknown")
        except RateLimited as error:
            add_service_errors(form, error)
            return render(request, "approvals/reports/new.html", {"form": form}, status=429)
        return redirect("reports:thanks")
    return render(request, "approvals/reports/new.html", {"form": form})


@require_safe
def report_thanks(request):
    return render(request, "approvals/reports/thanks.html")


@require_safe
@komm_required
def report_queue(request):
    show = "all" if request.GET.get("show") == "all" else "open"
    page_obj = Paginator(reports_for_queue(show=show), 50).get_page(request.GET.get("page"))
    return render(request, "approvals/reports/queue.html", {"page_obj": page_obj, "show": show})


@require_http_methods(["GET", "POST"])
@komm_required
def report_detail(request, pk: int):
    report = get_object_or_404(SuspectedAccountReport, pk=pk)
    form = ReportDecideForm(request.POST or None, report=report)
    if request.method == "POST" and form.is_valid():
        try:
            report_decide(report=report, decided_by=request.user, **form.cleaned_data)
        except IllegalTransition as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The report's state is saved."))
        return redirect("reports:detail", pk=report.pk)
    context = {"report": report, "form": form, "events": report.events.select_related("actor")}
    return render(request, "approvals/reports/detail.html", context)
