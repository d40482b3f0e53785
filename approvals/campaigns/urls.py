"""The campaign notices' and ad orders' pages, under approvals' namespace (approvals/urls.py)."""

from django.urls import path

from approvals.campaigns import views

urlpatterns = [
    # An owner tells Komm about a campaign; its people and Komm see it; Komm answers.
    path("campaign/new/", views.campaign_notice_new, name="campaign_notice_new"),
    path("campaign/<int:pk>/", views.campaign_notice, name="campaign_notice"),
    path("campaign/<int:pk>/answer/", views.campaign_notice_answer, name="campaign_notice_answer"),
    # Komm's list: this week, coming, past.
    path("komm/campaigns/", views.campaign_notices, name="campaign_notices"),
]
