from typing import Any

from django import forms
from django.db.models import QuerySet

from thidua.accounts.models import Role
from thidua.core.concurrency import ConcurrentEditForm
from thidua.organizations.models import (
    UNIT_FIELDS,
    UNIT_RENAME_FIELDS,
    EmulationBlock,
    Person,
    Unit,
    UnitKind,
)

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})


class UnitPicker(forms.SelectMultiple):
    """Units grouped by level (<optgroup> per kind: phường, phòng ban, …, in the tree's
    order); static/thidua/app.js turns it into a searchable check-box list with "select all
    of a level". Without JavaScript it is still a grouped multiple select."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"size": 10, "data-unit-picker": "", **(attrs or {})})

    def optgroups(
        self, name: str, value: list[Any], attrs: dict[str, Any] | None = None
    ) -> list[tuple[str | None, list[dict[str, Any]], int | None]]:
        kind_order = {k: i for i, k in enumerate(UnitKind.values)}
        labels = dict(UnitKind.choices)
        grouped: dict[str, list[tuple[Any, str]]] = {}
        for option_value, label in self.choices:
            instance = getattr(option_value, "instance", None)
            kind = instance.kind if isinstance(instance, Unit) else ""
            grouped.setdefault(kind, []).append((option_value, str(label)))
        chosen = {str(v) for v in value}
        groups: list[tuple[str | None, list[dict[str, Any]], int | None]] = []
        for index, kind in enumerate(sorted(grouped, key=lambda k: kind_order.get(k, 99))):
            options = [
                self.create_option(
                    name,
                    option_value,
                    label,
                    str(option_value) in chosen,
                    i,
                    subindex=None,
                    attrs=attrs,
                )
                for i, (option_value, label) in enumerate(grouped[kind])
            ]
            groups.append((labels.get(kind, "Khác"), options, index))
        return groups


class UnitChoiceField(forms.ModelChoiceField[Unit]):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class UnitForm(forms.ModelForm[Unit]):
    parent = UnitChoiceField(
        queryset=Unit.objects.filter(valid_to__isnull=True), required=False, label="Đơn vị cấp trên"
    )

    class Meta:
        model = Unit
        fields = list(UNIT_FIELDS)  # the service takes the same fields
        widgets = {"valid_from": DATE_WIDGET}

    def _get_validation_exclusions(self) -> set[str]:
        # A code already taken, exactly or in other capitals or spacing, is the service's to
        # refuse (unit_create names the unit holding it, on this field); the model's unique
        # index and constraint would say less, and the constraint's error would sit above the
        # form rather than on the field. (ModelForm's hook; django-stubs lacks it.)
        exclusions: set[str] = super()._get_validation_exclusions()  # type: ignore[misc]
        return {*exclusions, "code"}


class UnitEditForm(ConcurrentEditForm, UnitForm):
    """Name and code are not edited in place: a rename is an organisational event."""

    class Meta(UnitForm.Meta):
        fields = [f for f in UNIT_FIELDS if f not in UNIT_RENAME_FIELDS]


class UnitMergeForm(forms.Form):
    predecessors = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.filter(valid_to__isnull=True),
        label="Các đơn vị sáp nhập",
        widget=UnitPicker(),
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
        widget=UnitPicker(),
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
