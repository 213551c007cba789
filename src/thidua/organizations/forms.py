from django import forms
from django.db.models import QuerySet

from thidua.accounts.models import Role
from thidua.core.concurrency import ConcurrentEditForm
from thidua.organizations.models import EmulationBlock, Person, Unit

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})


class UnitChoiceField(forms.ModelChoiceField[Unit]):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class UnitForm(forms.ModelForm[Unit]):
    parent = UnitChoiceField(
        queryset=Unit.objects.filter(valid_to__isnull=True), required=False, label="Đơn vị cấp trên"
    )

    class Meta:
        model = Unit
        fields = [
            "code",
            "name",
            "short_name",
            "symbol",
            "kind",
            "parent",
            "valid_from",
            "email",
            "headcount",
        ]
        widgets = {"valid_from": DATE_WIDGET}


class UnitEditForm(ConcurrentEditForm, UnitForm):
    """Name and code are not edited in place: a rename is an organisational event."""

    class Meta(UnitForm.Meta):
        fields = ["short_name", "symbol", "kind", "parent", "valid_from", "email", "headcount"]


class UnitMergeForm(forms.Form):
    predecessors = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.filter(valid_to__isnull=True),
        label="Các đơn vị sáp nhập",
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    code = forms.CharField(label="Mã đơn vị mới", max_length=32)
    name = forms.CharField(label="Tên đơn vị mới", max_length=255)
    short_name = forms.CharField(label="Tên ngắn", max_length=120, required=False)
    effective = forms.DateField(label="Ngày hiệu lực", widget=DATE_WIDGET)
    legal_basis = forms.CharField(label="Căn cứ pháp lý", max_length=500, required=False)

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if Unit.objects.filter(code=code).exists():
            raise forms.ValidationError("Mã đơn vị này đã tồn tại.")
        return code


class PersonForm(ConcurrentEditForm, forms.ModelForm[Person]):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label="Đơn vị công tác")

    class Meta:
        model = Person
        fields = [
            "full_name",
            "gender",
            "birth_year",
            "unit",
            "position",
            "category",
            "is_party_member",
        ]

    def __init__(self, *args: object, units: QuerySet[Unit], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class BlockForm(forms.ModelForm[EmulationBlock]):
    head_unit = UnitChoiceField(
        queryset=Unit.objects.filter(valid_to__isnull=True), required=False, label="Khối trưởng"
    )
    deputy_unit = UnitChoiceField(
        queryset=Unit.objects.filter(valid_to__isnull=True), required=False, label="Khối phó"
    )
    members = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.filter(valid_to__isnull=True),
        label="Đơn vị thành viên",
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )

    class Meta:
        model = EmulationBlock
        fields = ["year", "name", "kind", "head_unit", "deputy_unit", "members"]


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label="Tên đăng nhập",
        max_length=150,
        regex=r"^[a-z0-9._-]+$",
        error_messages={"invalid": "Chỉ dùng chữ thường không dấu, số, dấu chấm, gạch."},
    )
    full_name = forms.CharField(label="Họ và tên", max_length=150)
    email = forms.EmailField(
        label="Thư điện tử", help_text="Người dùng đặt mật khẩu qua thư “Quên mật khẩu”."
    )
    position = forms.CharField(label="Chức vụ", max_length=150, required=False)
    unit = UnitChoiceField(queryset=Unit.objects.filter(valid_to__isnull=True), label="Đơn vị")
    role = forms.ChoiceField(label="Vai trò", choices=Role.choices)


class RoleGrantForm(forms.Form):
    unit = UnitChoiceField(queryset=Unit.objects.filter(valid_to__isnull=True), label="Đơn vị")
    role = forms.ChoiceField(label="Vai trò", choices=Role.choices)
