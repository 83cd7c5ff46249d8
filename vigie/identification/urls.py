from django.urls import path

from . import views

app_name = "identification"

urlpatterns = [
    path(
        "<uuid:case_uuid>/reperage/",
        views.ScreeningCreateView.as_view(),
        name="screening_create",
    ),
    path(
        "<uuid:case_uuid>/reperage/<uuid:screening_uuid>/",
        views.ScreeningDetailView.as_view(),
        name="screening_detail",
    ),
]
