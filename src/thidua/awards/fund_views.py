"""The reward fund's staff pages: the ledger of an issuer and year with its balance, the income
and expense form, the prizes to pay and paid, and the Excel export."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from thidua.accounts.models import User
from thidua.accounts.requests import request_user
from thidua.awards import fund, fund_rules
from thidua.awards.fund_export import ledger_xlsx, payments_xlsx
from thidua.awards.fund_forms import FundEntryForm, PaymentPaidForm
from thidua.awards.fund_models import PrizePayment
from thidua.core.clock import today_local
from thidua.core.http import require, xlsx_response
from thidua.core.pagination import paginate, querystring_without_page
from thidua.organizations.models import Unit

FIRST_YEAR = 2000
TABS = {
    "cho-chi": (PrizePayment.Status.PENDING, "Chờ chi"),
    "da-chi": (PrizePayment.Status.PAID, "Đã chi"),
    "khong-chi": (PrizePayment.Status.CANCELLED, "Không chi"),
}


def _scope(request: HttpRequest, user: User) -> tuple[Unit, int]:
    """The issuer (?don_vi=, else the first the actor may see) and year (?nam=, else this
    year). A fund the actor may not see does not exist for them (404)."""
    require(fund_rules.can_see_funds(user))
    issuers = fund_rules.fund_issuers_for(actor=user)
    chosen = request.GET.get("don_vi", "")
    if chosen:
        if not chosen.isdigit():
            raise Http404
        issuer = get_object_or_404(issuers, pk=int(chosen))
    else:
        first = issuers.first()
        if first is None:
            raise PermissionDenied
        issuer = first
    text = request.GET.get("nam", "")
    year = int(text) if text.isdigit() else today_local().year
    if not FIRST_YEAR <= year <= today_local().year + 1:
        raise Http404
    return issuer, year


def _base(
    request: HttpRequest, user: User, issuer: Unit, year: int, **extra: Any
) -> dict[str, Any]:
    return {
        "nav_section": "registry",
        "issuer": issuer,
        "year": year,
        "issuers": fund_rules.fund_issuers_for(actor=user),
        "years": range(today_local().year, FIRST_YEAR - 1, -1)[:10],
        "scope": urlencode({"don_vi": issuer.pk, "nam": year}),
        "can_keep": fund_rules.can_keep_fund(user, issuer.pk),
        "qs": querystring_without_page(request),
        **extra,
    }


@login_required
@require_GET
def fund_ledger(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    issuer, year = _scope(request, user)
    summary = fund.fund_summary(issuer, year)
    page = paginate(request, fund.entry_list(summary.fund))
    rows = fund.with_running_balance(summary.fund, list(page.object_list))
    return render(
        request,
        "awards/fund_ledger.html",
        _base(
            request,
            user,
            issuer,
            year,
            title=f"Quỹ thi đua, khen thưởng năm {year}",
            summary=summary,
            page=page,
            rows=rows,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def fund_entry_add(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    issuer, year = _scope(request, user)
    require(fund_rules.can_keep_fund(user, issuer.pk))
    form = FundEntryForm(request.POST or None, initial={"kind": "budget"})
    if request.method == "POST" and form.is_valid():
        try:
            fund.fund_entry_add(actor=user, issuer=issuer, year=year, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Đã ghi vào sổ quỹ.")
            return redirect(
                reverse("awards:fund") + "?" + urlencode({"don_vi": issuer.pk, "nam": year})
            )
    return render(
        request,
        "awards/fund_entry_form.html",
        _base(request, user, issuer, year, title="Ghi khoản thu, chi của quỹ", form=form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def fund_payments(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    issuer, year = _scope(request, user)
    tab = request.GET.get("trang_thai", "cho-chi")
    if tab not in TABS:
        raise Http404
    summary = fund.fund_summary(issuer, year)
    form = PaymentPaidForm(request.POST or None)
    if request.method == "POST":
        require(fund_rules.can_keep_fund(user, issuer.pk))
        if form.is_valid():
            payment = fund.payment_for(actor=user, pk=form.cleaned_data["payment"])
            if payment is None or payment.fund_id != getattr(summary.fund, "pk", None):
                raise Http404
            try:
                fund.prize_payment_pay(
                    actor=user,
                    payment=payment,
                    paid_on=form.cleaned_data["paid_on"],
                    voucher=form.cleaned_data["voucher"],
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request, f"Đã ghi chi tiền thưởng cho {payment.record.recipient_name}."
                )
                return redirect(request.get_full_path())
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, str(error))
    page = paginate(request, fund.payment_list(summary.fund, TABS[tab][0]))
    return render(
        request,
        "awards/fund_payments.html",
        _base(
            request,
            user,
            issuer,
            year,
            title=f"Tiền thưởng năm {year}",
            summary=summary,
            page=page,
            tab=tab,
            tabs=[(key, label) for key, (_status, label) in TABS.items()],
            today=today_local(),
        ),
    )


@login_required
@require_GET
def fund_export(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    issuer, year = _scope(request, user)
    summary = fund.fund_summary(issuer, year)
    if request.GET.get("bang") == "tien-thuong":
        content = payments_xlsx(summary, fund.payment_list(summary.fund))
        return xlsx_response(content, f"tien-thuong-{year}-{issuer.code}.xlsx")
    content = ledger_xlsx(
        summary, fund.with_running_balance(summary.fund, list(fund.entry_list(summary.fund)))
    )
    return xlsx_response(content, f"so-quy-khen-thuong-{year}-{issuer.code}.xlsx")
