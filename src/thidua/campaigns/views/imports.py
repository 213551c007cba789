"""Importing a plan: the upload, then the editable review (đối chiếu) before anything is
saved."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from thidua.accounts.models import Role, User
from thidua.accounts.requests import request_user
from thidua.campaigns import rules, services
from thidua.campaigns.forms import (
    ImportPlanForm,
    ReviewAssignmentFormSet,
    ReviewAwardFormSet,
    ReviewForm,
    ReviewFormItemFormSet,
    ReviewParentFormSet,
    ReviewPrizeFormSet,
    ReviewRecipientFormSet,
)
from thidua.campaigns.review import payload_dump, payload_load, plan_proposal
from thidua.campaigns.views.common import (
    visible_campaign_for,
)
from thidua.core.bodylimit import accepts_uploads
from thidua.core.http import require
from thidua.organizations.models import Unit
from thidua.organizations.rules import units_at_or_below_bodies_q
from thidua.organizations.selectors import unit_list_for


def _import_units(user: User) -> Any:
    """The issuing bodies the officer may draft a plan for: units at or below a body the
    officer is Nội vụ of (docs/security.md R19)."""
    units = unit_list_for(actor=user).filter(
        kind__in=["province", "district", "ward", "commune", "office", "party", "mass_org"],
        valid_to__isnull=True,
    )
    return units.filter(units_at_or_below_bodies_q(user, "", Role.EMULATION_OFFICE))


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def campaign_import(request: HttpRequest) -> HttpResponse:
    """Step 1: paste or upload. A valid post shows the review (step 2); nothing is saved."""
    user = request_user(request)
    require(rules.can_draft_campaigns(user))
    units = _import_units(user)
    form = ImportPlanForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        initial={"owner_unit": units.filter(kind="district").first() or units.first()},
    )
    if request.method == "POST" and form.is_valid():
        owner = form.cleaned_data["owner_unit"]
        proposal = plan_proposal(text=form.cleaned_data["plan_text"], owner=owner)
        return _render_review(request, proposal, owner, _review_forms(proposal, owner))
    return render(
        request, "campaigns/import.html", {"form": form, "title": "Nhập kế hoạch từ văn bản"}
    )


def _unit_names(ids: set[int]) -> dict[int, str]:
    return dict(Unit.objects.filter(pk__in=ids).values_list("pk", "name"))


def _row_choices(rows: list[dict[str, Any]], names: dict[int, str]) -> list[list[tuple[int, str]]]:
    return [[(pk, names[pk]) for pk in row["candidates"] if pk in names] for row in rows]


def _as_dates(row: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """The proposal keeps dates as ISO text (JSON); the form shows them as dd/mm/yyyy."""
    return {**row, **{n: date.fromisoformat(row[n]) for n in names if row.get(n)}}


def _review_forms(proposal: dict[str, Any], owner: Unit, data: Any = None) -> dict[str, Any]:
    """The review page's form and formsets, filled from the proposal (or the post)."""
    ids = set(proposal["standing_candidates"])
    for row in proposal["assignments"] + proposal["recipients"]:
        ids |= set(row["candidates"])
    names = _unit_names(ids)
    fields = proposal["fields"]
    main_initial = {
        **_as_dates(fields, ("occasion_date", "period_start", "period_end", "report_deadline")),
        "participants_collective": "\n".join(fields["participants_collective"]),
        "participants_individual": "\n".join(fields["participants_individual"]),
        "payload": payload_dump(proposal),
    }
    home = owner.parent if owner.kind not in {"province", "district", "ward", "commune"} else owner
    standing = Unit.objects.filter(
        Q(pk__in=ids) | Q(path__startswith=f"{(home or owner).path}{(home or owner).pk}/"),
        valid_to__isnull=True,
    ).order_by("name_sort")
    return {
        "main": ReviewForm(data, initial=main_initial, standing_units=standing),
        "parents": ReviewParentFormSet(
            data, prefix="parents", initial=[_as_dates(r, ("date",)) for r in proposal["parents"]]
        ),
        "forms": ReviewFormItemFormSet(data, prefix="forms", initial=proposal["forms"]),
        "awards": ReviewAwardFormSet(data, prefix="awards", initial=proposal["awards"]),
        "prizes": ReviewPrizeFormSet(data, prefix="prizes", initial=proposal["prizes"]),
        "assignments": ReviewAssignmentFormSet(
            data,
            prefix="assignments",
            initial=[_as_dates(r, ("due_date",)) for r in proposal["assignments"]],
            row_choices=_row_choices(proposal["assignments"], names),
        ),
        "recipients": ReviewRecipientFormSet(
            data,
            prefix="recipients",
            initial=proposal["recipients"],
            row_choices=_row_choices(proposal["recipients"], names),
        ),
    }


# Review field → the parser's span that shows where the value came from.
_FIELD_SPANS = {
    "issuer_name": "issuer",
    "doc_symbol": "number",
    "place": "issued_date",
    "title": "title",
    "occasion_date": "title",
    "period_start": "period",
    "period_end": "period",
    "period_text": "period",
    "report_deadline": "report_deadline",
    "standing_agency": "standing_agency",
    "signer_authority": "signer",
    "signer_name": "signer",
}


def _render_review(
    request: HttpRequest,
    proposal: dict[str, Any],
    owner: Unit,
    forms: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    lines = proposal["text"].splitlines()
    spans = proposal["parsed"].get("spans") or {}

    def source(first: int | None, last: int | None = None) -> str:
        if not first:
            return ""
        return "\n".join(lines[first - 1 : (last or first)])

    found = {name: source(*span) for name, span in spans.items()}
    field_sources = {field: found.get(span, "") for field, span in _FIELD_SPANS.items()}
    rows = {
        name: [
            (form, source(row.get("line")), proposal["doubts"].get(f"{name}.{i}", ""))
            for i, (form, row) in enumerate(
                zip(forms[name].forms, proposal[name] + [{}] * len(forms[name].forms), strict=False)
            )
        ]
        for name in ("forms", "awards", "prizes", "assignments", "recipients", "parents")
    }
    return render(
        request,
        "campaigns/import_review.html",
        {
            "title": "Đối chiếu trước khi lưu",
            "owner": owner,
            "forms": forms,
            "rows": rows,
            "general": [
                (field, proposal["doubts"].get(field.name, ""), field_sources.get(field.name, ""))
                for field in forms["main"].visible_fields()
            ],
            "warnings": proposal["parsed"].get("warnings") or [],
            "unrecognised": proposal["parsed"].get("unrecognised") or [],
            "source_lines": lines,
        },
        status=status,
    )


def _rows(formset: Any) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in f.cleaned_data.items() if k not in {"ORDER", "DELETE"}}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


@login_required
@require_POST
def campaign_import_review(request: HttpRequest) -> HttpResponse:
    """Step 2: the corrected review. Saving creates the draft; nothing before that."""
    user = request_user(request)
    require(rules.can_draft_campaigns(user))
    try:
        proposal = payload_load(request.POST.get("payload", ""))
    except signing.BadSignature:
        messages.error(
            request, "Phiên đối chiếu đã hết hạn hoặc không hợp lệ. Hãy nhập lại văn bản."
        )
        return redirect("campaigns:campaign-import")
    owner = get_object_or_404(_import_units(user), pk=proposal["owner_unit"])
    forms = _review_forms(proposal, owner, data=request.POST)
    if all(f.is_valid() for f in forms.values()):
        units_by_pk = {
            u.pk: u
            for u in Unit.objects.filter(
                pk__in={
                    pk
                    for name in ("assignments", "recipients")
                    for row in _rows(forms[name])
                    for pk in row["units"]
                }
            )
        }
        main = dict(forms["main"].cleaned_data)
        main.pop("payload", None)
        try:
            campaign = services.campaign_create_from_review(
                actor=user,
                owner_unit=owner,
                proposal=proposal,
                fields=main,
                parents=_rows(forms["parents"]),
                forms=_rows(forms["forms"]),
                awards=_rows(forms["awards"]),
                prizes=_rows(forms["prizes"]),
                assignments=[
                    {**row, "units": [units_by_pk[pk] for pk in row["units"]]}
                    for row in _rows(forms["assignments"])
                ],
                recipients=[
                    {**row, "units": [units_by_pk[pk] for pk in row["units"]]}
                    for row in _rows(forms["recipients"])
                ],
            )
        except ValidationError as exc:
            forms["main"].add_error(None, exc)
        else:
            messages.success(request, "Đã lưu dự thảo kế hoạch. Có thể soạn tiếp hoặc ban hành.")
            return redirect("campaigns:campaign-detail", pk=campaign.pk)
    return _render_review(request, proposal, owner, forms, status=422)


@login_required
def campaign_review(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = visible_campaign_for(request, pk)
    require(rules.can_draft_campaigns(user))
    data = campaign.parse_result or {}
    return render(
        request,
        "campaigns/review.html",
        {
            "campaign": campaign,
            "data": data,
            "source_lines": campaign.source_text.splitlines(),
            "warnings": data.get("warnings") or [],
            "unrecognised": data.get("unrecognised") or [],
            "title": "Đối chiếu dự thảo với văn bản gốc",
        },
    )
