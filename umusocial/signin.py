"""Signing in: the login page (password form and/or the university's sign-in), the password
reset of local accounts, and the page shown when the university's sign-in is refused.

The SAML views themselves are djangosaml2's; they answer only when SAML is configured
(settings.SAML_ENABLED), so a portal without an identity provider has no half-working endpoints.
They are imported on their first request: pysaml2 loads XML schemas worth about 28 MB, which
every other process (the Celery workers, the reminder sweep, a web process that never sees a
SAML request) would carry for nothing once the URLconf is loaded.
"""

from __future__ import annotations

from functools import cache, wraps

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.shortcuts import render
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt

from core.saml import is_staff_member


def _when(flag: str):
    """A view that exists only while the setting `flag` is on (404 otherwise)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not getattr(settings, flag):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


class LoginView(auth_views.LoginView):
    """Django's login page, offering the university's sign-in when it is configured; with
    LOCAL_LOGIN off the password form is neither shown nor accepted."""

    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if not settings.LOCAL_LOGIN:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            saml_enabled=settings.SAML_ENABLED, local_login=settings.LOCAL_LOGIN, **kwargs
        )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by e-mail for local accounts (only those with a usable password: a person
    named before signing in has none). Sent straight away, not through the outbox: the outbox
    keeps every e-mail's body, and a reset link must not be kept anywhere."""

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


login = LoginView.as_view()
password_reset = _when("LOCAL_LOGIN")(PasswordResetView.as_view())
password_reset_done = _when("LOCAL_LOGIN")(auth_views.PasswordResetDoneView.as_view())
password_reset_confirm = _when("LOCAL_LOGIN")(auth_views.PasswordResetConfirmView.as_view())
password_reset_complete = _when("LOCAL_LOGIN")(auth_views.PasswordResetCompleteView.as_view())


@cache
def _djangosaml2_view(name: str):
    """djangosaml2's view `name`, imported and built once, on its first request."""
    return import_string(f"djangosaml2.views.{name}").as_view()


def _saml_view(name: str):
    """djangosaml2's view `name`: its module (and pysaml2's schemas) loaded only when asked."""

    @_when("SAML_ENABLED")
    def view(request, *args, **kwargs):
        return _djangosaml2_view(name)(request, *args, **kwargs)

    return view


saml_login = _saml_view("LoginView")
# The identity provider posts the response from its own site (djangosaml2 exempts it too).
saml_acs = csrf_exempt(_saml_view("AssertionConsumerServiceView"))
saml_metadata = _saml_view("MetadataView")

# Why a sign-in was refused, by what pysaml2 or the backend found. Anything else is "invalid".
_REASONS = (
    ("saml2.response.UnsolicitedResponse", "unsolicited"),
    ("saml2.validate.ResponseLifetimeExceed", "expired"),
    ("saml2.validate.ToEarly", "expired"),
    ("saml2.sigver.SignatureError", "invalid"),
)


def saml_refused(request, exception=None, status=403, **kwargs):
    """djangosaml2's SAML_ACS_FAILURE_RESPONSE_FUNCTION: one page, in Swedish and English, that
    says why. No one is logged in: djangosaml2 calls this before or instead of login()."""
    session_info = kwargs.get("session_info") or {}
    if session_info and not is_staff_member(session_info.get("ava", {})):
        reason = "not_staff"
    else:
        reason = next(
            (code for kind, code in _REASONS if isinstance(exception, import_string(kind))),
            "invalid",
        )
    return render(
        request,
        "registration/saml_refused.html",
        {"reason": reason, "languages": sorted(("sv", "en"), key=lambda c: c != get_language())},
        status=403 if reason == "not_staff" else max(status, 400),
    )
