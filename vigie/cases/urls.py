from django.urls import path

from .views import file

app_name = "cases"

urlpatterns = [
    path("", file.CaseListView.as_view(), name="list"),
    path("nouveau/", file.CaseOpenView.as_view(), name="open"),
    path("<uuid:case_uuid>/", file.CaseDetailView.as_view(), name="detail"),
    path("<uuid:case_uuid>/notes/", file.CaseNoteAddView.as_view(), name="note_add"),
    path("<uuid:case_uuid>/acces/", file.CaseAccessLogView.as_view(), name="access_log"),
]
