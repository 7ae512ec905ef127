from django.urls import path, register_converter

from . import views, views_entry


class PeriodKey:
    regex = r"\d{4}(?:-(?:Q[1-4]|\d{2}))?"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


register_converter(PeriodKey, "period")

app_name = "kpis"
URL_PREFIX = "kpis/"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("d/<slug:code>/", views.department_page, name="department"),
    path("d/<slug:code>/enter/<period:month>/", views_entry.enter, name="enter"),
    path("d/<slug:code>/enter/<period:month>/<int:pk>/", views_entry.enter_field, name="enter_field"),
    path("d/<slug:code>/export/<period:month>.<str:fmt>", views_entry.export, name="export"),
    path("d/<slug:code>/template/<period:month>.<str:fmt>", views_entry.template, name="template"),
    path("i/new/", views_entry.indicator_edit, name="indicator_create"),
    path("i/<int:pk>/", views.indicator_page, name="indicator"),
    path("i/<int:pk>/edit/", views_entry.indicator_edit, name="indicator_edit"),
    path("i/<int:pk>/targets/<year:year>/", views_entry.targets, name="targets"),
    path("i/<int:pk>/<period:period>/", views_entry.measurement, name="measurement"),
    path("i/<int:pk>/<period:period>/evidence/", views_entry.evidence, name="evidence"),
    path("import/", views_entry.import_upload, name="import"),
    path("import/<int:pk>/", views_entry.import_preview, name="import_preview"),
    path("locks/", views_entry.locks, name="locks"),
    path("nudge/", views.nudge_missing, name="nudge_missing"),
]
