from django.urls import path

from approvals import views

app_name = "approvals"

urlpatterns = [
    # The prefect's link from the e-mail. GET shows, only POST decides (mail scanners open links).
    path("signoff/<str:value>/", views.signoff, name="signoff"),
    path("komm/<int:pk>/", views.review, name="review"),
]
