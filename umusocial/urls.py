from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from umusocial import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("language/", views.set_language, name="set_language"),
    # Only signing in and out: no password reset by e-mail (a compromised mailbox must not be a
    # way into an account, docs/security.md) and no password change (staff use the university's
    # sign-in). Django's LogoutView accepts only POST.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("channels/", include("channels.urls")),
    path("approvals/", include("approvals.urls")),
    path("dev/mail/", include("umusocial.devmail_urls")),
    path("admin/", admin.site.urls),
]
