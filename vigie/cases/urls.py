from django.urls import path

from .views import archive, documents, editing, events, exports, file

app_name = "cases"

urlpatterns = [
    path("", file.CaseListView.as_view(), name="list"),
    path("nouveau/", file.CaseOpenView.as_view(), name="open"),
    # Archived files (retention): coordinators only, one file at a time with a logged reason.
    path("archives/", archive.ArchiveListView.as_view(), name="archive_list"),
    path("archives/<uuid:case_uuid>/", archive.ArchiveOpenView.as_view(), name="archive_open"),
    # Exports (vigie/cases/views/exports.py): re-authentication first, audited, scoped.
    path("exports/", exports.ExportsView.as_view(), name="exports"),
    path("exports/liste/", exports.CaseListExportView.as_view(), name="list_export"),
    path("<uuid:case_uuid>/", file.CaseDetailView.as_view(), name="detail"),
    path("<uuid:case_uuid>/exporter/", exports.CaseFileExportView.as_view(), name="file_export"),
    path("<uuid:case_uuid>/notes/", file.CaseNoteAddView.as_view(), name="note_add"),
    path("<uuid:case_uuid>/acces/", file.CaseAccessLogView.as_view(), name="access_log"),
    # Dated events of the file (vigie/cases/views/events.py): create, then follow up.
    path(
        "<uuid:case_uuid>/evenements/evaluation-age/",
        events.AgeAssessmentCreateView.as_view(),
        name="event_age_assessment",
    ),
    path(
        "<uuid:case_uuid>/evenements/recours-age/",
        events.AgeAppealFileView.as_view(),
        name="event_age_appeal",
    ),
    path(
        "<uuid:case_uuid>/evenements/recours-age/<uuid:event_uuid>/",
        events.AgeAppealDecideView.as_view(),
        name="event_age_appeal_decide",
    ),
    path(
        "<uuid:case_uuid>/evenements/hebergement/",
        events.PlacementCreateView.as_view(),
        name="event_placement",
    ),
    path(
        "<uuid:case_uuid>/evenements/hebergement/<uuid:event_uuid>/",
        events.PlacementEndView.as_view(),
        name="event_placement_end",
    ),
    path(
        "<uuid:case_uuid>/evenements/procedure/",
        events.ProceedingCreateView.as_view(),
        name="event_proceeding",
    ),
    path(
        "<uuid:case_uuid>/evenements/procedure/<uuid:event_uuid>/",
        events.ProceedingUpdateView.as_view(),
        name="event_proceeding_update",
    ),
    path(
        "<uuid:case_uuid>/evenements/audition/",
        events.HearingCreateView.as_view(),
        name="event_hearing",
    ),
    path(
        "<uuid:case_uuid>/evenements/indemnisation/",
        events.CompensationCreateView.as_view(),
        name="event_compensation",
    ),
    path(
        "<uuid:case_uuid>/evenements/indemnisation/<uuid:event_uuid>/",
        events.CompensationUpdateView.as_view(),
        name="event_compensation_update",
    ),
    path(
        "<uuid:case_uuid>/documents/ajouter/",
        documents.CaseDocumentAddView.as_view(),
        name="document_add",
    ),
    path(
        "<uuid:case_uuid>/documents/<uuid:document_uuid>/",
        documents.CaseDocumentView.as_view(),
        name="document",
    ),
    path(
        "<uuid:case_uuid>/documents/<uuid:document_uuid>/supprimer/",
        documents.CaseDocumentDeleteView.as_view(),
        name="document_delete",
    ),
    path("<uuid:case_uuid>/modifier/", editing.CaseEditView.as_view(), name="edit"),
    path("<uuid:case_uuid>/statut/", editing.CaseStatusView.as_view(), name="status"),
    path("<uuid:case_uuid>/historique/", editing.CaseHistoryView.as_view(), name="history"),
]
