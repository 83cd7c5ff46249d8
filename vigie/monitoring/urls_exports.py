"""Exports in the field's standards (mounted at the root of /suivi/)."""

from django.urls import path

from . import views_exports as views

urlpatterns = [
    path("export-htcds/", views.HtcdsExportView.as_view(), name="htcds"),
    path(
        "publications/<uuid:release_uuid>/ctdc.csv",
        views.ReleaseCtdcView.as_view(),
        name="release_ctdc",
    ),
    path(
        "publications/<uuid:release_uuid>/enquete-annuelle.csv",
        views.ReleaseSurveyView.as_view(),
        name="release_survey",
    ),
]
