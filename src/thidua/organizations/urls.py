from django.urls import path

from thidua.organizations import views

app_name = "organizations"
urlpatterns = [
    path("don-vi/", views.unit_tree, name="unit-tree"),
    path("don-vi/danh-sach/", views.unit_list, name="unit-list"),
    path("don-vi/them/", views.unit_create, name="unit-create"),
    path("don-vi/sap-nhap/", views.unit_merge, name="unit-merge"),
    path("don-vi/nhap/", views.unit_import, name="unit-import"),
    path("don-vi/xuat.xlsx", views.unit_export, name="unit-export"),
    path("don-vi/mau-nhap.xlsx", views.unit_template, name="unit-template"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("don-vi/<int:pk>/sua/", views.unit_edit, name="unit-edit"),
    path("ca-nhan/", views.person_list, name="person-list"),
    path("ca-nhan/them/", views.person_create, name="person-create"),
    path("ca-nhan/nhap/", views.person_import, name="person-import"),
    path("ca-nhan/xuat.xlsx", views.person_export, name="person-export"),
    path("ca-nhan/mau-nhap.xlsx", views.person_template, name="person-template"),
    path("ca-nhan/<int:pk>/sua/", views.person_edit, name="person-edit"),
    path("nhap-du-lieu/<int:pk>/loi.xlsx", views.import_errors, name="import-errors"),
    path("khoi-thi-dua/", views.block_list, name="block-list"),
    path("khoi-thi-dua/them/", views.block_edit, name="block-create"),
    path("khoi-thi-dua/<int:pk>/sua/", views.block_edit, name="block-edit"),
    path("nguoi-dung/", views.user_list, name="user-list"),
    path("nguoi-dung/them/", views.user_create, name="user-create"),
    path("nguoi-dung/<int:pk>/", views.user_detail, name="user-detail"),
    path("nguoi-dung/<int:pk>/khoa/", views.user_toggle_active, name="user-toggle-active"),
    path(
        "nguoi-dung/<int:pk>/mo-khoa-dang-nhap/", views.user_login_unlock, name="user-login-unlock"
    ),
    path(
        "nguoi-dung/<int:pk>/ma-kich-hoat/",
        views.user_totp_enrolment,
        name="user-totp-enrolment",
    ),
    path(
        "nguoi-dung/<int:pk>/quyen/<int:grant_pk>/thu-hoi/",
        views.user_role_revoke,
        name="user-role-revoke",
    ),
]
