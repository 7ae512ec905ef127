from django.urls import path

from . import views, views_requests

app_name = "processes"
URL_PREFIX = "processes/"
urlpatterns = [
    path("", views.process_list, name="list"),
    path("new/", views.process_edit, name="create"),
    path("department/<slug:code>/", views.department_processes, name="department"),
    path("inbox/", views_requests.inbox, name="inbox"),
    path("requests/", views_requests.request_list, name="cr_list"),
    path("requests/<int:pk>/", views_requests.request_detail, name="cr_detail"),
    path("requests/<int:pk>/edit/", views_requests.request_edit, name="cr_edit"),
    path("requests/<int:pk>/decide/", views_requests.request_decide, name="cr_decide"),
    path("delegations/", views_requests.delegations, name="delegations"),
    path("report/", views_requests.stage_report, name="report"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("p/<slug:code>/", views.process_detail, name="detail"),
    path("p/<slug:code>/edit/", views.process_edit, name="edit"),
    path("p/<slug:code>/propose/", views_requests.request_create, name="cr_create"),
    path("p/<slug:code>/review/", views.review_create, name="review_create"),
    path("p/<slug:code>/articles/", views.articles_edit, name="articles"),
]
