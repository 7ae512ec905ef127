from django.urls import path

from . import views, views_actions

app_name = "meetings"
URL_PREFIX = "meetings/"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.meeting_create, name="create"),
    path("m/<int:pk>/", views.meeting_page, name="meeting"),
    path("m/<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("m/<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("m/<int:pk>/meeting.ics", views.meeting_ics, name="ics"),
    path("m/<int:pk>/minutes/", views.minutes_edit, name="minutes"),
    path("m/<int:pk>/minutes/print/", views.minutes_print, name="minutes_print"),
    path("m/<int:pk>/minutes.docx", views.minutes_docx, name="minutes_docx"),
    path("m/<int:pk>/minutes/<str:step>/", views.minutes_step, name="minutes_step"),
    path("m/<int:pk>/decisions/new/", views.decision_add, name="decision_add"),
    path("m/<int:pk>/decisions/<int:decision_pk>/delete/", views.decision_delete, name="decision_delete"),
    path("m/<int:pk>/actions/new/", views.action_add, name="action_add"),
    path("m/<int:pk>/actions/<int:action_pk>/delete/", views.action_remove, name="action_remove"),
    path("series/new/", views.series_create, name="series_create"),
    path("series/<int:pk>/", views.series_page, name="series"),
    path("decisions/<int:pk>/follow-up/", views_actions.follow_up, name="follow_up"),
    path("actions/", views_actions.action_list, name="actions"),
    path("actions/<int:pk>/", views_actions.action_page, name="action"),
    path("actions/<int:pk>/step/", views_actions.action_step, name="action_step"),
    path("actions/<int:pk>/evidence/<int:update_pk>/", views_actions.evidence, name="evidence"),
    path("reports/", views_actions.reports, name="reports"),
    path("reports.xlsx", views_actions.reports_xlsx, name="reports_xlsx"),
    path("calendar/", views_actions.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", views_actions.feed, name="feed"),
]
