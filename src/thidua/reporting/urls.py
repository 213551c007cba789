from django.urls import path

from thidua.reporting import views

app_name = "reporting"
urlpatterns = [
    path("phong-trao/<int:pk>/bao-cao/", views.request_list, name="request-list"),
    path("phong-trao/<int:pk>/bao-cao/mau/them/", views.template_create, name="template-create"),
    path("phong-trao/<int:pk>/bao-cao/them/", views.request_create, name="request-create"),
    path("phong-trao/<int:pk>/theo-doi/", views.dashboard, name="dashboard"),
    path("bao-cao/<int:pk>/", views.request_detail, name="request-detail"),
    path("bao-cao/<int:pk>/don-doc/", views.request_urge, name="request-urge"),
    path("bao-cao/<int:pk>/lap-tong-hop/", views.request_aggregate, name="request-aggregate"),
    path("bao-cao/<int:pk>/tong-hop/", views.aggregate, name="aggregate"),
    path("bao-cao/<int:pk>/tong-hop/ban-hanh/", views.aggregate_issue, name="aggregate-issue"),
    path(
        "bao-cao/<int:pk>/tong-hop.<str:kind>", views.aggregate_download, name="aggregate-download"
    ),
    path("bao-cao/<int:pk>/tong-hop/phu-luc.xlsx", views.aggregate_annex, name="aggregate-annex"),
    path("bao-cao/cua-don-vi/", views.my_reports, name="my-reports"),
    path("bao-cao/<int:pk>/chi-tieu.xlsx", views.indicator_export, name="indicator-export"),
    path("bao-cao/<int:pk>/nhap-chi-tieu/", views.indicator_import, name="indicator-import"),
    path("bao-cao/don-vi/<int:pk>/", views.report, name="report"),
    path("bao-cao/don-vi/<int:pk>/luu-nhap/", views.report_autosave, name="report-autosave"),
    # One URL per change of a unit's report (POST)
    path("bao-cao/don-vi/<int:pk>/dinh-kem/", views.report_attach, name="report-attach"),
    path("bao-cao/don-vi/<int:pk>/gui-duyet/", views.report_send, name="report-send"),
    path(
        "bao-cao/don-vi/<int:pk>/tra-lai-can-bo/",
        views.report_return_to_officer,
        name="report-return-to-officer",
    ),
    path("bao-cao/don-vi/<int:pk>/nop/", views.report_submit, name="report-submit"),
    path("bao-cao/don-vi/<int:pk>/tiep-nhan/", views.report_accept, name="report-accept"),
    path("bao-cao/don-vi/<int:pk>/tra-lai/", views.report_return, name="report-return"),
    path("bao-cao/don-vi/<int:pk>/so-sanh/", views.report_compare, name="report-compare"),
    path("cong-van/<int:pk>.<str:kind>", views.urging_download, name="urging-download"),
    path("bao-cao/tep/<int:pk>/", views.attachment_file, name="attachment-file"),
    path("bao-cao/tep/<int:pk>/go/", views.attachment_remove, name="attachment-remove"),
]
