from django.urls import path

from thidua.awards import (
    council_views,
    decision_views,
    registry_views,
    rule_views,
    statistics_views,
    views,
)

app_name = "awards"
urlpatterns = [
    path("phong-trao/<int:pk>/khen-thuong/", views.nomination_list, name="nomination-list"),
    path(
        "phong-trao/<int:pk>/khen-thuong/phien-hop/",
        council_views.session_create,
        name="session-create",
    ),
    path("de-nghi/<int:pk>/", views.nomination_detail, name="nomination-detail"),
    path(
        "de-nghi/<int:pk>/to-trinh.<str:kind>",
        views.submission_download,
        name="submission-download",
    ),
    path("de-nghi/tai-lieu/<int:pk>/", views.document_detail, name="document"),
    path("de-nghi/tai-lieu/<int:pk>/tep", views.document_file, name="document-file"),
    path(
        "de-nghi/tai-lieu/<int:pk>/trang-<int:page>.jpg",
        views.document_page,
        name="document-page",
    ),
    path("hoi-dong/phien/", council_views.session_list, name="session-list"),
    path("hoi-dong/phien/<int:pk>/", council_views.session_view, name="session"),
    path("hoi-dong/phien/<int:pk>/truc-tiep/", council_views.session_live, name="session-live"),
    path("hoi-dong/phien/<int:pk>/ket-qua/", council_views.session_results, name="session-results"),
    path(
        "hoi-dong/phien/<int:pk>/y-kien-van-ban/",
        council_views.written_opinion,
        name="written-opinion",
    ),
    path("hoi-dong/phien/<int:pk>/bien-ban.pdf", views.minutes_pdf, name="minutes-pdf"),
    path(
        "phong-trao/<int:pk>/khen-thuong/quyet-dinh/",
        decision_views.decision_list,
        name="decision-list",
    ),
    path("quyet-dinh/<int:pk>/", decision_views.decision_detail, name="decision-detail"),
    path(
        "quyet-dinh/<int:pk>/quyet-dinh.<str:kind>",
        decision_views.decision_download,
        name="decision-download",
    ),
    path("quyet-dinh/<int:pk>/ban-da-ky", decision_views.decision_scan, name="decision-scan"),
    path("so-vang/", registry_views.registry_list, name="registry"),
    path("so-vang/thong-ke/", registry_views.statistics, name="statistics"),
    path("thong-ke-bo-noi-vu/", statistics_views.statistics_page, name="bnv-statistics"),
    path(
        "thong-ke-bo-noi-vu/tai-ve.<str:kind>",
        statistics_views.statistics_download,
        name="bnv-statistics-download",
    ),
    path(
        "thong-ke-bo-noi-vu/to-chuc-cong-chuc/",
        statistics_views.staffing_edit,
        name="bnv-staffing",
    ),
    path("so-vang/nhap/", registry_views.registry_import, name="registry-import"),
    path("so-vang/mau-nhap.xlsx", registry_views.registry_template, name="registry-template"),
    path(
        "so-vang/loi-nhap.xlsx",
        registry_views.registry_import_errors,
        name="registry-import-errors",
    ),
    path(
        "so-vang/lich-su/<str:kind>/<int:pk>/",
        registry_views.registry_history,
        name="registry-history",
    ),
    path("so-vang/<int:pk>/", registry_views.record_detail, name="record"),
    path("so-vang/<int:pk>/giay-khen.pdf", registry_views.certificate, name="certificate"),
    path("may-in/", registry_views.printer_list, name="printer-list"),
    path("tam-dung-xet-khen/", registry_views.hold_list, name="hold-list"),
    path("may-in/<int:pk>/can-chinh.pdf", registry_views.calibration, name="calibration"),
    path("mau-in/<int:pk>/", registry_views.layout_edit, name="layout"),
    path("mau-in/<int:pk>/xem-truoc", registry_views.layout_preview, name="layout-preview"),
    path("xac-minh/<str:token>/", registry_views.verify, name="verify"),
    path("quy-dinh-khen-thuong/", rule_views.rule_list, name="rule-list"),
    path("quy-dinh-khen-thuong/them/", rule_views.rule_edit, name="rule-create"),
    path("quy-dinh-khen-thuong/<int:pk>/", rule_views.rule_edit, name="rule-edit"),
]
