from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from thidua.core.sheets import MAX_IMPORT_BYTES, decode_text
from thidua.core.text import parse_vn_decimal, vn_decimal
from thidua.core.uploads import UploadKind, check_upload, sanitize_filename

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"


class VnDecimalField(forms.DecimalField):
    """A number as a Vietnamese officer types and reads it: "2,5", "2.5" and "1.250" in
    (core.text.parse_vn_decimal), "2" and "2,5" out (vn_decimal), never "2.00"."""

    widget = forms.TextInput

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "inputmode": "decimal"}

    def to_python(self, value: Any) -> Any:  # a Decimal or None (the stubs say int)
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str):
            try:
                value = parse_vn_decimal(value)
            except InvalidOperation:
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from None
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return vn_decimal(float(value))
        return value


class SpreadsheetForm(forms.Form):
    """The upload of every spreadsheet import: only a real .xlsx (size, type by content, macro
    and ZIP-bomb checks) reaches the import steps (core.import_flow)."""

    file = forms.FileField(
        label="Tệp Excel (.xlsx)",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        help_text=(
            "Tên và thứ tự cột có thể khác tệp mẫu, phía trên có thể có dòng tiêu đề; "
            "cột chưa nhận ra sẽ được hỏi để chọn."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        check_upload(upload, allowed={UploadKind.XLSX}, max_bytes=MAX_IMPORT_BYTES)
        upload.seek(0)
        return upload


class SpreadsheetOrCsvForm(SpreadsheetForm):
    """Where an import also takes CSV: text in any encoding Excel saves (core.sheets)."""

    file = forms.FileField(
        label="Tệp Excel (.xlsx) hoặc CSV",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        help_text=SpreadsheetForm.base_fields["file"].help_text,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        head = upload.read(len(_ZIP))
        upload.seek(0)
        if head.startswith((_ZIP, _OLE)):
            return super().clean_file()
        data = upload.read(MAX_IMPORT_BYTES + 1)
        upload.seek(0)
        name = sanitize_filename(upload.name or "")
        if len(data) > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                f"Tệp “{name}” quá lớn (tối đa {MAX_IMPORT_BYTES // (1024 * 1024)} MB)."
            )
        if not data.strip() or decode_text(data) is None:
            raise forms.ValidationError(
                f"Tệp “{name}” không phải là bảng tính Excel (.xlsx) hoặc CSV hợp lệ."
            )
        return upload
