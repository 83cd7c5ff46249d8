"""The import of spreadsheets, under /import/: one upload page per target (its own permission),
then the pages of one import job (scoped by the job's selector)."""

from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("dossiers/", views.CaseUploadView.as_view(), name="cases"),
    path("annuaire/", views.DirectoryUploadView.as_view(), name="directory"),
    path("lieux/", views.PlacesUploadView.as_view(), name="places"),
    path("annonces/", views.AdsUploadView.as_view(), name="ads"),
    path("<uuid:job_uuid>/", views.JobView.as_view(), name="job"),
    path("<uuid:job_uuid>/colonnes/", views.MappingView.as_view(), name="mapping"),
    path("<uuid:job_uuid>/verification/", views.PreviewView.as_view(), name="preview"),
    path("<uuid:job_uuid>/importer/", views.CommitView.as_view(), name="commit"),
    path("<uuid:job_uuid>/progression/", views.ProgressView.as_view(), name="progress"),
]
