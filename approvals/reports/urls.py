from django.urls import path

from approvals.reports import views

app_name = "reports"

urlpatterns = [
    # The public (no login): report a suspected fake account.
    path("report/", views.report_new, name="new"),
    path("report/thanks/", views.report_thanks, name="thanks"),
    # Komm's queue of reports.
    path("komm/reports/", views.report_queue, name="queue"),
    path("komm/reports/<int:pk>/", views.report_detail, name="detail"),
]
