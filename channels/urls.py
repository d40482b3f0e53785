from django.urls import path

from channels.evaluations.views import evaluation_new
from channels.policy.views import (
    policy_adopt,
    policy_download,
    policy_publication,
    policy_update,
)
from channels.register.views import (
    register,
    register_csv,
    register_import,
    register_import_confirm,
    register_json,
)
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
    path("register/export.json", register_json, name="register_json"),
    # Importing Komm's spreadsheet: upload and dry run, then confirm (all rows or none).
    path("register/import/", register_import, name="register_import"),
    path("register/import/confirm/", register_import_confirm, name="register_import_confirm"),
    # Komm's policy template filled in with the channel's answers: download, or adopt it.
    path("<int:pk>/policy.txt", policy_download, name="policy_download"),
    path("<int:pk>/policy.html", policy_download, {"fmt": "html"}, name="policy_download_html"),
    path("<int:pk>/policy/adopt/", policy_adopt, name="policy_adopt"),
    # Where a running channel publishes its policy, and that its profile states who is responsible.
    path("<int:pk>/policy/published/", policy_publication, name="policy_publication"),
    # A running channel takes Komm's newest template version as its policy (POST only).
    path("<int:pk>/policy/update/", policy_update, name="policy_update"),
]
