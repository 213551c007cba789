from django.urls import path

from thidua.portal import views

app_name = "portal"
P = "cong-thong-tin/<slug:slug>/"
urlpatterns = [
    # Public pages (anonymous visitors; cached).
    path("cong-thong-tin/", views.index, name="index"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("cong-thong-tin/anh/<str:kind>/<int:pk>/<str:size>.jpg", views.image, name="image"),
    path(P, views.home, name="home"),
    path(P + "tin-tuc/", views.news, name="news"),
    path(P + "chuyen-muc/<slug:section>/", views.news, name="section"),
    path(P + "tin-tuc/<slug:article>/", views.article, name="article"),
    path(P + "trien-lam-anh/", views.exhibition, name="exhibition"),
    path(P + "trien-lam-anh/<slug:album>/", views.album, name="album"),
    path(P + "trung-bay-sach/", views.books, name="books"),
    path(P + "su-kien/", views.events, name="events"),
    path(P + "vinh-danh/", views.honours, name="honours"),
    path(P + "tra-cuu-giay-khen/", views.certificate_check, name="certificate-check"),
    path(P + "su-kien/<slug:event>/", views.event, name="event"),
    path(P + "mo-hinh-hay/", views.good_models, name="good-models"),
    path(P + "mo-hinh-hay/<int:pk>/", views.good_model, name="good-model"),
    path(P + "tim-kiem/", views.search, name="search"),
    path(P + "tin-tuc.rss", views.ArticleFeed(), name="feed-rss"),
    path(P + "tin-tuc.atom", views.AtomArticleFeed(), name="feed-atom"),
    # Editorial side (staff).
    path("phong-trao/<int:pk>/cong-thong-tin/", views.manage, name="manage"),
    path(
        "phong-trao/<int:pk>/cong-thong-tin/chuyen-muc/",
        views.section_create,
        name="section-create",
    ),
    path(
        "phong-trao/<int:pk>/cong-thong-tin/tin-bai/them/",
        views.article_create,
        name="article-create",
    ),
    path("tin-bai/<int:pk>/", views.article_edit, name="article-edit"),
    path("tin-bai/<int:pk>/xem-truoc/", views.article_preview, name="article-preview"),
    path("tin-bai/<int:pk>/dang/", views.article_publish, name="article-publish"),
    path("tin-bai/<int:pk>/go/", views.article_unpublish, name="article-unpublish"),
    path("tin-bai/<int:pk>/xoa/", views.article_delete, name="article-delete"),
    path(
        "phong-trao/<int:pk>/cong-thong-tin/bo-anh/them/", views.album_create, name="album-create"
    ),
    path("bo-anh/<int:pk>/", views.album_edit, name="album-edit"),
    path("bo-anh/<int:pk>/xoa/", views.album_delete, name="album-delete"),
    path("anh/<int:pk>/go/", views.photo_withdraw, name="photo-withdraw"),
    path("anh/<int:pk>/xoa/", views.photo_delete, name="photo-delete"),
    path("anh/<int:pk>/di-chuyen/", views.photo_move, name="photo-move"),
    path("phong-trao/<int:pk>/cong-thong-tin/sach/them/", views.book_edit, name="book-create"),
    path("phong-trao/<int:pk>/cong-thong-tin/sach/<int:book>/", views.book_edit, name="book-edit"),
    path(
        "phong-trao/<int:pk>/cong-thong-tin/sach/<int:book>/xoa/",
        views.book_delete,
        name="book-delete",
    ),
    path(
        "phong-trao/<int:pk>/cong-thong-tin/sach/<int:book>/di-chuyen/",
        views.book_move,
        name="book-move",
    ),
    path("phong-trao/<int:pk>/cong-thong-tin/su-kien/them/", views.event_edit, name="event-create"),
    path(
        "phong-trao/<int:pk>/cong-thong-tin/su-kien/<int:event>/",
        views.event_edit,
        name="event-edit",
    ),
    path(
        "phong-trao/<int:pk>/cong-thong-tin/su-kien/<int:event>/xoa/",
        views.event_delete,
        name="event-delete",
    ),
    path("phong-trao/<int:pk>/cong-thong-tin/bai-anh-gui/", views.submissions, name="submissions"),
    path(
        "cong-thong-tin/duyet/<str:kind>/<int:pk>/",
        views.submission_review,
        name="submission-review",
    ),
    path("phong-trao/<int:pk>/cong-thong-tin/gui-anh/", views.submit_photo, name="submit-photo"),
    path(
        "phong-trao/<int:pk>/cong-thong-tin/gui-bai/", views.submit_article, name="submit-article"
    ),
]
