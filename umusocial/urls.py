from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from channels.public.api import api as public_api
from umusocial import signin, views

# Signing in (umusocial/signin.py): the login page offers the university's sign-in, and
# LOCAL_LOGIN=false turns the password form and its reset off.
accounts = [
    path("login/", signin.login, name="login"),
    path("password_reset/", signin.password_reset, name="password_reset"),
    path("password_reset/done/", signin.password_reset_done, name="password_reset_done"),
    path("reset/<uidb64>/<token>/", signin.password_reset_confirm, name="password_reset_confirm"),
    path("reset/done/", signin.password_reset_complete, name="password_reset_complete"),
]
# The university's sign-in (djangosaml2's views; 404 unless SAML is configured). The SP's
# metadata for the identity provider is at /saml2/metadata/.
saml = [
    path("login/", signin.saml_login, name="saml2_login"),
    path("acs/", signin.saml_acs, name="saml2_acs"),
    path("metadata/", signin.saml_metadata, name="saml2_metadata"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("language/", views.set_language, name="set_language"),
    # Signing in and out, and the reset by e-mail of a local account's password (the issue asks
    # for it; docs/security.md weighs it). No password change: staff use the university's
    # sign-in. Django's LogoutView accepts only POST.
    path("accounts/", include(accounts)),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("saml2/", include(saml)),
    path("channels/", include("channels.urls")),
    # The public registry (no login): /directory/, /verify/ (channels/public/).
    path("", include("channels.public.urls")),
    # The open API, read-only JSON (channels/public/api.py); its schema at /api/v1/openapi.json.
    path("api/v1/", public_api.urls),
    # Reporting a suspected fake account (no login), and Komm's queue of reports.
    path("", include("approvals.reports.urls")),
    path("approvals/", include("approvals.urls")),
    path("dev/mail/", include("umusocial.devmail_urls")),
    path("admin/", admin.site.urls),
]
