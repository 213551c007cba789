import html
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django import template
from django.forms import BoundField, FileField
from django.utils.safestring import SafeString, mark_safe

from thidua.core.excel import concerns_whole_file
from thidua.core.uploads import sanitize_filename

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


@register.simple_tag
def options(choices: Iterable[tuple[int, str]], selected: int | None = None) -> SafeString:
    """A long drop-down's <option>s in one pass: a city's 2,000 units through a template loop
    cost ~25 ms of CPU, this ~1 ms. Values are ids; labels are escaped here (`html.escape`, as
    Django's `escape` does)."""
    return mark_safe(  # noqa: S308 - every label is escaped just above
        "".join(
            f'<option value="{int(pk)}"{" selected" if pk == selected else ""}>'
            f"{html.escape(label)}</option>"
            for pk, label in choices
        )
    )


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
def document_cited(document: dict[str, Any]) -> str:
    """A parent document (campaign.parent_documents) as a plan cites it: "Kế hoạch số
    272/KH-UBND ngày 10/5/2022 của UBND tỉnh"; one without a number in the plan's own words
    ("Luật Thi đua, khen thưởng ngày 15/6/2022"), or by what was typed of it (a row entered by
    hand with its type alone must not read "Luật số")."""
    number, text = document.get("number"), document.get("text")
    if not number and text:
        return str(text)
    words = [document.get("type") or "Văn bản"]
    if number:
        words.append(f"số {number}")
    if day := vn_date(document.get("date")):
        words.append(f"ngày {day}")
    if issuer := document.get("issuer"):
        words.append(f"của {issuer}")
    return " ".join(words)


@register.filter
def datetime_seconds(value: object) -> str:
    """Date and time to the second, in the product's one order ("27/12/2022 14:00:05")."""
    from thidua.core.clock import datetime_text

    return datetime_text(value, seconds=True) if isinstance(value, datetime) else ""


@register.filter
def action_label(code: str) -> str:
    """An ActionLog code in Vietnamese ("awards.nomination.submitted" → "Duyệt và gửi …")."""
    from thidua.core.action_labels import action_label as label

    return label(code)


# The campaign's sections (campaign_tabs.html): url name, label, and when the tab is current.
_CAMPAIGN_SECTIONS: list[tuple[str, str, Any]] = [
    ("campaigns:campaign-detail", "Kế hoạch", lambda ns, name: name == "campaign-detail"),
    (
        "participation:registration-list",
        "Đăng ký",
        # the registration's own actions (registration-save …) too: a refused save shows the form
        lambda ns, name: name.startswith("registration") or name == "pledge-sign",
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
def nav_item(context: Any) -> str:
    """The top navigation's current item (`nav_section`, context_processors.navigation). A
    page of one campaign in another app (`_CAMPAIGN_APPS`) lights "Phong trào", as the
    campaign's own pages do. A campaign's portal editor pages belong to the campaign ("Phong
    trào", as their breadcrumb and tabs say) when its other tabs open for the user, and to the
    media staff's "Trang phong trào" only when reached as its portal's editor alone
    (`in_campaign_list` False, portal.selectors.campaigns_for_portal_editor); "Trang phong
    trào" was lit on all of them."""
    section = str(context.get("nav_section") or "")
    campaign = context.get("campaign")
    if section == "portal" and campaign is not None:
        return "portal" if getattr(campaign, "in_campaign_list", True) is False else "campaigns"
    if section in _CAMPAIGN_APPS and campaign is not None:
        return "campaigns"  # one campaign's page, under its tabs (lit nothing before)
    return section


# Apps whose pages of one campaign (registrations, activities, reports, nominations …) sit under
# the campaign's tabs and have no top-menu item of their own: they light "Phong trào". Their
# pages with an item (the registry, council sessions) set `nav_section` themselves.
_CAMPAIGN_APPS = frozenset({"participation", "reporting", "awards"})


@register.simple_tag(takes_context=True)
def campaign_sections(
    context: Any, campaign: Any, open_difficulties: int = 0
) -> list[dict[str, Any]]:
    """The campaign's tabs as data, drawn as tabs on wide screens and as a menu on phones.
    "Theo dõi" (the reports dashboard, city-wide roles) only for those the menu says may open
    it (`menu.dashboard`, workspace.context_processors.menu): units were shown a tab to a 403."""
    from django.urls import reverse

    menu = context.get("menu") or {}
    hidden = set() if menu.get("dashboard") else {"reporting:dashboard"}

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
        if url_name not in hidden
    ]


_DETAIL_KEYS = ("file", "name", "reference", "recipient", "note")


@register.filter
def action_detail(data: object) -> str:
    """The one detail worth showing beside a history line: a file, a name, a number, a note."""
    if not isinstance(data, dict):
        return ""
    for key in _DETAIL_KEYS:
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            text = " ".join(value.split())
            return text if len(text) <= 120 else text[:119] + "…"  # noqa: PLR2004
    return ""


@register.filter
def unsaved_files(field: BoundField) -> list[str]:
    """The names of the files picked in a file field of a form sent back with errors: a browser
    never refills a file input, so the officer must be told to pick them again."""
    form = field.form
    if not form.is_bound or not form.errors or not isinstance(field.field, FileField):
        return []
    return [sanitize_filename(f.name or "") for f in form.files.getlist(field.html_name)]


@register.filter
def file_errors(errors: Iterable[Any]) -> list[Any]:
    """A refused import's errors about the whole file (shown as text above the table)."""
    return [e for e in errors if concerns_whole_file(e)]


@register.filter
def line_errors(errors: Iterable[Any]) -> list[Any]:
    """A refused import's errors on the file's lines (the table: line, column, error)."""
    return [e for e in errors if not concerns_whole_file(e)]


@register.filter
def money(value: object) -> str:
    """12500000 → "12.500.000" (Vietnamese thousands separator); "" for none."""
    if value is None or value == "":
        return ""
    from thidua.core.text import vn_thousands

    try:
        return vn_thousands(int(str(value)))
    except ValueError:
        return str(value)


@register.filter
def quantity(value: object, unit: str = "") -> str:
    """A figure with its unit: "12,5 buổi", "60%" (core.text.with_unit); up to two decimals
    with the decimal comma (floatformat), no trailing zeros; "" for none."""
    if value is None or value == "":
        return ""
    from django.template.defaultfilters import floatformat

    from thidua.core.text import with_unit

    number = str(floatformat(value, "-2"))
    if "," in number:  # "12,50" → "12,5"
        number = number.rstrip("0").rstrip(",")
    return with_unit(number, str(unit or ""))


@register.filter
def percent(value: object) -> str:
    """60 → "60%", 12.5 → "12,5%": the one way pages write a percentage; "" for none."""
    return quantity(value, "%")


@register.simple_tag
def form_key() -> SafeString:
    """The hidden key of one form submission (core.submissions): a repeat of the same submission
    makes no second document."""
    from django.utils.html import format_html

    from thidua.core.submissions import FIELD, new_form_key

    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_form_key())


class FragmentNode(template.Node):
    def __init__(self, nodelist: template.NodeList, parts: list[Any]) -> None:
        self.nodelist, self.parts = nodelist, parts

    def render(self, context: template.Context) -> str:
        from thidua.core.versions import fragment_key, remembered

        parts = [part.resolve(context) for part in self.parts]
        if not parts[0]:
            return self.nodelist.render(context)
        return str(remembered(fragment_key(parts), lambda: self.nodelist.render(context)))


@register.tag
def fragment(parser: template.base.Parser, token: template.base.Token) -> FragmentNode:
    """{% fragment key part… %}…{% endfragment %}: the content rendered once per key, kept in
    the `template_fragments` cache. The key is every value the content shows (or a version of
    them, core.versions) and the URL script prefix; an empty first part renders it every
    time."""
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("fragment needs a key")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits])
