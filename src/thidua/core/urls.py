from django.urls import path

from thidua.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics_view, name="metrics"),
    path("tac-vu/<int:pk>/", views.job_status, name="job"),
    path("tac-vu/<int:pk>/tai-ve", views.job_download, name="job-download"),
]
