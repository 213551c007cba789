from django import forms

from thidua.api.models import ApiToken
from thidua.organizations.models import Unit


class TokenIssueForm(forms.ModelForm[ApiToken]):
    """Issuing a token on the staff page; the service does the work."""

    units = forms.ModelMultipleChoiceField(
        Unit.objects.filter(valid_to__isnull=True).order_by("name_sort"),
        label="Đơn vị trong phạm vi",
        help_text="Giữ phím Ctrl (hoặc ⌘) để chọn nhiều đơn vị.",
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )

    class Meta:
        model = ApiToken
        fields = ["name", "units", "role", "access", "rate_per_minute"]
        help_texts = {
            "name": "Ví dụ: Phần mềm thi đua của Sở Nội vụ.",
            "role": "Cán bộ đầu mối: chỉ các đơn vị đã chọn. Chuyên viên Phòng Nội vụ: "
            "xem toàn thành phố (vai trò cấp thành phố).",
            "access": "Khóa chỉ đọc không ghi được gì, kể cả khi vai trò cho phép.",
        }
