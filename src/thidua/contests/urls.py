from django.urls import path

from thidua.contests import views, views_results

app_name = "contests"
urlpatterns = [
    # organiser
    path("quan-ly-cuoc-thi/", views.contest_list, name="contest-list"),
    path("quan-ly-cuoc-thi/<int:pk>/", views.contest_detail, name="contest-detail"),
    path(
        "quan-ly-cuoc-thi/<int:pk>/mau-cau-hoi.xlsx",
        views.question_template,
        name="question-template",
    ),
    path(
        "quan-ly-cuoc-thi/<int:pk>/ngan-hang-cau-hoi.xlsx",
        views.question_export,
        name="question-export",
    ),
    path("quan-ly-cuoc-thi/<int:pk>/loi-nhap.xlsx", views.import_errors, name="import-errors"),
    path("quan-ly-cuoc-thi/<int:pk>/vong-moi/", views.round_create, name="round-create"),
    path("quan-ly-cuoc-thi/<int:pk>/cai-dat/", views.contest_settings, name="contest-settings"),
    path("quan-ly-cuoc-thi/<int:pk>/giai-tap-the/", views.collective, name="collective"),
    path(
        "quan-ly-cuoc-thi/<int:pk>/giai-tap-the.xlsx",
        views.collective_export,
        name="collective-export",
    ),
    path(
        "quan-ly-cuoc-thi/<int:pk>/so-nguoi-du-kien.xlsx",
        views.target_template,
        name="target-template",
    ),
    path("quan-ly-cuoc-thi/cau-hoi/<int:pk>/", views.question_edit, name="question-edit"),
    path("quan-ly-cuoc-thi/vong/<int:pk>/", views.round_detail, name="round-detail"),
    path("quan-ly-cuoc-thi/vong/<int:pk>/sua/", views.round_edit, name="round-edit"),
    path("quan-ly-cuoc-thi/vong/<int:pk>/xem-truoc/", views.round_preview, name="round-preview"),
    path("quan-ly-cuoc-thi/vong/<int:pk>/dat-giai.xlsx", views.round_export, name="round-export"),
    path(
        "quan-ly-cuoc-thi/vong/<int:pk>/giay-chung-nhan.pdf",
        views.round_certificates,
        name="round-certificates",
    ),
    # public (cheap phones, slow networks)
    path("cuoc-thi/<int:pk>/", views.public_contest, name="public-contest"),
    path("cuoc-thi/<int:pk>/giai-tap-the/", views.public_collective, name="public-collective"),
    path("cuoc-thi/vong/<int:pk>/bat-dau/", views.attempt_start, name="attempt-start"),
    path("cuoc-thi/vong/<int:pk>/ket-qua/", views.public_results, name="public-results"),
    path("cuoc-thi/bai/<uuid:token>/", views.attempt_page, name="attempt"),
    path("cuoc-thi/bai/<uuid:token>/luu/", views.attempt_save, name="attempt-save"),
    path("cuoc-thi/bai/<uuid:token>/nop-bai/", views.attempt_finish, name="attempt-finish"),
    path("cuoc-thi/bai/<uuid:token>/bien-nhan/", views.receipt, name="receipt"),
    # after a round: results, answer review, certificates (contests/views_results.py)
    path("cuoc-thi/<int:pk>/tra-cuu/", views_results.lookup, name="lookup"),
    path("cuoc-thi/<int:pk>/xac-minh/", views_results.contact_verify, name="contact-verify"),
    path("cuoc-thi/bai/<uuid:token>/xem-lai/", views_results.review, name="review"),
    path(
        "cuoc-thi/bai/<uuid:token>/giay-chung-nhan.pdf",
        views_results.certificate,
        name="certificate",
    ),
    path(
        "cuoc-thi/giay-chung-nhan/<str:token>/",
        views_results.certificate_verify,
        name="certificate-verify",
    ),
    # taken by contests.hotpath ahead of Django in production; this view runs the same code
    path("cuoc-thi/nop/<uuid:token>/", views.attempt_submit, name="attempt-submit"),
]
