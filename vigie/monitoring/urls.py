"""Monitoring pages, under /suivi/. Each part keeps its own URL module."""

from django.urls import include, path

app_name = "monitoring"

urlpatterns = [
    path("statistiques/", include("vigie.monitoring.urls_dashboard")),
    path("publications/", include("vigie.monitoring.urls_releases")),
    path("", include("vigie.monitoring.urls_exports")),
]
