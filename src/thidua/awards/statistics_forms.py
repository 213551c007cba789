"""Forms of the statistics page: which report (issuer, year, period) and what its header and
signature block print; Nội vụ's figures for forms 0604 and 0605."""

from typing import Any

from django import forms
from django.http import HttpRequest

from thidua.accounts.models import User
from thidua.awards import statistics as st
from thidua.awards.models import EmulationStaffing
from thidua.core.clock import today_local
from thidua.organizations.selectors import place_of

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})
PERIODS = [
    ("thong-tu", "Theo Thông tư 02/2023/TT-BNV (01/12 năm trước – 30/11)"),
    ("nam", "Năm dương lịch (01/01 – 31/12)"),
]
FIRST_YEAR = 2000


class StatisticsQueryForm(forms.Form):
    nam = forms.IntegerField(
        label="Năm báo cáo",
        min_value=FIRST_YEAR,
        error_messages={
            "min_value": f"Năm báo cáo phải từ {FIRST_YEAR}.",
            "invalid": "Hãy nhập năm, ví dụ 2022.",
        },
    )
    don_vi = forms.ModelChoiceField(
        label="Đơn vị báo cáo", queryset=st.issuer_choices(), empty_label=None
    )
    ky = forms.ChoiceField(label="Kỳ báo cáo", choices=PERIODS)
    noi_nhan = forms.CharField(label="Đơn vị nhận báo cáo", max_length=255, required=False)
    nguoi_lap = forms.CharField(label="Người lập biểu", max_length=150, required=False)
    chuc_danh = forms.CharField(label="Chức danh người ký", max_length=100, required=False)
    thu_truong = forms.CharField(label="Họ tên người ký", max_length=150, required=False)
    dia_danh = forms.CharField(label="Địa danh", max_length=64, required=False)
    ngay = forms.DateField(label="Ngày lập biểu", required=False, widget=DATE_WIDGET)

    def clean_nam(self) -> int:
        year = int(self.cleaned_data["nam"])
        if year > today_local().year:
            raise forms.ValidationError(
                f"Năm báo cáo phải từ {FIRST_YEAR} đến {today_local().year}."
            )
        return year

    @classmethod
    def from_request(cls, request: HttpRequest, user: User) -> "StatisticsQueryForm":
        """Bound to the query string over the defaults, so the first visit shows a report."""
        issuer = st.default_issuer(user)
        today = today_local()
        data: dict[str, Any] = {
            "nam": today.year if today.month == 12 else today.year - 1,  # noqa: PLR2004
            "don_vi": issuer.pk if issuer else "",
            "ky": "thong-tu",
            "nguoi_lap": user.full_name,
            "chuc_danh": "THỦ TRƯỞNG ĐƠN VỊ",
            "dia_danh": place_of(issuer),
            "ngay": today.strftime("%d/%m/%Y"),
        }
        data.update({k: v for k, v in request.GET.items() if k in cls.base_fields})
        return cls(data)

    def report(self) -> st.Report:
        d = self.cleaned_data
        header = {
            "place": d["dia_danh"],
            "made_on": d["ngay"],
            "preparer": d["nguoi_lap"],
            "head_title": d["chuc_danh"] or "THỦ TRƯỞNG ĐƠN VỊ",
            "head_name": d["thu_truong"],
        }
        if d["noi_nhan"]:
            header["receiving_unit"] = d["noi_nhan"]
        return st.yearly_report(
            issuer=d["don_vi"], year=d["nam"], calendar=d["ky"] == "nam", **header
        )


def _count(label: str) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=100_000, initial=0)


class StaffingForm(forms.Form):
    """One field per count of 0604 and a (total, women) pair per row of 0605."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, staffing: EmulationStaffing | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for code, label, _unit in st.ORGANISATION_ROWS:
            self.fields[f"org_{code}"] = _count(f"{code} {label.lstrip('- ')}")
        for _heading, rows in st.STAFF_GROUPS:
            for code, label in rows:
                self.fields[f"staff_{code}"] = _count(f"{code} {label.lstrip('- ')}: tổng số")
                self.fields[f"women_{code}"] = _count(f"{code} {label.lstrip('- ')}: nữ")
        if staffing is not None and not self.is_bound:
            self.initial["version"] = staffing.version
            for code in st.ORGANISATION_CODES:
                self.initial[f"org_{code}"] = staffing.organisations.get(code, 0)
            for code in st.STAFF_CODES:
                total, women = st.staff_pair(staffing.staff, code)
                self.initial[f"staff_{code}"], self.initial[f"women_{code}"] = total, women

    def organisation_rows(self) -> list[tuple[str, str, str, forms.BoundField]]:
        return [
            (code, label, unit, self[f"org_{code}"]) for code, label, unit in st.ORGANISATION_ROWS
        ]

    def staff_groups(self) -> list[tuple[str, list[tuple[str, str, Any, Any]]]]:
        return [
            (heading, [(code, label, self[f"staff_{code}"], self[f"women_{code}"])
                       for code, label in rows])
            for heading, rows in st.STAFF_GROUPS
        ]  # fmt: skip

    def figures(self) -> tuple[dict[str, int], dict[str, tuple[int, int]]]:
        d = self.cleaned_data
        organisations = {code: d[f"org_{code}"] or 0 for code in st.ORGANISATION_CODES}
        staff = {
            code: (d[f"staff_{code}"] or 0, d[f"women_{code}"] or 0) for code in st.STAFF_CODES
        }
        return organisations, staff
