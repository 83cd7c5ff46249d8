"""Outreach URLs (reports to the authorities, evidence PDF, case file opened from an ad)."""

from django.urls import path

from . import views_reports as views

urlpatterns = [
    path(
        "annonces/<uuid:ad_uuid>/signalements/nouveau/",
        views.AdReportCreateView.as_view(),
        name="report_ad",
    ),
    path(
        "reseaux/<uuid:ad_uuid>/signalements/nouveau/",
        views.ClusterReportCreateView.as_view(),
        name="report_cluster",
    ),
    path(
        "annonces/<uuid:ad_uuid>/preuves/", views.AdEvidenceExportView.as_view(), name="evidence_ad"
    ),
    path(
        "reseaux/<uuid:ad_uuid>/preuves/",
        views.ClusterEvidenceExportView.as_view(),
        name="evidence_cluster",
    ),
    path(
        "annonces/<uuid:ad_uuid>/ouvrir-dossier/",
        views.CaseFromAdView.as_view(),
        name="case_from_ad",
    ),
]
