from django.urls import path

from . import views, views_hr

app_name = "appraisals"
URL_PREFIX = "appraisals/"
urlpatterns = [
    path("", views.home, name="home"),
    path("team/", views.team, name="team"),
    path("cycles/<str:code>/nudge/", views.nudge, name="nudge"),
    path("a/<int:pk>/", views.appraisal_detail, name="appraisal"),
    path("a/<int:pk>/self/", views.appraisal_self, name="self"),
    path("a/<int:pk>/review/", views.appraisal_review, name="review"),
    path("a/<int:pk>/total/", views.appraisal_total, name="total"),
    path("a/<int:pk>/acknowledge/", views.appraisal_acknowledge, name="acknowledge"),
    path("a/<int:pk>/object/", views.appraisal_object, name="object"),
    path("a/<int:pk>/resolve/", views.appraisal_resolve, name="resolve"),
    path("a/<int:pk>/calibrate/", views.appraisal_calibrate, name="calibrate"),
    path("a/<int:pk>/follow-up/", views.appraisal_followup, name="followup"),
    path("a/<int:pk>/reviewer/", views.appraisal_reviewer, name="reviewer"),
    path("a/<int:pk>/exclude/", views.appraisal_exclude, name="exclude"),
    path("a/<int:pk>/peers/", views.appraisal_invite_peers, name="invite_peers"),
    path("feedback/<int:pk>/", views.peer_feedback, name="peer_feedback"),
    path("cycles/", views_hr.cycle_list, name="cycles"),
    path("cycles/<str:code>/", views_hr.cycle_detail, name="cycle"),
    path("cycles/<str:code>/action/", views_hr.cycle_action, name="cycle_action"),
    path("cycles/<str:code>/add/", views_hr.cycle_add_person, name="cycle_add"),
    path("cycles/<str:code>/remind/", views_hr.cycle_remind, name="cycle_remind"),
    path("cycles/<str:code>/exclude/", views_hr.cycle_exclude_many, name="cycle_exclude"),
    path("cycles/<str:code>/calibration/adjust/", views_hr.calibration_adjust, name="calibration_adjust"),
    path("cycles/<str:code>/team/", views.team, name="cycle_team"),
    path("cycles/<str:code>/calibration/", views_hr.calibration, name="calibration"),
    path("cycles/<str:code>/export.xlsx", views_hr.cycle_export, name="cycle_export"),
    path("annual/<year:year>/export.xlsx", views_hr.annual_export, name="annual_export"),
    path("people/<str:username>/history.xlsx", views_hr.person_history_export, name="person_history"),
    path("templates/", views_hr.template_list, name="templates"),
    path("templates/new/", views_hr.template_edit, name="template_create"),
    path("templates/<int:pk>/", views_hr.template_edit, name="template_edit"),
]
