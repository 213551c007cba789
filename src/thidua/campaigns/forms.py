from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from thidua.campaigns.models import ActivityForm, AwardForm, Campaign, Prize, RecipientRole
from thidua.campaigns.review import plan_text
from thidua.campaigns.services.common import PLAN_FIELDS
from thidua.core.deadlines import DeadlineCheckMixin
from thidua.core.forms import VnDecimalField
from thidua.core.uploads import PARSED_WORD_MAX_UNPACKED_BYTES, UploadKind, check_upload
from thidua.organizations.forms import DATE_WIDGET, UnitChoiceField, UnitPicker
from thidua.organizations.models import Unit

MAX_DOCX_BYTES = 10 * 1024 * 1024


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
        # size, type by content, macros, passwords and ZIP bombs, as for every upload; and text
        # small enough to read (the plan is parsed on the server)
        return check_upload(
            upload,
            allowed={UploadKind.DOCX},
            max_bytes=MAX_DOCX_BYTES,
            max_word_unpacked_bytes=PARSED_WORD_MAX_UNPACKED_BYTES,
        ).content

    def clean(self) -> dict[str, object]:
        """Also `plan_text`: the text to parse, read from the Word file or as pasted (refused if
        unreadable or typed in an old Vietnamese font)."""
        data = super().clean() or {}
        if not data.get("text", "").strip() and not data.get("docx"):
            raise ValidationError("Hãy dán nội dung kế hoạch hoặc chọn tệp Word.")
        if not self.errors:
            try:
                data["plan_text"] = plan_text(data.get("text", ""), data.get("docx"))
            except ValidationError as error:
                self.add_error("docx" if data.get("docx") else "text", error)
        return data


class _PlanFieldsForm(forms.ModelForm[Campaign]):
    """The general fields, with the participants written one per line."""

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
        fields = PLAN_FIELDS
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "occasion_date": DATE_WIDGET,
            "period_start": DATE_WIDGET,
            "period_end": DATE_WIDGET,
            "report_deadline": DATE_WIDGET,
        }

    def clean_participants_collective(self) -> list[str]:
        return _lines(self.cleaned_data["participants_collective"])

    def clean_participants_individual(self) -> list[str]:
        return _lines(self.cleaned_data["participants_individual"])


class CampaignForm(_PlanFieldsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta(_PlanFieldsForm.Meta):
        fields = [*PLAN_FIELDS, "invited_units", "invited_blocks"]
        widgets = {
            **_PlanFieldsForm.Meta.widgets,
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
    label = forms.CharField(label="Tên hoạt động (như kế hoạch)", max_length=255)
    code = forms.ChoiceField(
        label="Hình thức chuẩn gần nhất",
        choices=ActivityForm.Code.choices,
        initial=ActivityForm.Code.OTHER,  # an untouched blank row stays unchanged
    )


FormItemFormSet = forms.formset_factory(FormItemForm, extra=1, can_order=True, can_delete=True)


class AwardItemForm(forms.Form):
    name = forms.CharField(label="Hình thức", max_length=255)
    signer = forms.CharField(label="Thẩm quyền", max_length=255, required=False)
    target = forms.ChoiceField(
        label="Đối tượng", choices=AwardForm.Target.choices, initial=AwardForm.Target.BOTH
    )
    quota_collective = forms.IntegerField(label="Tối đa tập thể", min_value=0, required=False)
    quota_individual = forms.IntegerField(label="Tối đa cá nhân", min_value=0, required=False)
    quota = forms.IntegerField(label="Tổng tối đa (khi không tách)", min_value=0, required=False)


AwardItemFormSet = forms.formset_factory(AwardItemForm, extra=1, can_order=True, can_delete=True)


class PrizeItemForm(forms.Form):
    tier = forms.CharField(label="Giải", max_length=64, help_text="Nhất, Nhì, Ba, Khuyến khích…")
    count = forms.IntegerField(label="Số giải", min_value=1)
    scope = forms.ChoiceField(
        label="Áp dụng", choices=[("", "Chưa rõ"), *Prize.Scope.choices], required=False
    )
    target = forms.ChoiceField(
        label="Đối tượng", choices=Prize.Target.choices, initial=Prize.Target.INDIVIDUAL
    )
    amount = forms.IntegerField(label="Trị giá mỗi giải (đồng)", min_value=0, required=False)


PrizeItemFormSet = forms.formset_factory(PrizeItemForm, extra=1, can_order=True, can_delete=True)


class ParentDocumentForm(forms.Form):
    RELATIONS = [("basis", "Căn cứ"), ("implements", "Thực hiện"), ("reference", "Tham chiếu")]

    type = forms.CharField(label="Loại văn bản", max_length=64, required=False)
    number = forms.CharField(label="Số, ký hiệu", max_length=64, required=False)
    date = forms.DateField(label="Ngày", required=False, widget=DATE_WIDGET)
    issuer = forms.CharField(label="Cơ quan ban hành", max_length=255, required=False)
    relation = forms.ChoiceField(label="Quan hệ", choices=RELATIONS, initial="reference")
    text = forms.CharField(
        label="Trích dẫn", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("type") or data.get("number") or data.get("text")):
            raise ValidationError("Ghi ít nhất loại, số hoặc trích dẫn của văn bản.")
        return data


ParentDocumentFormSet = forms.formset_factory(
    ParentDocumentForm, extra=1, can_order=True, can_delete=True
)


class RecipientItemForm(forms.Form):
    text = forms.CharField(label="Nơi nhận", max_length=255)
    note = forms.CharField(label="Ghi chú", max_length=64, required=False)
    role = forms.ChoiceField(
        label="Vai trò", choices=RecipientRole.choices, initial=RecipientRole.IMPLEMENT
    )


RecipientItemFormSet = forms.formset_factory(
    RecipientItemForm, extra=1, can_order=True, can_delete=True
)


class CriterionItemForm(forms.Form):
    text = forms.CharField(label="Tiêu chí", widget=forms.Textarea(attrs={"rows": 2}))
    target_value = VnDecimalField(label="Chỉ tiêu", required=False, max_digits=14, decimal_places=2)
    target_unit = forms.CharField(label="Đơn vị tính", max_length=64, required=False)


CriterionItemFormSet = forms.formset_factory(
    CriterionItemForm, extra=1, can_order=True, can_delete=True
)


class AssignmentForm(DeadlineCheckMixin, forms.Form):
    field_order = ["clause", "text", "agencies_text", "units", "due_date", "confirm_deadline"]
    clause = forms.CharField(label="Điều khoản", max_length=16, required=False)
    text = forms.CharField(label="Nhiệm vụ", widget=forms.Textarea(attrs={"rows": 3}))
    agencies_text = forms.CharField(
        label="Cơ quan thực hiện (như văn bản)",
        max_length=500,
        required=False,
        help_text="Ghi cả cơ quan không có trong danh sách đơn vị, "
        "ví dụ “Công chức Văn hóa - Xã hội phường”.",
    )
    units = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.filter(valid_to__isnull=True),
        label="Đơn vị được giao (theo dõi trên hệ thống)",
        required=False,
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


class CopyForm(forms.Form):
    """Copying a plan: the year the new plan is for, to move its fixed dates to (empty: keep)."""

    year = forms.IntegerField(
        label="Cho năm",
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": "Năm phải là một số, ví dụ 2026.",
            "min_value": "Năm phải từ 2000 đến 2100.",
            "max_value": "Năm phải từ 2000 đến 2100.",
        },
    )


class ActivityFormAddForm(forms.Form):
    label = forms.CharField(label="Tên hoạt động", max_length=255)
    code = forms.ChoiceField(
        label="Hình thức chuẩn gần nhất",
        choices=ActivityForm.Code.choices,
        initial=ActivityForm.Code.OTHER,
    )


# --- Review of a parsed plan, before anything is saved ----------------------------------------


class ReviewForm(_PlanFieldsForm):
    """The plan's general fields as parsed, to correct; ``payload`` carries the parse."""

    payload = forms.CharField(widget=forms.HiddenInput)

    class Meta(_PlanFieldsForm.Meta):
        labels = {"issuer_name": "Cơ quan ban hành (như văn bản)"}

    def __init__(self, *args: Any, standing_units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standing_agency"].queryset = standing_units  # type: ignore[attr-defined]
        self.fields["doc_symbol"].required = False
        self.fields["place"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "Thời gian kết thúc phải sau thời gian bắt đầu.")
        return data


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class _UnitRowForm(forms.Form):
    """A row whose units are chosen among the candidates found for its agency names."""

    def __init__(self, *args: Any, unit_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"] = forms.TypedMultipleChoiceField(
            label="Đơn vị khớp",
            choices=unit_choices,
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )


class ReviewAssignmentForm(_UnitRowForm):
    clause = forms.CharField(label="Mục", max_length=16, required=False)
    agencies_text = forms.CharField(
        label="Cơ quan thực hiện (như văn bản)", max_length=500, required=False
    )
    text = forms.CharField(label="Nhiệm vụ", widget=forms.Textarea(attrs={"rows": 3}))
    due_date = forms.DateField(label="Hạn", required=False, widget=DATE_WIDGET)


class ReviewRecipientForm(_UnitRowForm, RecipientItemForm):
    pass


class UnitRowFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """Each parsed row gets its own candidates; rows added on the page get none (their units
    are chosen later in the plan editor)."""

    def __init__(self, *args: Any, row_choices: list[list[tuple[int, str]]], **kwargs: Any) -> None:
        self.row_choices = row_choices
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        choices = (
            self.row_choices[index] if index is not None and index < len(self.row_choices) else []
        )
        return {**super().get_form_kwargs(index), "unit_choices": choices}


ReviewAssignmentFormSet = cast(
    type[UnitRowFormSet],
    forms.formset_factory(ReviewAssignmentForm, formset=UnitRowFormSet, extra=0, can_delete=True),
)
ReviewRecipientFormSet = cast(
    type[UnitRowFormSet],
    forms.formset_factory(ReviewRecipientForm, formset=UnitRowFormSet, extra=1, can_delete=True),
)
ReviewFormItemFormSet = forms.formset_factory(FormItemForm, extra=1, can_delete=True)
ReviewAwardFormSet = forms.formset_factory(AwardItemForm, extra=1, can_delete=True)
ReviewPrizeFormSet = forms.formset_factory(PrizeItemForm, extra=1, can_delete=True)
ReviewParentFormSet = forms.formset_factory(ParentDocumentForm, extra=1, can_delete=True)
