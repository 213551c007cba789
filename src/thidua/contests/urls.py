from django.urls import path

from thidua.contests.views import exports, organiser, public, results

app_name = "contests"
urlpatterns = [
    # organiser
    path("quan-ly-cuoc-thi/", organiser.contest_list, name="contest-list"),
    path("quan-ly-cuoc-thi/<int:pk>/", organiser.contest_detail, name="contest-detail"),
    path(
        "quan-ly-cuoc-thi/<int:pk>/mau-cau-hoi.xlsx",
        exports.question_template,
        name="question-template",
    ),
    path(
        "quan-ly-cuoc-thi/<int:pk>/ngan-hang-cau-hoi.xlsx",
        exports.question_export,
        name="question-export",
    ),
    path("quan-ly-cuoc-thi/<int:pk>/loi-nhap.xlsx", exports.import_errors, name="import-errors"),
    path("quan-ly-cuoc-thi/<int:pk>/vong-moi/", organiser.round_create, name="round-create"),
    path("quan-ly-cuoc-thi/<int:pk>/cai-dat/", organiser.contest_settings, name="contest-settings"),
    path("quan-ly-cuoc-thi/<int:pk>/giai-tap-the/", organiser.collective, name="collective"),
    path(
        "quan-ly-cuoc-thi/<int:pk>/giai-tap-the/so-nguoi-du-kien/",
        organiser.collective_target,
        name="collective-target",
    ),
    path(
        "quan-ly-cuoc-thi/<int:pk>/giai-tap-the/nhap-so-nguoi-du-kien/",
        organiser.collective_import,
        name="collective-import",
    ),
    path(
        "quan-ly-cuoc-thi/<int:pk>/giai-tap-the/xet/",
        organiser.collective_allocate,
        name="collective-allocate",
    ),
    path(
        "quan-ly-cuoc-thi/<int:pk>/giai-tap-the.xlsx",
        exports.collective_export,
        name="collective-export",
    ),
    path(
        "quan-ly-cuoc-thi/<int:pk>/so-nguoi-du-kien.xlsx",
        exports.target_template,
        name="target-template",
    ),
    path("quan-ly-cuoc-thi/cau-hoi/<int:pk>/", organiser.question_edit, name="question-edit"),
    path("quan-ly-cuoc-thi/vong/<int:pk>/", organiser.round_detail, name="round-detail"),
    path("quan-ly-cuoc-thi/vong/<int:pk>/sua/", organiser.round_edit, name="round-edit"),
    path(
        "quan-ly-cuoc-thi/vong/<int:pk>/xem-truoc/", organiser.round_preview, name="round-preview"
    ),
    path("quan-ly-cuoc-thi/vong/<int:pk>/dat-giai.xlsx", exports.round_export, name="round-export"),
    path(
        "quan-ly-cuoc-thi/vong/<int:pk>/giay-chung-nhan.pdf",
        exports.round_certificates,
        name="round-certificates",
    ),
    # public (cheap phones, slow networks)
    path("cuoc-thi/<int:pk>/", public.public_contest, name="public-contest"),
    path("cuoc-thi/<int:pk>/giai-tap-the/", public.public_collective, name="public-collective"),
    path("cuoc-thi/vong/<int:pk>/bat-dau/", public.attempt_start, name="attempt-start"),
    path("cuoc-thi/vong/<int:pk>/ket-qua/", public.public_results, name="public-results"),
    path("cuoc-thi/bai/<uuid:token>/", public.attempt_page, name="attempt"),
    path("cuoc-thi/bai/<uuid:token>/luu/", public.attempt_save, name="attempt-save"),
    path("cuoc-thi/bai/<uuid:token>/nop-bai/", public.attempt_finish, name="attempt-finish"),
    path("cuoc-thi/bai/<uuid:token>/bien-nhan/", public.receipt, name="receipt"),
    # after a round: results, answer review, certificates (contests/results.py)
    path("cuoc-thi/<int:pk>/tra-cuu/", results.lookup, name="lookup"),
    path("cuoc-thi/<int:pk>/xac-minh/", results.contact_verify, name="contact-verify"),
    path("cuoc-thi/<int:pk>/xac-minh/gui-ma/", results.contact_code_send, name="contact-code-send"),
    path("cuoc-thi/bai/<uuid:token>/xem-lai/", results.review, name="review"),
    path(
        "cuoc-thi/bai/<uuid:token>/giay-chung-nhan.pdf",
        results.certificate,
        name="certificate",
    ),
    path(
        "cuoc-thi/giay-chung-nhan/<str:token>/",
        results.certificate_verify,
        name="certificate-verify",
    ),
    # taken by contests.hotpath ahead of Django in production; this view runs the same code
    path("cuoc-thi/nop/<uuid:token>/", public.attempt_submit, name="attempt-submit"),
]
