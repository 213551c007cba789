"""Forms of the reward fund pages: an income or expense entry, a prize paid."""

import re
from typing import Any

from django import forms

from thidua.awards.fund import MANUAL_KINDS
from thidua.awards.fund_models import FundEntry

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})
MAX_AMOUNT = 10**15


class MoneyField(forms.Field):
    """Whole đồng, typed as "50.000.000", "50 000 000" or "50000000 đ"."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "maxlength": "32"})

    def to_python(self, value: Any) -> Any:
        text = str(value or "").strip().lower()
        if not text:
            return None
        digits = re.sub(r"[\s.,]|đồng$|đ$", "", text)
        if not digits.isdigit():
            raise forms.ValidationError("Số tiền ghi bằng số, ví dụ 50.000.000.")
        amount = int(digits)
        if not 0 < amount < MAX_AMOUNT:
            raise forms.ValidationError("Số tiền phải lớn hơn 0.")
        return amount


class FundEntryForm(forms.Form):
    kind = forms.ChoiceField(
        label="Loại",
        choices=[(k.value, k.label) for k in FundEntry.Kind if k in MANUAL_KINDS],
    )
    entry_date = forms.DateField(label="Ngày (dd/mm/yyyy)", widget=DATE_WIDGET)
    amount = MoneyField(label="Số tiền (đồng)")
    content = forms.CharField(
        label="Nội dung",
        max_length=500,
        help_text="Ví dụ: Dự toán chi thi đua, khen thưởng năm 2022 được giao.",
    )
    voucher = forms.CharField(
        label="Số chứng từ, văn bản", max_length=64, required=False,
        help_text="Số quyết định giao dự toán, số phiếu thu, phiếu chi.",
    )  # fmt: skip


class PaymentPaidForm(forms.Form):
    payment = forms.IntegerField(widget=forms.HiddenInput)
    paid_on = forms.DateField(label="Ngày chi (dd/mm/yyyy)", widget=DATE_WIDGET)
    voucher = forms.CharField(label="Số chứng từ chi", max_length=64)
