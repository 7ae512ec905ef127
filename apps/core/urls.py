from django.urls import path

from . import views

app_name = "core"
URL_PREFIX = ""
urlpatterns = [
    path("", views.home, name="home"),
    path("floor/", views.floor, name="floor"),
    path("floor/bare/", views.floor_bare, name="floor_bare"),
    path("imports/<slug:job>/", views.import_progress, name="import_progress"),
    path("favicon.ico", views.favicon, name="favicon"),
]
