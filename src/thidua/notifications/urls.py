from django.urls import path

from thidua.notifications import views

app_name = "notifications"
urlpatterns = [
    path("thong-bao/", views.notice_list, name="notice-list"),
    path("thong-bao/da-doc/", views.notice_read_all, name="notice-read-all"),
    path("thong-bao/<int:pk>/", views.notice_open, name="notice-open"),
    path("thong-bao/tuy-chon/", views.preferences, name="preferences"),
]
