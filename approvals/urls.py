from django.urls import path

from approvals import closure_views, handover_views, komm_views, overview_views, views

app_name = "approvals"

urlpatterns = [
    # The prefect's link from the e-mail. GET shows, only POST decides (mail scanners open links).
    path("signoff/<str:value>/", views.signoff, name="signoff"),
    # The owner or Komm sends the prefect a new link (POST only); the old one stops working.
    path("channel/<int:pk>/new-signoff-link/", views.signoff_resend, name="signoff_resend"),
    # Komm's queue and review.
    path("komm/", komm_views.queue, name="queue"),
    path("komm/<int:pk>/", komm_views.review, name="review"),
    # Closing a channel: start, the checklist (owner/deputy), Komm's confirmation, calling it off.
    path("channel/<int:pk>/close/", closure_views.closure_start, name="closure_start"),
    path("closure/<int:pk>/", closure_views.closure_detail, name="closure"),
    path("closure/<int:pk>/confirm/", closure_views.closure_confirm, name="closure_confirm"),
    path("closure/<int:pk>/cancel/", closure_views.closure_cancel, name="closure_cancel"),
    # Komm's overview of the registry's health.
    path("komm/overview/", overview_views.overview, name="overview"),
    # Handing a channel over to a new responsible person: start, follow, accept, the checklist,
    # cancel, a new link for the head of department; Komm's list of pending handovers.
    path("channel/<int:pk>/handover/", handover_views.start, name="handover_start"),
    path("handover/<int:pk>/", handover_views.detail, name="handover"),
    path("handover/<int:pk>/accept/", handover_views.accept, name="handover_accept"),
    path("handover/<int:pk>/step/", handover_views.tick_step, name="handover_step"),
    path("handover/<int:pk>/cancel/", handover_views.cancel, name="handover_cancel"),
    path("handover/<int:pk>/new-signoff-link/", handover_views.resend, name="handover_resend"),
    path("komm/handovers/", handover_views.handover_list, name="handovers"),
]
