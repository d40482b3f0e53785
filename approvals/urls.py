from django.urls import path

from approvals.campaigns import urls as campaign_urls
from approvals.closure.views import closure_cancel, closure_confirm, closure_detail, closure_start
from approvals.handover.views import (
    handover_accept,
    handover_cancel,
    handover_detail,
    handover_list,
    handover_resend,
    handover_start,
    handover_tick_step,
)
from approvals.moderation.views import (
    moderation_attachment,
    moderation_export,
    moderation_komm,
    moderation_komm_export,
    moderation_log,
    moderation_record,
)
from approvals.overview.views import overview
from approvals.review.views import queue, review
from approvals.signoff.views import signoff, signoff_resend, submit

app_name = "approvals"

urlpatterns = [
    # The owner sends a complete registration on (the wizard's last step).
    path("channel/<int:pk>/submit/", submit, name="submit"),
    # The prefect's link from the e-mail. GET shows, only POST decides (mail scanners open links).
    path("signoff/<str:value>/", signoff, name="signoff"),
    # The owner or Komm sends the prefect a new link (POST only); the old one stops working.
    path("channel/<int:pk>/new-signoff-link/", signoff_resend, name="signoff_resend"),
    # Komm's queue and review.
    path("komm/", queue, name="queue"),
    path("komm/<int:pk>/", review, name="review"),
    # Closing a channel: start, the checklist (owner/deputy), Komm's confirmation, calling it off.
    path("channel/<int:pk>/close/", closure_start, name="closure_start"),
    path("closure/<int:pk>/", closure_detail, name="closure"),
    path("closure/<int:pk>/confirm/", closure_confirm, name="closure_confirm"),
    path("closure/<int:pk>/cancel/", closure_cancel, name="closure_cancel"),
    # Komm's overview of the registry's health.
    path("komm/overview/", overview, name="overview"),
    # Handing a channel over to a new responsible person: start, follow, accept, the checklist,
    # cancel, a new link for the head of department; Komm's list of pending handovers.
    path("channel/<int:pk>/handover/", handover_start, name="handover_start"),
    path("handover/<int:pk>/", handover_detail, name="handover"),
    path("handover/<int:pk>/accept/", handover_accept, name="handover_accept"),
    path("handover/<int:pk>/step/", handover_tick_step, name="handover_step"),
    path("handover/<int:pk>/cancel/", handover_cancel, name="handover_cancel"),
    path("handover/<int:pk>/new-signoff-link/", handover_resend, name="handover_resend"),
    path("komm/handovers/", handover_list, name="handovers"),
    # The moderation log (issue 9): a channel's log and blocking list, recording an entry of a
    # kind, an attachment by its random key, the export (csv or print); Komm's view across all.
    path("channel/<int:pk>/moderation/", moderation_log, name="moderation_log"),
    path(
        "channel/<int:pk>/moderation/new/<str:kind>/", moderation_record, name="moderation_record"
    ),
    path("moderation/file/<uuid:key>/", moderation_attachment, name="moderation_attachment"),
    path(
        "channel/<int:pk>/moderation/export/<str:fmt>/", moderation_export, name="moderation_export"
    ),
    path("komm/moderation/", moderation_komm, name="moderation_komm"),
    path(
        "komm/moderation/export/<str:fmt>/", moderation_komm_export, name="moderation_komm_export"
    ),
]

# Campaign notices and ad orders (approvals/campaigns/urls.py).
urlpatterns += campaign_urls.urlpatterns
