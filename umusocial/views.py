"""Portal-wide views: the home page, health, the favicon, the language switch and the development
mailbox."""

from __future__ import annotations

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils.translation import check_for_language
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from channels.selectors import user_is_komm
from core.models import OutgoingEmail
from umusocial.celery import app as celery_app
from umusocial.devmail import delivered_copy


def home(request):
    """The start page: the public one, or the signed-in person's own start: Komm's queue for
    Komm (and administrators, who act as Komm), "My channels" for everyone else. Logging in
    lands here too (LOGIN_REDIRECT_URL), so both go to the same place."""
    if request.user.is_authenticated:
        return redirect("approvals:queue" if user_is_komm(request.user) else "channels:my_channels")
    return render(request, "home.html")


def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever the page links: the shipped icon."""
    return redirect(static("favicon.svg"), permanent=True)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # any failure means "not answering"
        return False


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # any failure means "not answering"
        return False


@never_cache
def healthz(request):
    """For load balancers and monitoring: 200 when the database and the broker answer."""
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "error"} | {
        k: "ok" if v else "error" for k, v in checks.items()
    }
    return JsonResponse(body, status=200 if healthy else 503)


@require_POST
def set_language(request):
    """Django's language switch; for a signed-in user the choice also sets their e-mail language."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and check_for_language(language):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


def _debug_only():
    if not settings.DEBUG:
        raise Http404


def devmail_list(request):
    """Every e-mail the portal sent, newest first, readable in the browser; `?to=` keeps those to
    one address (the README's way to the demo's sign-off e-mail). Only when DEBUG is on."""
    _debug_only()
    emails = OutgoingEmail.objects.all()  # newest first (Meta.ordering)
    if to := request.GET.get("to", "").strip():
        emails = emails.filter(to__icontains=to)
    page = Paginator(emails, 25).get_page(request.GET.get("page"))
    return render(request, "devmail/list.html", {"page_obj": page, "to": to})


# The e-mail's HTML is previewed in a srcdoc iframe, which inherits this page's policy; e-mails
# must carry inline styles (mail clients ignore style sheets). DEBUG-only page, so only here.
# (django-csp types its decorators for views that take only the request.)
@csp_update({"style-src": [UNSAFE_INLINE]})  # type: ignore[arg-type]
def devmail_detail(request, pk: int):
    _debug_only()
    email = get_object_or_404(OutgoingEmail, pk=pk)
    # The stored row holds no secret links; the delivered copy (var/mail) does.
    context = {"email": email, "delivered": delivered_copy(email)}
    return render(request, "devmail/detail.html", context)
