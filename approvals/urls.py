from django.urls import path

from approvals import komm_views, views

app_name = "approvals"

urlpatterns = [
    # The prefect's link from the e-mail. GET shows, only POST decides (mail scanners open links).
    path("signoff/<str:value>/", views.signoff, name="signoff"),
    # The owner or Komm sends the prefect a new link (POST only); the old one stops working.
    path("channel/<int:pk>/new-signoff-link/", views.signoff_resend, name="signoff_resend"),
    # Komm's queue and review.
    path("komm/", komm_views.queue, name="queue"),
    path("komm/<int:pk>/", komm_views.review, name="review"),
]
