from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="list"),
    path("nouveau/", views.CaseOpenView.as_view(), name="open"),
    path("<uuid:case_uuid>/", views.CaseDetailView.as_view(), name="detail"),
    path("<uuid:case_uuid>/notes/", views.CaseNoteAddView.as_view(), name="note_add"),
    path("<uuid:case_uuid>/acces/", views.CaseAccessLogView.as_view(), name="access_log"),
]
