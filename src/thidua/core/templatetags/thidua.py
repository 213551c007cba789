from datetime import date
from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

_CLASSES = {
    "checkbox": "form-check-input",
    "select": "form-select",
    "selectmultiple": "form-select",
    "radioselect": "",
    "checkboxselectmultiple": "",
}


@register.filter
def bs(field: BoundField) -> SafeString:
    """Render a form field with its Bootstrap class and error state."""
    css = _CLASSES.get(field.widget_type, "form-control")
    if field.errors:
        css += " is-invalid"
    attrs: dict[str, Any] = {"class": css} if css else {}
    return field.as_widget(attrs=attrs)


@register.filter
def vn_date(value: object) -> str:
    """dd/mm/yyyy from a date or an ISO string (parser output kept as JSON)."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return value.strftime("%d/%m/%Y") if isinstance(value, date) else ""


@register.filter
def action_label(code: str) -> str:
    """Readable Vietnamese for an ActionLog action code (core.history_labels)."""
    from thidua.core.history_labels import action_label as label

    return label(code)
