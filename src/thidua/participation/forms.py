from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet

from thidua.campaigns.models import ActivityForm, Campaign, Criterion
from thidua.core.concurrency import ConcurrentEditForm
from thidua.core.forms import VnDecimalField
from thidua.organizations.forms import DATE_WIDGET
from thidua.organizations.models import EmulationBlock, Person
from thidua.participation import rules
from thidua.participation.models import Commitment, GoodModel


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by content in the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,.pdf,.docx,.xlsx"}),
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


# the request's own limit (THIDUA_MAX_UPLOAD_BYTES, as nginx's) bounds a send of several files
FILES_HELP = (
    "Ảnh (JPEG, PNG, WebP), PDF, Word (.docx), Excel (.xlsx); tối đa 15 MB mỗi tệp, "
    f"{settings.THIDUA_MAX_UPLOAD_BYTES // (1024 * 1024)} MB mỗi lần gửi. "
    "Thông tin vị trí trong ảnh được xóa."
)


class CommitmentForm(forms.Form):
    criterion = forms.ModelChoiceField(
        queryset=Criterion.objects.none(),
        required=False,
        label="Tiêu chí của kế hoạch",
        empty_label="(cam kết riêng của đơn vị)",
    )
    text = forms.CharField(label="Nội dung cam kết", max_length=500)
    # The initial value keeps the blank extra row "unchanged", so it is skipped on save.
    target_kind = forms.ChoiceField(
        label="Loại chỉ tiêu",
        choices=Commitment.TargetKind.choices,
        initial=Commitment.TargetKind.NUMBER,
    )
    target_value = VnDecimalField(
        label="Chỉ tiêu", required=False, max_digits=14, decimal_places=2, min_value=0
    )
    target_unit = forms.CharField(label="Đơn vị tính", max_length=64, required=False)
    target_text = forms.CharField(label="Chỉ tiêu (mô tả)", max_length=500, required=False)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = campaign.criteria.all()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("target_kind") == Commitment.TargetKind.NUMBER
            and data.get("target_value") is None
            and "target_value" not in self.errors  # "abc" already reads "Nhập một số."
        ):
            self.add_error("target_value", "Nhập chỉ tiêu bằng số.")
        return data


CommitmentFormSet = forms.formset_factory(
    CommitmentForm, extra=1, can_delete=True, min_num=1, validate_min=True
)


class RegistrationForm(forms.Form):
    note = forms.CharField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # The version of the registration the page showed (services.registration_version): a save
    # from a page older than the stored registration is refused, never silently overwrites it.
    version = forms.CharField(required=False, widget=forms.HiddenInput)


class ReturnForm(forms.Form):
    # Required by the service (its message reads the same from the API).
    note = forms.CharField(
        label="Lý do trả lại", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActivityEntryForm(ConcurrentEditForm):
    """Record or edit an activity; `_bases` guards an edit against lost updates (M7)."""

    form = forms.ModelChoiceField(
        queryset=ActivityForm.objects.none(), label="Hình thức", empty_label="— Chọn hình thức —"
    )
    title = forms.CharField(label="Tên hoạt động", max_length=255)
    held_on = forms.DateField(label="Ngày tổ chức", widget=DATE_WIDGET)
    ends_on = forms.DateField(label="Đến ngày (nếu kéo dài)", required=False, widget=DATE_WIDGET)
    place = forms.CharField(label="Địa điểm", max_length=255, required=False)
    participants = forms.IntegerField(
        label="Số người tham gia",
        min_value=0,
        max_value=rules.MAX_PARTICIPANTS,
        initial=0,
        error_messages={"max_value": rules.PARTICIPANTS_RANGE},
    )
    description = forms.CharField(
        label="Mô tả", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    links = forms.CharField(
        label="Đường dẫn (mỗi dòng một địa chỉ)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    attachments = MultipleFileField(label="Minh chứng", help_text=FILES_HELP)

    def __init__(
        self, *args: Any, campaign: Campaign, commitments: QuerySet[Commitment], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = campaign.forms.all()  # type: ignore[attr-defined]
        self.commitment_fields = []
        for c in commitments:
            name = f"contribution_{c.pk}"
            unit = f" ({c.target_unit})" if c.target_unit else ""
            self.fields[name] = VnDecimalField(
                label=f"Đóng góp cho cam kết: {c.text}{unit}",
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
            )
            self.commitment_fields.append((c.pk, name))

    def clean_links(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        validator = forms.URLField(assume_scheme="https")
        for line in lines:
            validator.clean(line)
        return "\n".join(lines)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("ends_on") and data.get("held_on") and data["ends_on"] < data["held_on"]:
            self.add_error("ends_on", "Ngày kết thúc phải sau ngày tổ chức.")
        return data

    def contributions(self) -> dict[int, Any]:
        return {
            pk: self.cleaned_data.get(name)
            for pk, name in self.commitment_fields
            if self.cleaned_data.get(name)
        }


class GoodModelForm(forms.Form):
    kind = forms.ChoiceField(label="Loại", choices=GoodModel.Kind.choices)
    title = forms.CharField(label="Tên mô hình, điển hình", max_length=255)
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Cá nhân (với điển hình cá nhân)",
        empty_label="— Không (mô hình của tập thể) —",
    )
    description = forms.CharField(label="Mô tả", widget=forms.Textarea(attrs={"rows": 4}))
    results = forms.CharField(
        label="Kết quả, hiệu quả", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = MultipleFileField(label="Minh chứng", help_text=FILES_HELP)

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Kết luận",
        choices=[
            ("accept", "Công nhận"),
            ("more", "Yêu cầu bổ sung"),
            ("decline", "Không công nhận"),
        ],
    )
    note = forms.CharField(
        label="Ý kiến, lý do", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        """The service's rule, checked here too so the page is shown again as chosen: after a
        redirect the choice was back at "Công nhận", and pressing again accepted the model."""
        data = super().clean() or {}
        if data.get("decision") not in {None, "accept"} and not data.get("note", "").strip():
            self.add_error("note", "Cần ghi rõ lý do để đơn vị biết.")
        return data


class ResubmitForm(forms.Form):
    """What the unit adds when asked for more (empty keeps what it wrote)."""

    description = forms.CharField(required=False)
    results = forms.CharField(required=False)


class AdoptForm(forms.Form):
    note = forms.CharField(
        label="Đơn vị áp dụng mô hình như thế nào?", widget=forms.Textarea(attrs={"rows": 2})
    )


class DifficultyForm(forms.Form):
    title = forms.CharField(label="Vấn đề", max_length=255)
    text = forms.CharField(
        label="Nội dung khó khăn, vướng mắc", widget=forms.Textarea(attrs={"rows": 4})
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label="Trả lời", widget=forms.Textarea(attrs={"rows": 3}))


class PledgeForm(forms.Form):
    block = forms.ModelChoiceField(
        queryset=EmulationBlock.objects.none(), label="Khối thi đua", empty_label="— Chọn khối —"
    )
    signed_on = forms.DateField(label="Ngày ký", widget=DATE_WIDGET)
    text = forms.CharField(label="Nội dung giao ước", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, blocks: QuerySet[EmulationBlock], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["block"].queryset = blocks  # type: ignore[attr-defined]
