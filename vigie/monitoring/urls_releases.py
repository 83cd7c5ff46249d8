from django.urls import path

from . import views_releases as views

urlpatterns = [
    path("", views.ReleaseListView.as_view(), name="releases"),
    path("nouvelle/", views.ReleaseCreateView.as_view(), name="release_create"),
    path("<uuid:release_uuid>/", views.ReleaseDetailView.as_view(), name="release_detail"),
    path(
        "<uuid:release_uuid>/avancement/",
        views.ReleaseProgressView.as_view(),
        name="release_progress",
    ),
    path("<uuid:release_uuid>/tableaux.csv", views.ReleaseCsvView.as_view(), name="release_csv"),
    path(
        "<uuid:release_uuid>/metadonnees.json",
        views.ReleaseJsonView.as_view(),
        name="release_json",
    ),
]
