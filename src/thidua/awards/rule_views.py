"""The award-rules staff page: Nội vụ keeps the law in force current, with forms, not JSON."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from thidua.accounts.requests import request_user
from thidua.awards import award_rules, rules
from thidua.awards.award_rules import AwardRuleData
from thidua.awards.models import AwardRule, RuleSet
from thidua.awards.rule_forms import AwardRuleFormSet, RuleSetForm
from thidua.core.clock import today_local
from thidua.core.http import require
from thidua.core.selectors import action_log_for


def _label(model: Any, name: str) -> str:
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


FIELD_LABELS: dict[str, str] = {
    **{name: _label(RuleSet, name) for name in award_rules.RULE_SET_FIELDS},
    **{name: _label(AwardRule, name) for name in award_rules.AWARD_RULE_FIELDS},
    "quorum_numerator": "số thành viên tối thiểu (tử số)",
    "quorum_denominator": "số thành viên tối thiểu (mẫu số)",
}


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(rules.can_see_award_rules(user))
    today = today_local()
    sets = list(award_rules.rule_set_list())
    return render(
        request,
        "awards/rule_list.html",
        {
            "title": "Quy định khen thưởng",
            "nav_section": "registry",
            "rule_sets": sets,
            "current": next((rs for rs in sets if rs.covers(today)), None),
            "today": today,
            "can_edit": rules.can_edit_award_rules(user),
        },
    )


def _initial(rs: RuleSet) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    head = {
        "name": rs.name,
        "effective_from": f"{rs.effective_from:%d/%m/%Y}",
        "effective_to": f"{rs.effective_to:%d/%m/%Y}" if rs.effective_to else "",
        "legal_bases": rs.legal_bases,
        "quorum_numerator": rs.quorum_numerator,
        "quorum_denominator": rs.quorum_denominator,
        "note": rs.note,
        "version": rs.version,
    }
    kinds = [
        {"id": r.pk, "award_type": r.award_type_id}
        | {name: getattr(r, name) for name in award_rules.AWARD_RULE_FIELDS}
        for r in sorted(rs.rules.all(), key=lambda r: r.award_type.name)
    ]
    return head, kinds


def _rows(rs: RuleSet | None, formset: Any) -> list[AwardRuleData]:
    existing = {r.pk: r for r in rs.rules.select_related("award_type")} if rs else {}
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or (not data.get("id") and not form.has_changed()):
            continue  # the blank extra row
        rule = existing.get(data["id"]) if data.get("id") else None
        if data.get("id") and rule is None:
            raise ValidationError("Dòng hình thức khen thưởng không thuộc quy định này.")
        values = {name: data.get(name) for name in award_rules.AWARD_RULE_FIELDS}
        for name in ("full_documents", "simplified_documents", "proposer_kinds"):
            values[name] = list(values[name] or [])
        rows.append(
            AwardRuleData(
                award_type=data["award_type"],
                values=values,
                rule=rule,
                delete=bool(data.get("DELETE")),
            )
        )
    return rows


def _history(rs: RuleSet) -> list[dict[str, Any]]:
    entries = action_log_for(rs)
    shown = []
    for entry in entries:
        lines = []
        if entry.action == "awards.rule_set.created":
            lines.append(f"Tạo quy định ({entry.data.get('period', '')}).")
        for name, change in (entry.data.get("fields") or {}).items():
            lines.append(
                f"{FIELD_LABELS.get(name, name).capitalize()}: “{change.get('trước')}” → "
                f"“{change.get('sau')}”"
            )
        for code, change in (entry.data.get("kinds") or {}).items():
            if isinstance(change, dict):
                names = ", ".join(FIELD_LABELS.get(str(n), str(n)) for n in change)
                lines.append(f"{code}: sửa {names}")
            else:
                lines.append(f"{code}: {change} hình thức khen thưởng")
        shown.append({"at": entry.at, "actor": entry.actor, "lines": lines})
    return shown


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = request_user(request)
    require(rules.can_see_award_rules(user))
    can_edit = rules.can_edit_award_rules(user)
    rs = (
        get_object_or_404(RuleSet.objects.prefetch_related("rules__award_type"), pk=pk)
        if pk
        else None
    )
    require(rs is not None or can_edit)
    if request.method == "POST":
        require(can_edit)
        form = RuleSetForm(request.POST)
        formset = AwardRuleFormSet(request.POST, prefix="kinds")
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                saved = award_rules.rule_set_save(
                    actor=user,
                    rule_set=rs,
                    values={k: data[k] for k in award_rules.RULE_SET_FIELDS},
                    award_rules=_rows(rs, formset),
                    version=data.get("version"),
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, f"Đã lưu quy định “{saved.name}”.")
                return redirect("awards:rule-edit", pk=saved.pk)
    else:
        source = rs or RuleSet.objects.filter(pk=request.GET.get("tu") or 0).first()
        head, kinds = _initial(source) if source else ({}, [])
        if rs is None and source is not None:  # a new period copied from an old one
            head |= {"name": "", "effective_from": "", "effective_to": "", "version": None}
            kinds = [k | {"id": None} for k in kinds]
        head.setdefault("quorum_numerator", 2)
        head.setdefault("quorum_denominator", 3)
        form = RuleSetForm(initial=head)
        formset = AwardRuleFormSet(initial=kinds, prefix="kinds")
    today = today_local()
    return render(
        request,
        "awards/rule_form.html",
        {
            "title": rs.name if rs else "Thêm quy định khen thưởng",
            "nav_section": "registry",
            "rs": rs,
            "form": form,
            "formset": formset,
            "can_edit": can_edit,
            "in_force": rs is not None and rs.covers(today),
            "history": _history(rs) if rs else [],
        },
    )
