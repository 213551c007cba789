from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from thidua.campaigns.models import ActivityForm, AwardForm, Campaign
from thidua.core.deadlines import DeadlineCheckMixin
from thidua.organizations.forms import DATE_WIDGET, UnitChoiceField, UnitPicker
from thidua.organizations.models import Unit

MAX_DOCX_BYTES = 10 * 1024 * 1024
DOCX_MIME_PREFIX = b"PK\x03\x04"


class ImportPlanForm(forms.Form):
    owner_unit = UnitChoiceField(queryset=Unit.objects.none(), label="Cơ quan ban hành")
    text = forms.CharField(
        label="Dán nội dung kế hoạch",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
    )
    docx = forms.FileField(
        label="Hoặc tải lên tệp Word (.docx)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
    )

    def __init__(self, *args: object, units: QuerySet[Unit], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["owner_unit"].queryset = units  # type: ignore[attr-defined]

    def clean_docx(self) -> bytes | None:
        upload = self.cleaned_data.get("docx")
        if not upload:
            return None
        if upload.size > MAX_DOCX_BYTES:
            raise ValidationError("Tệp quá lớn (tối đa 10 MB).")
        data: bytes = upload.read()
        if not data.startswith(DOCX_MIME_PREFIX):
            raise ValidationError("Tệp không phải là văn bản Word (.docx) hợp lệ.")
        return data

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("text", "").strip() and not data.get("docx"):
            raise ValidationError("Hãy dán nội dung kế hoạch hoặc chọn tệp Word.")
        return data


class CampaignForm(forms.ModelForm[Campaign]):
    version = forms.IntegerField(widget=forms.HiddenInput)
    participants_collective = forms.CharField(
        label="Đối tượng tập thể (mỗi dòng một đối tượng)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    participants_individual = forms.CharField(
        label="Đối tượng cá nhân (mỗi dòng một đối tượng)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Campaign
        fields = [
            "issuer_parent_name",
            "issuer_name",
            "doc_symbol",
            "place",
            "title",
            "method",
            "is_special",
            "occasion_date",
            "period_start",
            "period_end",
            "period_text",
            "report_deadline",
            "report_deadline_exclusive",
            "counts_for_annual_evaluation",
            "standing_agency",
            "signer_authority",
            "signer_title_line",
            "signer_title",
            "signer_name",
            "invited_units",
            "invited_blocks",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "occasion_date": DATE_WIDGET,
            "period_start": DATE_WIDGET,
            "period_end": DATE_WIDGET,
            "report_deadline": DATE_WIDGET,
            "invited_units": UnitPicker(),
            "invited_blocks": forms.SelectMultiple(attrs={"size": 4}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)
            self.initial["participants_collective"] = "\n".join(
                self.instance.participants_collective
            )
            self.initial["participants_individual"] = "\n".join(
                self.instance.participants_individual
            )
        units = Unit.objects.filter(valid_to__isnull=True).order_by("name_sort")
        self.fields["standing_agency"].queryset = units  # type: ignore[attr-defined]
        # Units of the plan's time stay selectable after a merger closed them.
        self.fields["invited_units"].queryset = Unit.objects.order_by("name_sort")  # type: ignore[attr-defined]

    def clean_participants_collective(self) -> list[str]:
        return [
            x.strip()
            for x in self.cleaned_data["participants_collective"].splitlines()
            if x.strip()
        ]

    def clean_participants_individual(self) -> list[str]:
        return [
            x.strip()
            for x in self.cleaned_data["participants_individual"].splitlines()
            if x.strip()
        ]


class SectionForm(forms.Form):
    level = forms.TypedChoiceField(
        label="Cấp",
        coerce=int,
        choices=[(0, "Đoạn"), (1, "I."), (2, "1."), (3, "a)")],
        initial=1,  # a blank row left as shown is "unchanged", so it is skipped, not refused
    )
    label = forms.CharField(label="Số", max_length=16, required=False)
    title = forms.CharField(label="Tiêu đề", max_length=500, required=False)
    body = forms.CharField(
        label="Nội dung", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


SectionFormSet = forms.formset_factory(SectionForm, extra=1, can_order=True, can_delete=True)


class FormItemForm(forms.Form):
    code = forms.ChoiceField(
        label="Loại", choices=ActivityForm.Code.choices, initial=ActivityForm.Code.OTHER
    )
    label = forms.CharField(label="Tên hình thức", max_length=255)


FormItemFormSet = forms.formset_factory(FormItemForm, extra=1, can_order=True, can_delete=True)


class AwardItemForm(forms.Form):
    name = forms.CharField(label="Hình thức", max_length=255)
    signer = forms.CharField(label="Thẩm quyền", max_length=255, required=False)
    target = forms.ChoiceField(
        label="Đối tượng", choices=AwardForm.Target.choices, initial=AwardForm.Target.BOTH
    )
    quota = forms.IntegerField(label="Số lượng tối đa", min_value=0, required=False)


AwardItemFormSet = forms.formset_factory(AwardItemForm, extra=1, can_order=True, can_delete=True)


class RecipientItemForm(forms.Form):
    text = forms.CharField(label="Nơi nhận", max_length=255)
    note = forms.CharField(label="Ghi chú", max_length=64, required=False)


RecipientItemFormSet = forms.formset_factory(
    RecipientItemForm, extra=1, can_order=True, can_delete=True
)


class CriterionItemForm(forms.Form):
    text = forms.CharField(label="Tiêu chí", widget=forms.Textarea(attrs={"rows": 2}))
    target_value = forms.DecimalField(
        label="Chỉ tiêu", required=False, max_digits=14, decimal_places=2
    )
    target_unit = forms.CharField(label="Đơn vị tính", max_length=64, required=False)


CriterionItemFormSet = forms.formset_factory(
    CriterionItemForm, extra=1, can_order=True, can_delete=True
)


class AssignmentForm(DeadlineCheckMixin, forms.Form):
    field_order = ["clause", "text", "units", "due_date", "confirm_deadline"]
    clause = forms.CharField(label="Điều khoản", max_length=16, required=False)
    text = forms.CharField(label="Nhiệm vụ", widget=forms.Textarea(attrs={"rows": 3}))
    units = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.filter(valid_to__isnull=True),
        label="Cơ quan, đơn vị thực hiện",
        widget=UnitPicker(),
    )
    due_date = forms.DateField(label="Hạn (ngày cụ thể)", required=False, widget=DATE_WIDGET)
    due_working_days = forms.IntegerField(
        label="Hoặc: số ngày làm việc kể từ ngày ban hành",
        min_value=1,
        max_value=365,
        required=False,
    )

    def __init__(self, *args: Any, campaign: Campaign | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        c = self.campaign
        if c is not None:
            self.check_deadline(
                "due_date",
                data.get("due_date"),
                not_before=c.period_start,
                not_before_what="thời gian bắt đầu của kế hoạch",
                refuse_before=c.issued_on,
                refuse_before_what="ngày ban hành kế hoạch",
            )
        data.pop("confirm_deadline", None)  # a form matter, not the service's
        return data


class IssueForm(forms.Form):
    issued_on = forms.DateField(label="Ngày ban hành", widget=DATE_WIDGET)
