from django.urls import path

from thidua.participation import views

app_name = "participation"
urlpatterns = [
    path("phong-trao/<int:pk>/dang-ky/", views.registration_list, name="registration-list"),
    path("phong-trao/<int:pk>/dang-ky/<int:unit_pk>/", views.registration, name="registration"),
    # One URL per change of a registration (POST)
    path(
        "phong-trao/<int:pk>/dang-ky/<int:unit_pk>/luu/",
        views.registration_save,
        name="registration-save",
    ),
    path(
        "phong-trao/<int:pk>/dang-ky/<int:unit_pk>/gui-duyet/",
        views.registration_send,
        name="registration-send",
    ),
    path(
        "phong-trao/<int:pk>/dang-ky/<int:unit_pk>/duyet/",
        views.registration_approve,
        name="registration-approve",
    ),
    path(
        "phong-trao/<int:pk>/dang-ky/<int:unit_pk>/tra-lai/",
        views.registration_return,
        name="registration-return",
    ),
    path("phong-trao/<int:pk>/giao-uoc/", views.pledge_sign, name="pledge-sign"),
    path("phong-trao/<int:pk>/hoat-dong/", views.activity_list, name="activity-list"),
    path("phong-trao/<int:pk>/hoat-dong/them/", views.activity_create, name="activity-create"),
    path("phong-trao/<int:pk>/hoat-dong/nhap/", views.activity_import, name="activity-import"),
    path(
        "phong-trao/<int:pk>/hoat-dong/mau-nhap.xlsx",
        views.activity_import_template,
        name="activity-template",
    ),
    path("phong-trao/<int:pk>/hoat-dong/xuat.xlsx", views.activity_export, name="activity-export"),
    path(
        "phong-trao/<int:pk>/hoat-dong/loi-nhap.xlsx",
        views.activity_import_errors,
        name="activity-import-errors",
    ),
    path("phong-trao/<int:pk>/tong-hop/", views.rollup, name="rollup"),
    path("phong-trao/<int:pk>/mo-hinh/", views.good_model_list, name="good-model-list"),
    path("phong-trao/<int:pk>/mo-hinh/de-xuat/", views.good_model_create, name="good-model-create"),
    path("phong-trao/<int:pk>/kho-khan/", views.difficulty_list, name="difficulty-list"),
    path("hoat-dong/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("hoat-dong/<int:pk>/sua/", views.activity_edit, name="activity-edit"),
    path("hoat-dong/<int:pk>/xoa/", views.activity_delete, name="activity-delete"),
    path("minh-chung/<int:pk>/xoa/", views.evidence_delete, name="evidence-delete"),
    path("mo-hinh/<int:pk>/", views.good_model_detail, name="good-model-detail"),
    path("kho-khan/<int:pk>/", views.difficulty_detail, name="difficulty-detail"),
    path("mo-hinh/<int:pk>/xem-xet/", views.good_model_review, name="good-model-review"),
    path("mo-hinh/<int:pk>/nhan-rong/", views.good_model_adopt, name="good-model-adopt"),
    path("mo-hinh/<int:pk>/gui-lai/", views.good_model_resubmit, name="good-model-resubmit"),
    path("kho-khan/<int:pk>/tra-loi/", views.difficulty_answer, name="difficulty-answer"),
    path("kho-khan/<int:pk>/trinh/", views.difficulty_forward, name="difficulty-forward"),
    path("kho-khan/<int:pk>/dong/", views.difficulty_close, name="difficulty-close"),
    path("minh-chung/<int:pk>/", views.evidence_file, name="evidence-file"),
    path(
        "minh-chung/<int:pk>/anh-nho/", views.evidence_file, {"thumb": True}, name="evidence-thumb"
    ),
]
