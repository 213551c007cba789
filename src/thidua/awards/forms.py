"""Forms of the nomination and decision pages: one per action (issue 21).

They parse; the services decide. Fields the services check with their own Vietnamese
messages (names, notes, reasons) are optional here, so a refusal reads the same from the page,
the API and a task.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from thidua.awards.decisions import EDITABLE as DECISION_EDITABLE
from thidua.awards.models import (
    AppraisalRound,
    AwardType,
    Decision,
    DocumentKind,
    Household,
    Nomination,
)
from thidua.core.concurrency import ConcurrentEditForm
from thidua.core.http import parse_vn_date
from thidua.core.text import parse_vn_float
from thidua.organizations.models import Person, Unit


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def parse_money(text: str) -> Decimal | None:
    """ "360.000.000", "360 000 000" or "360000000" đồng; empty for none."""
    digits = text.replace(".", "").replace(" ", "").replace(",", "").strip()
    if not digits:
        return None
    if not digits.isdigit() or len(digits) > 15:  # noqa: PLR2004 - the field's digits
        raise ValidationError(
            "Giá trị quy đổi phải là số tiền (đồng), ví dụ 360.000.000; để trống nếu không có."
        )
    return Decimal(digits)


class VnDateField(forms.CharField):
    """dd/mm/yyyy, refused with the given Vietnamese message."""

    def __init__(self, *args: Any, invalid: str, **kwargs: Any) -> None:
        self.invalid = invalid
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if not text:
            return None
        day = parse_vn_date(text)
        if day is None:
            raise ValidationError(self.invalid)
        return day


class LinesField(forms.CharField):
    """A textarea read as a list of non-empty lines."""

    def clean(self, value: Any) -> Any:
        return _lines(super().clean(value) or "")


# --- Nominations ----------------------------------------------------------------------------


class NominationCreateForm(forms.Form):
    """A new dossier: for one of the units the user drafts for, one award type, one route."""

    unit = forms.TypedChoiceField(coerce=int)
    award_type = forms.ModelChoiceField(queryset=AwardType.objects.all())
    route = forms.ChoiceField(
        choices=Nomination.Route.choices, required=False, initial=Nomination.Route.FULL
    )

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {u.pk: u for u in units}
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]  # type: ignore[attr-defined]

    def clean_unit(self) -> Unit:
        return self.units[self.cleaned_data["unit"]]

    def clean_route(self) -> str:
        return self.cleaned_data.get("route") or Nomination.Route.FULL


class NomineeUnitForm(forms.Form):
    achievements = forms.CharField(required=False)


class NomineePersonForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        error_messages={"invalid_choice": "Chọn một cá nhân của đơn vị đề nghị."},
    )
    achievements = forms.CharField(required=False)

    def __init__(self, *args: Any, nomination: Nomination, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(unit=nomination.unit_id)  # type: ignore[attr-defined]


class HouseholdNomineeForm(forms.Form):
    head_title = forms.CharField(required=False, initial=Household.HeadTitle.MR)
    head_name = forms.CharField(required=False)
    address = forms.CharField(required=False)
    contribution_kind = forms.CharField(required=False)
    contribution = forms.CharField(required=False)
    contribution_value = forms.CharField(required=False)
    achievements = forms.CharField(required=False)

    def clean_contribution_value(self) -> Decimal | None:
        return parse_money(self.cleaned_data.get("contribution_value") or "")

    def clean_head_title(self) -> str:
        return self.cleaned_data.get("head_title") or Household.HeadTitle.MR


class DocumentAttachForm(forms.Form):
    kind = forms.ChoiceField(
        choices=DocumentKind.choices,
        error_messages={"invalid_choice": "Loại tài liệu không hợp lệ."},
    )
    nominee = forms.IntegerField(required=False)
    file = forms.FileField(error_messages={"required": "Chưa chọn tệp."})


class DocumentFileForm(forms.Form):
    file = forms.FileField(error_messages={"required": "Chưa chọn tệp."})


class NoteForm(forms.Form):
    """A note the service may require (a return says why)."""

    note = forms.CharField(required=False)


class AppraisalForm(forms.Form):
    OUTCOMES = (("eligible", "Đủ điều kiện"), ("return", "Trả lại"), ("not_eligible", "Không đủ"))
    outcome = forms.ChoiceField(choices=OUTCOMES)
    note = forms.CharField(required=False)
    CHECKS = AppraisalRound.CHECKS  # "Đủ điều kiện" with one left blank needs the note (service)
    check = forms.MultipleChoiceField(required=False, choices=CHECKS)


# --- Decisions ------------------------------------------------------------------------------


class DecisionDraftForm(forms.Form):
    """A draft decision for the recommended nominees chosen, of one award type."""

    award_type = forms.IntegerField(required=False)
    nominees = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = self.data.getlist("nominees") if hasattr(self.data, "getlist") else []
        self.fields["nominees"].choices = [(v, v) for v in chosen if str(v).isdigit()]  # type: ignore[attr-defined]


class DecisionEditForm(ConcurrentEditForm):
    """The draft's texts, with the fingerprints of what was shown (a stale tab cannot wipe a
    colleague's newer text: core.concurrency)."""

    summary = forms.CharField(required=False)
    drafted_on = VnDateField(required=False, invalid="Cần ghi ngày dự thảo (dd/mm/yyyy).")
    legal_bases = LinesField(required=False, widget=forms.Textarea)
    articles = LinesField(required=False, widget=forms.Textarea)
    recipients = LinesField(required=False, widget=forms.Textarea)
    signer_authority = forms.CharField(required=False)
    signer_title_line = forms.CharField(required=False)
    signer_title = forms.CharField(required=False)
    signer_name = forms.CharField(required=False)

    @classmethod
    def initial_for(cls, d: Decision) -> dict[str, Any]:
        """The draft's values as the form shows them (dates dd/mm/yyyy, lists as lists)."""
        initial: dict[str, Any] = {name: getattr(d, name) for name in DECISION_EDITABLE}
        initial["drafted_on"] = d.drafted_on
        return initial

    def clean_signer_title(self) -> str:
        return str(self.cleaned_data.get("signer_title") or "").strip() or "CHỦ TỊCH"


class DecisionLineForm(ConcurrentEditForm):
    recipient_name = forms.CharField(required=False)
    recipient_detail = forms.CharField(required=False)
    achievement = forms.CharField(required=False)


class ApproveForm(forms.Form):
    # Why the signer signs although the fund is short (the service requires it then).
    shortfall_reason = forms.CharField(required=False)


class SignedScanForm(forms.Form):
    scan = forms.FileField(
        error_messages={"required": "Chọn tệp bản quyết định đã ký (PDF hoặc ảnh)."}
    )
    signed_on = VnDateField(
        invalid="Ngày ký không hợp lệ (dd/mm/yyyy).",
        error_messages={"required": "Ngày ký không hợp lệ (dd/mm/yyyy)."},
    )
    signer_name = forms.CharField(required=False)


class CorrectionForm(forms.Form):
    kind = forms.ChoiceField(choices=(("amend", "Sửa đổi"), ("revoke", "Thu hồi")))
    records = forms.TypedMultipleChoiceField(coerce=int, required=False)
    reason = forms.CharField(required=False)

    def __init__(self, *args: Any, decision: Decision, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["records"].choices = [  # type: ignore[attr-defined]
            (pk, pk) for pk in decision.records.values_list("pk", flat=True)
        ]


class PrintForm(forms.Form):
    printer = forms.IntegerField(required=False)
    on_blank = forms.BooleanField(required=False)


# --- Printers -------------------------------------------------------------------------------


class OffsetField(forms.CharField):
    """Millimetres, with a decimal comma or point ("1,5", "-2")."""

    def clean(self, value: Any) -> float:
        text = super().clean(value) or "0"
        try:
            return parse_vn_float(text)
        except ValueError as exc:
            raise ValidationError("Độ lệch phải là số (mm), ví dụ 1,5 hoặc -2.") from exc


class PrinterForm(forms.Form):
    pk = forms.IntegerField(required=False)
    owner = forms.IntegerField(required=False)  # a new printer's body, among the user's
    name = forms.CharField(required=False, max_length=120)  # PrinterProfile.name
    offset_x_mm = OffsetField(required=False)
    offset_y_mm = OffsetField(required=False)


# --- Holds ----------------------------------------------------------------------------------


class HoldForm(forms.Form):
    """Stop awards to a person or a collective (the service checks the reason and the dates)."""

    person = forms.ModelChoiceField(queryset=Person.objects.all(), required=False)
    unit = forms.ModelChoiceField(queryset=Unit.objects.all(), required=False)
    reason = forms.CharField(required=False)
    active_from = VnDateField(
        invalid="Ngày bắt đầu không hợp lệ (dd/mm/yyyy).",
        error_messages={"required": "Ngày bắt đầu không hợp lệ (dd/mm/yyyy)."},
    )
    active_to = VnDateField(required=False, invalid="Ngày kết thúc không hợp lệ (dd/mm/yyyy).")


# --- Registry statistics --------------------------------------------------------------------


class AwardStatisticsForm(forms.Form):
    """The period of the registry's statistics (dd/mm/yyyy); empty: from 1 January of this
    year to today. A date that does not exist (31/02) or a period that ends before it starts
    is refused, never replaced."""

    tu = VnDateField(
        label="Từ ngày",
        required=False,
        invalid="“Từ ngày” không hợp lệ: cần một ngày có thật, ghi theo dạng dd/mm/yyyy "
        "(ví dụ 01/01/2026).",
    )
    den = VnDateField(
        label="Đến ngày",
        required=False,
        invalid="“Đến ngày” không hợp lệ: cần một ngày có thật, ghi theo dạng dd/mm/yyyy "
        "(ví dụ 31/12/2026).",
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        start = data.get("tu") or date(self.today.year, 1, 1)
        end = data.get("den") or self.today
        if start > end:
            raise ValidationError(
                f"“Từ ngày” ({start:%d/%m/%Y}) sau “Đến ngày” ({end:%d/%m/%Y}): "
                "hãy chọn ngày bắt đầu trước hoặc trùng ngày kết thúc."
            )
        data["tu"], data["den"] = start, end
        return data
