"""The directory of institutional contacts, under /reseau/annuaire/."""

from django.urls import path

from . import views_directory as views

urlpatterns = [
    path("", views.DirectoryView.as_view(), name="directory"),
    path("export.csv", views.DirectoryExportView.as_view(), name="directory_export"),
    path("nouveau/", views.DirectoryCreateView.as_view(), name="directory_create"),
    path("import/", views.DirectoryImportView.as_view(), name="directory_import"),
    path(
        "<uuid:entry_uuid>/modifier/",
        views.DirectoryUpdateView.as_view(),
        name="directory_update",
    ),
    path(
        "<uuid:entry_uuid>/supprimer/",
        views.DirectoryDeleteView.as_view(),
        name="directory_delete",
    ),
]
