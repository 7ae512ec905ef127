from django.urls import path

from . import views, views_people

app_name = "training"
URL_PREFIX = "training/"

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/courses/new/", views.course_create, name="course_create"),
    path("courses/<int:pk>/", views.course, name="course"),
    path("courses/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("courses/<int:pk>/questions/new/", views.question_create, name="question_create"),
    path("courses/<int:pk>/quiz/", views.quiz, name="quiz"),
    path("sessions/<int:pk>/", views.session, name="session"),
    path("sessions/<int:pk>/sign-up/", views.session_sign_up, name="session_sign_up"),
    path("sessions/<int:pk>/withdraw/", views.session_withdraw, name="session_withdraw"),
    path("sessions/<int:pk>/attendance/", views.session_attendance, name="session_attendance"),
    path("sessions/<int:pk>/attendance/import/", views.session_attendance_import, name="session_attendance_import"),
    path("sessions/<int:pk>/roster.xlsx", views.session_roster, name="session_roster"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/survey/", views.session_survey, name="session_survey"),
    path("people/<str:username>/", views_people.record, name="record"),
    path("people/<str:username>/development/new/", views_people.development_start, name="development_start"),
    path("reports/", views_people.reports, name="reports"),
    path("reports/export.xlsx", views_people.reports_export, name="reports_export"),
    path("development/", views_people.development_list, name="development_list"),
    path("development/<int:pk>/", views_people.development, name="development"),
]
