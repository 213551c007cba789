from typing import Any

from django import forms

from thidua.core.concurrency import ConcurrentEditForm
from thidua.portal.models import Album, Event, Section

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})
DATETIME_WIDGET = forms.DateTimeInput(
    format="%d/%m/%Y %H:%M", attrs={"placeholder": "dd/mm/yyyy hh:mm"}
)
IMAGE_ACCEPT = {"accept": "image/jpeg,image/png,image/webp"}


class SiteForm(ConcurrentEditForm):  # M7: an old page never undoes a newer edit
    is_public = forms.BooleanField(label="Công khai trang phong trào", required=False)
    slug = forms.CharField(
        label="Đường dẫn",
        max_length=80,
        required=False,
        help_text="Chữ không dấu, nối bằng dấu gạch ngang; để trống để tạo tự động.",
    )
    intro = forms.CharField(
        label="Lời giới thiệu", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class SectionForm(forms.Form):
    name = forms.CharField(label="Tên chuyên mục mới", max_length=120)


class ArticleForm(forms.Form):
    section = forms.ModelChoiceField(label="Chuyên mục", queryset=Section.objects.none())
    title = forms.CharField(label="Tiêu đề", max_length=255)
    summary = forms.CharField(
        label="Tóm tắt", max_length=600, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    body = forms.CharField(
        label="Nội dung",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "data-rich-text": "1"}),
    )
    author_name = forms.CharField(label="Tác giả", max_length=150, required=False)
    cover = forms.FileField(
        label="Ảnh bìa", required=False, widget=forms.ClearableFileInput(attrs=IMAGE_ACCEPT)
    )
    cover_alt = forms.CharField(
        label="Mô tả ảnh bìa (cho người khiếm thị)", max_length=255, required=False
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, sections: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["section"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = sections if sections is not None else Section.objects.none()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("cover") and not (data.get("cover_alt") or "").strip():
            self.add_error("cover_alt", "Ảnh bìa cần có mô tả (cho người khiếm thị).")
        return data


class PublishForm(forms.Form):
    publish_at = forms.DateTimeField(
        label="Hẹn giờ đăng",
        required=False,
        widget=DATETIME_WIDGET,
        help_text="Để trống để đăng ngay.",
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Nhận đăng"), ("decline", "Không sử dụng")])
    note = forms.CharField(label="Lý do", required=False, max_length=1000)


class AlbumForm(ConcurrentEditForm):  # M7: an old page never undoes a newer edit
    title = forms.CharField(label="Tên bộ ảnh", max_length=255)
    description = forms.CharField(
        label="Giới thiệu", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PhotoForm(forms.Form):
    image = forms.FileField(label="Ảnh", widget=forms.ClearableFileInput(attrs=IMAGE_ACCEPT))
    caption = forms.CharField(label="Chú thích", max_length=500)
    alt_text = forms.CharField(
        label="Mô tả ảnh (cho người khiếm thị)",
        max_length=255,
        help_text="Ngắn gọn: trong ảnh có gì, ví dụ “Đại biểu dâng hương tại Khu lưu niệm”.",
    )
    photographer = forms.CharField(label="Tác giả ảnh", max_length=150, required=False)
    taken_on = forms.DateField(label="Ngày chụp", required=False, widget=DATE_WIDGET)
    place = forms.CharField(label="Địa điểm", max_length=255, required=False)


class SubmitPhotoForm(PhotoForm):
    album = forms.ModelChoiceField(label="Bộ ảnh", queryset=Album.objects.none())

    def __init__(self, *args: Any, albums: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["album"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = albums if albums is not None else Album.objects.none()
        self.order_fields(["album"])


class BookForm(ConcurrentEditForm):  # M7: an old page never undoes a newer edit
    title = forms.CharField(label="Nhan đề", max_length=255)
    author = forms.CharField(label="Tác giả", max_length=255, required=False)
    publisher = forms.CharField(label="Nhà xuất bản", max_length=255, required=False)
    year = forms.IntegerField(label="Năm xuất bản", required=False, min_value=1800, max_value=2100)
    intro = forms.CharField(
        label="Giới thiệu ngắn", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    where_to_read = forms.CharField(label="Nơi đọc, mượn sách", max_length=500, required=False)
    cover = forms.FileField(
        label="Ảnh bìa sách", required=False, widget=forms.ClearableFileInput(attrs=IMAGE_ACCEPT)
    )


class EventForm(ConcurrentEditForm):  # M7: an old page never undoes a newer edit
    kind = forms.ChoiceField(label="Hình thức", choices=Event.Kind.choices)
    title = forms.CharField(label="Tên sự kiện", max_length=255)
    starts_at = forms.DateTimeField(label="Thời gian", widget=DATETIME_WIDGET)
    place = forms.CharField(label="Địa điểm", max_length=255)
    speakers = forms.CharField(
        label="Diễn giả (mỗi dòng một người)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description = forms.CharField(
        label="Giới thiệu", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    materials = forms.CharField(
        label="Tài liệu, tường thuật sau sự kiện",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "data-rich-text": "1"}),
    )
    is_published = forms.BooleanField(label="Đăng công khai", required=False, initial=True)
