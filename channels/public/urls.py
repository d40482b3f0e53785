from django.urls import path

from channels.public import views

app_name = "public"

urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("verify/", views.verify, name="verify"),
    # The open API's docs (the API itself is channels.public.api, mounted at /api/v1/).
    path("api/v1/docs", views.api_docs, name="api_docs"),
]
