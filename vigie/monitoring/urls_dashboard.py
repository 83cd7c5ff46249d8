"""The organisation's statistics, under /suivi/statistiques/."""

from django.urls import path

from . import views_dashboard as views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
]
