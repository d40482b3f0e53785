from django.urls import path

from channels import evaluation_views, views

app_name = "channels"

urlpatterns = [
    path("", views.my_channels, name="my_channels"),
    path("new/", views.channel_new, name="new"),
    path("<int:pk>/", views.channel_detail, name="detail"),
    path("<int:pk>/step/<slug:step>/", views.channel_step, name="step"),
    path("<int:pk>/submit/", views.channel_submit, name="submit"),
    path("<int:pk>/open/", views.channel_open, name="open"),
    path("<int:pk>/evaluate/", evaluation_views.evaluation_new, name="evaluate"),
]
