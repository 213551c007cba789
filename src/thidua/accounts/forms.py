from django import forms


class TOTPForm(forms.Form):
    token = forms.CharField(
        label="Mã xác thực 6 chữ số",
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label="Mã kích hoạt",
        max_length=32,
        help_text="Mã gồm 12 chữ và số (ví dụ ABCD-EFGH-JKLM) do quản trị hệ thống cấp.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "autofocus": True}
        ),
    )
