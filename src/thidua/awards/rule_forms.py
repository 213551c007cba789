"""Forms of the award-rules staff page: a rule set and a formset of its award kinds."""

from typing import Any

from django import forms

from thidua.awards.models import AwardType, DocumentKind
from thidua.core.http import parse_vn_date
from thidua.organizations.models import UnitKind


class VnDateField(forms.CharField):
    """dd/mm/yyyy."""

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        day = parse_vn_date(text)
        if day is None:
            raise forms.ValidationError("Ngày không hợp lệ: ghi theo dạng dd/mm/yyyy.")
        return day


class RuleSetForm(forms.Form):
    name = forms.CharField(label="Tên quy định", max_length=255)
    effective_from = VnDateField(label="Áp dụng từ ngày (dd/mm/yyyy)")
    effective_to = VnDateField(
        label="Áp dụng đến hết ngày (dd/mm/yyyy)",
        required=False,
        help_text="Để trống khi chưa có văn bản thay thế.",
    )
    legal_bases = forms.CharField(
        label="Căn cứ pháp lý chung (mỗi dòng một căn cứ)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Quyết định khen thưởng ký trong thời gian áp dụng trích dẫn các căn cứ này, "
        "theo thứ tự, mỗi dòng thành một dòng “Căn cứ …;”.",
    )
    quorum_numerator = forms.IntegerField(
        label="Hội đồng họp hợp lệ khi có mặt tối thiểu: tử số", min_value=1, max_value=99
    )
    quorum_denominator = forms.IntegerField(
        label="mẫu số (tổng số thành viên)", min_value=1, max_value=99
    )
    note = forms.CharField(
        label="Ghi chú (điểm chưa chắc chắn, cần đối chiếu văn bản gốc)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", "Ngày kết thúc phải sau hoặc trùng ngày bắt đầu.")
        top, bottom = data.get("quorum_numerator"), data.get("quorum_denominator")
        if top and bottom and top > bottom:
            self.add_error("quorum_numerator", "Tử số không được lớn hơn mẫu số.")
        return data


def _lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


class AwardRuleForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    award_type: forms.ModelChoiceField[AwardType] = forms.ModelChoiceField(
        label="Hình thức khen thưởng", queryset=AwardType.objects.order_by("name")
    )
    decided_by = forms.CharField(
        label="Thẩm quyền quyết định (người ký)", max_length=255, required=False
    )
    threshold_percent = forms.DecimalField(
        label="Tỷ lệ đồng ý tối thiểu (% tổng số thành viên Hội đồng)",
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        initial=50,
    )
    council_vote = forms.BooleanField(label="Phải xét tại Hội đồng", required=False, initial=True)
    secret_ballot = forms.BooleanField(label="Bỏ phiếu kín", required=False, initial=True)
    quota_per_unit = forms.IntegerField(
        label="Số lượng tối đa mỗi đơn vị", min_value=1, required=False
    )
    quota_per_campaign = forms.IntegerField(
        label="Số lượng tối đa cả phong trào", min_value=1, required=False
    )
    processing_working_days = forms.IntegerField(
        label="Thời hạn thẩm định (ngày làm việc)", min_value=1, max_value=90, initial=10
    )
    disclosure_days = forms.IntegerField(
        label="Số ngày công khai trước khi trình ký", min_value=1, required=False
    )
    prize_individual = forms.DecimalField(
        label="Hệ số tiền thưởng: cá nhân (× mức lương cơ sở)",
        max_digits=6,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text="Để trống: không kèm tiền thưởng.",
    )
    prize_collective = forms.DecimalField(
        label="Hệ số tiền thưởng: tập thể", max_digits=6, decimal_places=2, min_value=0,
        required=False,
    )  # fmt: skip
    prize_household = forms.DecimalField(
        label="Hệ số tiền thưởng: hộ gia đình", max_digits=6, decimal_places=2, min_value=0,
        required=False,
    )  # fmt: skip
    allows_simplified = forms.BooleanField(label="Cho phép thủ tục đơn giản", required=False)
    full_documents = forms.MultipleChoiceField(
        label="Hồ sơ (thủ tục thông thường)",
        choices=DocumentKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    simplified_documents = forms.MultipleChoiceField(
        label="Hồ sơ (thủ tục đơn giản)",
        choices=DocumentKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    proposer_kinds = forms.MultipleChoiceField(
        label="Loại đơn vị được đề nghị (không chọn: mọi đơn vị)",
        choices=UnitKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    legal_basis = forms.CharField(
        label="Căn cứ riêng của hình thức này (mỗi dòng một căn cứ)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    standards = forms.CharField(
        label="Tiêu chuẩn", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def has_changed(self) -> bool:
        """A new row without an award kind is the blank row: skipped, never an error."""
        if not self.data.get(self.add_prefix("id")) and not self.data.get(
            self.add_prefix("award_type")
        ):
            return False
        return super().has_changed()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("allows_simplified") and not data.get("simplified_documents"):
            self.add_error(
                "simplified_documents", "Chọn hồ sơ của thủ tục đơn giản, hoặc bỏ cho phép."
            )
        if not data.get("council_vote") and data.get("secret_ballot"):
            data["secret_ballot"] = False  # no vote, no ballot
        for name in ("legal_basis", "standards", "decided_by"):
            data[name] = _lines(data.get(name) or "")
        return data


AwardRuleFormSet = forms.formset_factory(AwardRuleForm, extra=1, can_delete=True)
