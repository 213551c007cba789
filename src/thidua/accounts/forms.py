from django import forms


class TOTPForm(forms.Form):
    token = forms.CharField(
        label="Mã xác thực 6 chữ số",
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
