from django.urls import path

from thidua.awards import views

app_name = "awards"
urlpatterns = [
    path("phong-trao/<int:pk>/khen-thuong/", views.nomination_list, name="nomination-list"),
    path("phong-trao/<int:pk>/khen-thuong/phien-hop/", views.session_create, name="session-create"),
    path("de-nghi/<int:pk>/", views.nomination_detail, name="nomination-detail"),
    path(
        "de-nghi/<int:pk>/to-trinh.<str:kind>",
        views.submission_download,
        name="submission-download",
    ),
    path("hoi-dong/phien/<int:pk>/", views.session_view, name="session"),
    path("hoi-dong/phien/<int:pk>/bien-ban.pdf", views.minutes_pdf, name="minutes-pdf"),
]
