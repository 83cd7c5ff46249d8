from django.urls import path

from . import views_notifications as views

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="notifications"),
    path(
        "<int:notification_id>/ouvrir/",
        views.NotificationOpenView.as_view(),
        name="notification_open",
    ),
    path("tout-lu/", views.NotificationsReadAllView.as_view(), name="notifications_read_all"),
]
