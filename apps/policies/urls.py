from django.urls import path

from . import ack_views, attachment_views, drafting_views, views

app_name = "policies"
URL_PREFIX = "policies/"
urlpatterns = [
    path("", views.policy_list, name="list"),
    path("new/", drafting_views.policy_create, name="create"),
    path("review/", drafting_views.review_list, name="review_list"),
    path("acknowledgements/", ack_views.ack_overview, name="ack_overview"),
    path("<str:code>/", views.policy_detail, name="detail"),
    path("<str:code>/history/", views.policy_history, name="history"),
    path("<str:code>/compare/", views.policy_compare, name="compare"),
    path("<str:code>/settings/", drafting_views.policy_settings, name="settings"),
    path("<str:code>/review/", drafting_views.policy_review, name="review"),
    path("<str:code>/new-version/", drafting_views.draft_new, name="draft_new"),
    path("<str:code>/v/<str:label>/", views.version_detail, name="version"),
    path("<str:code>/v/<str:label>/edit/", drafting_views.draft_edit, name="draft_edit"),
    path("<str:code>/v/<str:label>/delete/", drafting_views.draft_delete, name="draft_delete"),
    path("<str:code>/v/<str:label>/ack/", ack_views.acknowledge, name="acknowledge"),
    path("<str:code>/v/<str:label>/acks/", ack_views.ack_report, name="ack_report"),
    path("<str:code>/v/<str:label>/nudge/", ack_views.nudge_ack, name="nudge_ack"),
    path("<str:code>/v/<str:label>/attachments/", attachment_views.attachment_upload, name="attachment_upload"),
    path("<str:code>/v/<str:label>/attachments/<int:pk>/", attachment_views.attachment_download, name="attachment"),
    path(
        "<str:code>/v/<str:label>/attachments/<int:pk>/delete/",
        attachment_views.attachment_delete,
        name="attachment_delete",
    ),
    path("<str:code>/v/<str:label>/<str:action>/", drafting_views.version_transition, name="transition"),
]
