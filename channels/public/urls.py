from django.urls import path

from channels.public import views

app_name = "public"

urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("verify/", views.verify, name="verify"),
]
