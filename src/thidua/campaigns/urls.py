from django.urls import path

from thidua.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("phong-trao/", views.campaign_list, name="campaign-list"),
    path("phong-trao/nhap/", views.campaign_import, name="campaign-import"),
    path("phong-trao/nhap/doi-chieu/", views.campaign_import_review, name="campaign-import-review"),
    path("phong-trao/<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("phong-trao/<int:pk>/doi-chieu/", views.campaign_review, name="campaign-review"),
    path("phong-trao/<int:pk>/soan-thao/", views.campaign_edit, name="campaign-edit"),
    path("phong-trao/<int:pk>/xem-truoc/", views.campaign_preview, name="campaign-preview"),
    path("phong-trao/<int:pk>/nhiem-vu/them/", views.assignment_edit, name="assignment-create"),
    path(
        "phong-trao/<int:pk>/nhiem-vu/<int:assignment_pk>/",
        views.assignment_edit,
        name="assignment-edit",
    ),
    path("phong-trao/<int:pk>/ban-hanh/", views.campaign_issue, name="campaign-issue"),
    path(
        "phong-trao/<int:pk>/chuyen/<slug:step>/",
        views.campaign_transition,
        name="campaign-transition",
    ),
    path("phong-trao/<int:pk>/xac-nhan/", views.campaign_acknowledge, name="campaign-acknowledge"),
    path("phong-trao/<int:pk>/sao-chep/", views.campaign_copy, name="campaign-copy"),
    path("phong-trao/<int:pk>/xoa/", views.campaign_delete, name="campaign-delete"),
    path(
        "phong-trao/<int:pk>/loai-hoat-dong/them/",
        views.activity_form_add,
        name="activity-form-add",
    ),
    path("phong-trao/<int:pk>/tiep-nhan/", views.campaign_deliveries, name="campaign-deliveries"),
    path("phong-trao/<int:pk>/ke-hoach.pdf", views.campaign_pdf, name="campaign-pdf"),
    path("phong-trao/<int:pk>/ke-hoach.docx", views.campaign_docx, name="campaign-docx"),
    path("nhiem-vu/", views.task_list, name="task-list"),
    path("nhiem-vu/<int:target_pk>/cap-nhat/", views.task_update, name="task-update"),
]
