from django.urls import path

from thidua.portal.views import editorial, exhibits, public

app_name = "portal"
P = "cong-thong-tin/<slug:slug>/"
urlpatterns = [
    # Public pages (anonymous visitors; cached).
    path("cong-thong-tin/", public.index, name="index"),
    path("sitemap.xml", public.sitemap, name="sitemap"),
    path("robots.txt", public.robots, name="robots"),
    path("cong-thong-tin/anh/<str:kind>/<int:pk>/<str:size>.jpg", public.image, name="image"),
    path(P, public.home, name="home"),
    path(P + "tin-tuc/", public.news, name="news"),
    path(P + "chuyen-muc/<slug:section>/", public.news, name="section"),
    path(P + "tin-tuc/<slug:article>/", public.article, name="article"),
    path(P + "trien-lam-anh/", public.exhibition, name="exhibition"),
    path(P + "trien-lam-anh/<slug:album>/", public.album, name="album"),
    path(P + "trung-bay-sach/", public.books, name="books"),
    path(P + "su-kien/", public.events, name="events"),
    path(P + "vinh-danh/", public.honours, name="honours"),
    path(P + "tra-cuu-giay-khen/", public.certificate_check, name="certificate-check"),
    path(P + "su-kien/<slug:event>/", public.event, name="event"),
    path(P + "mo-hinh-hay/", public.good_models, name="good-models"),
    path(P + "mo-hinh-hay/<int:pk>/", public.good_model, name="good-model"),
    path(P + "tim-kiem/", public.search, name="search"),
    path(P + "tin-tuc.rss", public.ArticleFeed(), name="feed-rss"),
    path(P + "tin-tuc.atom", public.AtomArticleFeed(), name="feed-atom"),
    # Editorial side (staff).
    path("bien-tap/trang-phong-trao/", editorial.campaign_pages, name="campaign-pages"),
    path("phong-trao/<int:pk>/cong-thong-tin/", editorial.manage, name="manage"),
    path(
        "phong-trao/<int:pk>/cong-thong-tin/chuyen-muc/",
        editorial.section_create,
        name="section-create",
    ),
    path(
        "phong-trao/<int:pk>/cong-thong-tin/tin-bai/them/",
        editorial.article_create,
        name="article-create",
    ),
    path("tin-bai/<int:pk>/", editorial.article_edit, name="article-edit"),
    path("tin-bai/<int:pk>/xem-truoc/", editorial.article_preview, name="article-preview"),
    path("tin-bai/<int:pk>/dang/", editorial.article_publish, name="article-publish"),
    path("tin-bai/<int:pk>/go/", editorial.article_unpublish, name="article-unpublish"),
    path("tin-bai/<int:pk>/xoa/", editorial.article_delete, name="article-delete"),
    path(
        "phong-trao/<int:pk>/cong-thong-tin/bo-anh/them/",
        exhibits.album_create,
        name="album-create",
    ),
    path("bo-anh/<int:pk>/", exhibits.album_edit, name="album-edit"),
    path("bo-anh/<int:pk>/xoa/", exhibits.album_delete, name="album-delete"),
    path("anh/<int:pk>/go/", exhibits.photo_withdraw, name="photo-withdraw"),
    path("anh/<int:pk>/xoa/", exhibits.photo_delete, name="photo-delete"),
    path("anh/<int:pk>/di-chuyen/", exhibits.photo_move, name="photo-move"),
    path("phong-trao/<int:pk>/cong-thong-tin/sach/them/", exhibits.book_edit, name="book-create"),
    path(
        "phong-trao/<int:pk>/cong-thong-tin/sach/<int:book>/", exhibits.book_edit, name="book-edit"
    ),
    path(
        "phong-trao/<int:pk>/cong-thong-tin/sach/<int:book>/xoa/",
        exhibits.book_delete,
        name="book-delete",
    ),
    path(
        "phong-trao/<int:pk>/cong-thong-tin/sach/<int:book>/di-chuyen/",
        exhibits.book_move,
        name="book-move",
    ),
    path(
        "phong-trao/<int:pk>/cong-thong-tin/su-kien/them/", exhibits.event_edit, name="event-create"
    ),
    path(
        "phong-trao/<int:pk>/cong-thong-tin/su-kien/<int:event>/",
        exhibits.event_edit,
        name="event-edit",
    ),
    path(
        "phong-trao/<int:pk>/cong-thong-tin/su-kien/<int:event>/xoa/",
        exhibits.event_delete,
        name="event-delete",
    ),
    path(
        "phong-trao/<int:pk>/cong-thong-tin/bai-anh-gui/", editorial.submissions, name="submissions"
    ),
    path(
        "cong-thong-tin/duyet/<str:kind>/<int:pk>/",
        editorial.submission_review,
        name="submission-review",
    ),
    path(
        "phong-trao/<int:pk>/cong-thong-tin/gui-anh/", editorial.submit_photo, name="submit-photo"
    ),
    path(
        "phong-trao/<int:pk>/cong-thong-tin/gui-bai/",
        editorial.submit_article,
        name="submit-article",
    ),
]
