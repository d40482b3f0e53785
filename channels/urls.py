from django.urls import path

from channels import views

app_name = "channels"

urlpatterns = [
    path("", views.my_channels, name="my_channels"),
    path("<int:pk>/", views.channel_detail, name="detail"),
]
