from django.urls import path

from thidua.reporting import views

app_name = "reporting"
urlpatterns = [
    path("phong-trao/<int:pk>/bao-cao/", views.request_list, name="request-list"),
    path("phong-trao/<int:pk>/bao-cao/mau/them/", views.template_create, name="template-create"),
    path("phong-trao/<int:pk>/bao-cao/them/", views.request_create, name="request-create"),
    path("phong-trao/<int:pk>/theo-doi/", views.dashboard, name="dashboard"),
    path("bao-cao/<int:pk>/", views.request_detail, name="request-detail"),
    path("bao-cao/<int:pk>/tong-hop/", views.aggregate, name="aggregate"),
    path("bao-cao/<int:pk>/tong-hop/ban-hanh/", views.aggregate_issue, name="aggregate-issue"),
    path(
        "bao-cao/<int:pk>/tong-hop.<str:kind>", views.aggregate_download, name="aggregate-download"
    ),
    path("bao-cao/cua-don-vi/", views.my_reports, name="my-reports"),
    path("bao-cao/<int:pk>/chi-tieu.xlsx", views.indicator_export, name="indicator-export"),
    path("bao-cao/<int:pk>/nhap-chi-tieu/", views.indicator_import, name="indicator-import"),
    path("bao-cao/don-vi/<int:pk>/", views.report, name="report"),
    path("bao-cao/don-vi/<int:pk>/luu-nhap/", views.report_autosave, name="report-autosave"),
    path("bao-cao/don-vi/<int:pk>/so-sanh/", views.report_compare, name="report-compare"),
    path("cong-van/<int:pk>.<str:kind>", views.urging_download, name="urging-download"),
    path("bao-cao/tep/<int:pk>/", views.attachment_file, name="attachment-file"),
]
