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


# The campaign's sections (campaign_tabs.html): url name, label, and when the tab is current.
_CAMPAIGN_SECTIONS: list[tuple[str, str, Any]] = [
    ("campaigns:campaign-detail", "Kế hoạch", lambda ns, name: name == "campaign-detail"),
    (
        "participation:registration-list",
        "Đăng ký",
        lambda ns, name: name in {"registration-list", "registration"},
    ),
    ("participation:activity-list", "Hoạt động", lambda ns, name: "activity" in name),
    ("participation:good-model-list", "Mô hình hay", lambda ns, name: "good-model" in name),
    ("participation:difficulty-list", "Khó khăn", lambda ns, name: "difficulty" in name),
    ("participation:rollup", "Tổng hợp", lambda ns, name: name == "rollup"),
    (
        "reporting:request-list",
        "Báo cáo",
        lambda ns, name: ns == "reporting" and name != "dashboard",
    ),
    ("reporting:dashboard", "Theo dõi", lambda ns, name: name == "dashboard"),
    ("awards:nomination-list", "Khen thưởng", lambda ns, name: ns == "awards"),
    ("portal:manage", "Cổng thông tin", lambda ns, name: ns == "portal"),
]


@register.simple_tag(takes_context=True)
def campaign_sections(
    context: Any, campaign: Any, open_difficulties: int = 0
) -> list[dict[str, Any]]:
    """The campaign's tabs as data, drawn as tabs on wide screens and as a menu on phones."""
    from django.urls import reverse

    match = getattr(context.get("request"), "resolver_match", None)
    ns, name = (match.namespace, match.url_name or "") if match else ("", "")
    return [
        {
            "label": label,
            "url": reverse(url_name, args=[campaign.pk]),
            "active": bool(is_active(ns, name)),
            "badge": open_difficulties if url_name == "participation:difficulty-list" else 0,
        }
        for url_name, label, is_active in _CAMPAIGN_SECTIONS
    ]
