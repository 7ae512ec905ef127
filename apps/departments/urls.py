from django.urls import path

from . import views

app_name = "departments"
URL_PREFIX = "org/"
urlpatterns = [
    path("", views.org_chart, name="org_chart"),
    path("departments/new/", views.department_edit, name="department_create"),
    path("departments/<slug:code>/", views.department_detail, name="department"),
    path("departments/<slug:code>/edit/", views.department_edit, name="department_edit"),
    path("departments/<slug:code>/delete/", views.department_delete, name="department_delete"),
    path("departments/<slug:code>/positions/new/", views.position_edit, name="position_create"),
    path("departments/<slug:code>/positions/<slug:position_code>/", views.position_edit, name="position_edit"),
    path("people/<str:username>/", views.person_detail, name="person"),
    path("import/", views.employee_import, name="employee_import"),
    path("import/template.csv", views.employee_import_template, name="employee_import_template"),
    path("import/<int:pk>/", views.employee_import_preview, name="employee_import_preview"),
]
