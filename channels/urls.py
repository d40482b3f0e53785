from django.urls import path

from channels.evaluations.views import evaluation_new
from channels.register.views import register, register_csv
from channels.views import channel_detail, channel_open, my_channels
from channels.wizard.views import channel_new, channel_step

app_name = "channels"

urlpatterns = [
    path("", my_channels, name="my_channels"),
    path("new/", channel_new, name="new"),
    path("<int:pk>/", channel_detail, name="detail"),
    path("<int:pk>/step/<slug:step>/", channel_step, name="step"),
    path("<int:pk>/open/", channel_open, name="open"),
    path("<int:pk>/evaluate/", evaluation_new, name="evaluate"),
    # Komm's register of every channel, and its export.
    path("register/", register, name="register"),
    path("register/export.csv", register_csv, name="register_csv"),
]
