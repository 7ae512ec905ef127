from django.urls import path

from . import views, views_import

app_name = "risks"
URL_PREFIX = "risks/"

urlpatterns = [
    path("", views.register, name="register"),
    path("heat-map/", views.heat_map, name="heat_map"),
    path("export.xlsx", views.export, name="export"),
    path("report/", views.report, name="report"),
    path("import/", views_import.upload, name="import"),
    path("import/<int:pk>/", views_import.preview, name="import_preview"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/edit/", views.edit, name="edit"),
    path("<str:code>/edit/links/", views.edit_links, name="edit_links"),
    path("<str:code>/accept/", views.accept, name="accept"),
    path("<str:code>/close/", views.close, name="close"),
    path("<str:code>/assess/", views.assess, name="assess"),
    path("<str:code>/response/", views.respond, name="respond"),
    path("<str:code>/measures/new/", views.measure_add, name="measure_add"),
    path("<str:code>/measures/<int:pk>/", views.measure_update, name="measure_update"),
    path("<str:code>/kris/new/", views.kri_bind, name="kri_bind"),
    path("<str:code>/kris/<int:pk>/remove/", views.kri_unbind, name="kri_unbind"),
    path("<str:code>/review/", views.review, name="review"),
]
