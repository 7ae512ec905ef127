from django.urls import path

from . import views, views_admin

app_name = "approvals"
URL_PREFIX = "approvals/"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("r/<int:pk>/", views.request_detail, name="request"),
    path("r/<int:pk>/act/", views.request_act, name="act"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("delegations/", views.delegations, name="delegations"),
    path("delegations/<int:pk>/cancel/", views.delegation_cancel, name="delegation_cancel"),
    path("flows/", views_admin.flow_list, name="flows"),
    path("flows/<str:kind>/", views_admin.flow_edit, name="flow_edit"),
    path("report/", views_admin.report, name="report"),
]
