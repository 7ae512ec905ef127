from django.urls import path

from . import views

app_name = "notifications"
URL_PREFIX = "notifications/"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/open/", views.open_notification, name="open"),
    path("read/", views.mark_read, name="mark_read"),
    path("menu/", views.dropdown, name="dropdown"),
    path("settings/", views.preferences, name="preferences"),
]
