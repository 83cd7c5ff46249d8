from django.urls import path

from . import views

app_name = "rights"

urlpatterns = [
    path(
        "<uuid:case_uuid>/droits/<uuid:right_uuid>/",
        views.RightItemUpdateView.as_view(),
        name="item_update",
    ),
]
