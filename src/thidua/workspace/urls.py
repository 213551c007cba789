from django.urls import path

from thidua.workspace import views

app_name = "workspace"
urlpatterns = [
    path("viec-can-lam/", views.home, name="home"),
]
