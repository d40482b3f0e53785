from django.urls import path

from umusocial import views

app_name = "devmail"

urlpatterns = [
    path("", views.devmail_list, name="list"),
    path("<int:pk>/", views.devmail_detail, name="detail"),
]
