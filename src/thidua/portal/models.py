"""The public portal of a campaign: sections and articles, photo albums, books, events.

Good models come from participation (accepted by Nội vụ); the honour board, the contest and
certificate verification are wired in by their own apps later.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from thidua.core.clock import now
from thidua.core.text import fold


class PortalSite(models.Model):
    """A campaign's public pages (chuyên trang); internal until made public."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="portal"
    )
    slug = models.SlugField("đường dẫn", max_length=80, unique=True)
    is_public = models.BooleanField("công khai", default=False)
    intro = models.TextField("lời giới thiệu", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "trang phong trào"
        verbose_name_plural = "trang phong trào"

    def __str__(self) -> str:
        return self.slug


class Section(models.Model):
    """A news section (chuyên mục)."""

    site = models.ForeignKey(PortalSite, on_delete=models.CASCADE, related_name="sections")
    name = models.CharField("tên chuyên mục", max_length=120)
    slug = models.SlugField(max_length=80)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "chuyên mục"
        verbose_name_plural = "chuyên mục"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["site", "slug"], name="portal_section_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ContentStatus(models.TextChoices):
    DRAFT = "draft", "Bản nháp"
    SUBMITTED = "submitted", "Đơn vị gửi, chờ duyệt"
    PUBLISHED = "published", "Đã đăng"
    DECLINED = "declined", "Không sử dụng"


class Article(models.Model):
    """A news article. Published with a future `publish_at` means scheduled."""

    site = models.ForeignKey(PortalSite, on_delete=models.CASCADE, related_name="articles")
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="articles", verbose_name="chuyên mục"
    )
    title = models.CharField("tiêu đề", max_length=255)
    slug = models.SlugField(max_length=120)
    summary = models.TextField("tóm tắt", max_length=600, blank=True)
    body = models.TextField("nội dung", blank=True)  # sanitised HTML (services.sanitize_html)
    author_name = models.CharField("tác giả", max_length=150, blank=True)
    cover = models.FileField(upload_to="portal/", max_length=255, blank=True)
    cover_medium = models.FileField(upload_to="portal/", max_length=255, blank=True)
    cover_thumb = models.FileField(upload_to="portal/", max_length=255, blank=True)
    cover_alt = models.CharField("mô tả ảnh bìa", max_length=255, blank=True)
    status = models.CharField(
        "trạng thái", max_length=16, choices=ContentStatus, default=ContentStatus.DRAFT
    )
    publish_at = models.DateTimeField("thời điểm đăng", null=True, blank=True)
    submitted_unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(blank=True)
    search_text = models.CharField(max_length=1000, editable=False, default="")
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "tin bài"
        verbose_name_plural = "tin bài"
        ordering = ["-publish_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["site", "slug"], name="portal_article_slug_unique"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False),
                name="portal_article_published_has_time",
            ),
        ]
        indexes = [  # serves the public news lists: published, newest first
            models.Index(
                fields=["site", "-publish_at"],
                condition=Q(status="published"),
                name="portal_article_public",
            )
        ]

    def __str__(self) -> str:
        return self.title

    # What the editorial pages offer (templates ask these, never the status values).
    @property
    def is_scheduled(self) -> bool:
        """Published with a future `publish_at`: off the public pages until then."""
        return (
            self.status == ContentStatus.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > now()
        )

    @property
    def can_unpublish(self) -> bool:
        """On the pages or scheduled: taken down to a draft first, before any deletion."""
        return self.status == ContentStatus.PUBLISHED


class Album(models.Model):
    """A photo album of the online exhibition (triển lãm ảnh trực tuyến)."""

    site = models.ForeignKey(PortalSite, on_delete=models.CASCADE, related_name="albums")
    title = models.CharField("tên bộ ảnh", max_length=255)
    slug = models.SlugField(max_length=120)
    description = models.TextField("giới thiệu", blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "bộ ảnh"
        verbose_name_plural = "bộ ảnh"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["site", "slug"], name="portal_album_slug_unique")
        ]

    def __str__(self) -> str:
        return self.title


class Photo(models.Model):
    album = models.ForeignKey(Album, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="portal/", max_length=255)  # longest side ≤ 1600
    image_medium = models.FileField(upload_to="portal/", max_length=255)  # ≤ 960
    image_thumb = models.FileField(upload_to="portal/", max_length=255)  # ≤ 480
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    caption = models.CharField("chú thích", max_length=500)
    alt_text = models.CharField("mô tả ảnh (cho người khiếm thị)", max_length=255)
    photographer = models.CharField("tác giả ảnh", max_length=150, blank=True)
    taken_on = models.DateField("ngày chụp", null=True, blank=True)
    place = models.CharField("địa điểm", max_length=255, blank=True)
    status = models.CharField(max_length=16, choices=ContentStatus, default=ContentStatus.PUBLISHED)
    submitted_unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    search_text = models.CharField(max_length=1000, editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ảnh"
        verbose_name_plural = "ảnh"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.caption

    # What the album page offers (templates ask these, never the status values).
    @property
    def is_on_show(self) -> bool:
        return self.status == ContentStatus.PUBLISHED

    @property
    def can_withdraw(self) -> bool:
        return self.is_on_show

    @property
    def is_withdrawn(self) -> bool:
        """Media staff's own photo taken off the exhibition (a unit's declined photo is not)."""
        return self.status == ContentStatus.DECLINED and not self.submitted_unit_id

    @property
    def can_delete(self) -> bool:
        """Only a withdrawn staff photo; a unit's photo stays as its record (photo_delete)."""
        return self.is_withdrawn


def photo_search_text(caption: str, photographer: str, place: str, album_title: str) -> str:
    """What the portal search finds a photo by, folded: its caption, author, place and album
    (the album's title is kept on each photo, so a search reads one table)."""
    return fold(f"{caption} {photographer} {place} {album_title}")[:1000]


class Book(models.Model):
    """A catalogue entry of the book display (trưng bày sách)."""

    site = models.ForeignKey(PortalSite, on_delete=models.CASCADE, related_name="books")
    title = models.CharField("nhan đề", max_length=255)
    author = models.CharField("tác giả", max_length=255, blank=True)
    publisher = models.CharField("nhà xuất bản", max_length=255, blank=True)
    year = models.PositiveSmallIntegerField("năm xuất bản", null=True, blank=True)
    intro = models.TextField("giới thiệu ngắn", blank=True)
    where_to_read = models.CharField("nơi đọc, mượn sách", max_length=500, blank=True)
    cover = models.FileField(upload_to="portal/", max_length=255, blank=True)
    cover_thumb = models.FileField(upload_to="portal/", max_length=255, blank=True)
    position = models.PositiveIntegerField(default=0)
    search_text = models.CharField(max_length=1000, editable=False, default="")

    class Meta:
        verbose_name = "sách trưng bày"
        verbose_name_plural = "sách trưng bày"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Event(models.Model):
    """A seminar (tọa đàm) or thematic talk (nói chuyện chuyên đề)."""

    class Kind(models.TextChoices):
        SEMINAR = "seminar", "Tọa đàm"
        TALK = "talk", "Nói chuyện chuyên đề"

    site = models.ForeignKey(PortalSite, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("hình thức", max_length=16, choices=Kind, default=Kind.SEMINAR)
    title = models.CharField("tên sự kiện", max_length=255)
    slug = models.SlugField(max_length=120)
    starts_at = models.DateTimeField("thời gian")
    place = models.CharField("địa điểm", max_length=255)
    speakers = models.TextField("diễn giả (mỗi dòng một người)", blank=True)
    description = models.TextField("giới thiệu", blank=True)
    materials = models.TextField("tài liệu sau sự kiện", blank=True)  # sanitised HTML
    is_published = models.BooleanField("đăng công khai", default=True)

    class Meta:
        verbose_name = "sự kiện"
        verbose_name_plural = "sự kiện"
        ordering = ["-starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["site", "slug"], name="portal_event_slug_unique")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def speaker_list(self) -> list[str]:
        return [line.strip() for line in self.speakers.splitlines() if line.strip()]
