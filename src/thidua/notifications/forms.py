from django import forms

from thidua.notifications.models import MailPreference


class PreferenceForm(forms.Form):
    summary = forms.ChoiceField(
        label="Thư tổng hợp việc cần làm",
        choices=MailPreference.Summary.choices,
        widget=forms.RadioSelect,
        help_text="Thư liệt kê các việc đang chờ bạn (như trang “Việc cần làm”), gửi lúc 7 giờ "
        "sáng. Thông báo tức thời và thư tổng hợp các đơn vị chậm báo cáo vẫn được gửi như cũ.",
    )
