from django.contrib import admin
from django.urls import include, path

from umusocial import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("language/", views.set_language, name="set_language"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("channels/", include("channels.urls")),
    path("approvals/", include("approvals.urls")),
    path("dev/mail/", include("umusocial.devmail_urls")),
    path("admin/", admin.site.urls),
]
