"""The campaign notices' and ad orders' pages, under approvals' namespace (approvals/urls.py)."""

from django.urls import path

from approvals.adorders import views as ad_views
from approvals.campaigns import views

urlpatterns = [
    # An owner tells Komm about a campaign; its people and Komm see it; Komm answers.
    path("campaign/new/", views.campaign_notice_new, name="campaign_notice_new"),
    path("campaign/<int:pk>/", views.campaign_notice, name="campaign_notice"),
    path("campaign/<int:pk>/answer/", views.campaign_notice_answer, name="campaign_notice_answer"),
    # Komm's list: this week, coming, past.
    path("komm/campaigns/", views.campaign_notices, name="campaign_notices"),
    # Ad orders: order, follow, move on (Komm) or withdraw (the orderer), the creatives (only
    # through this view: they are stored privately); Komm's list.
    path("ads/new/", ad_views.ad_order_new, name="ad_order_new"),
    path("ads/<int:pk>/", ad_views.ad_order, name="ad_order"),
    path("ads/<int:pk>/move/", ad_views.ad_order_move, name="ad_order_move"),
    # More creatives while the order is submitted or in progress (orderer, channels' people).
    path("ads/<int:pk>/creatives/", ad_views.ad_order_creatives, name="ad_order_creatives"),
    path("ads/creative/<int:pk>/", ad_views.ad_order_attachment, name="ad_order_attachment"),
    path("komm/ads/", ad_views.ad_orders, name="ad_orders"),
]
