"""The yearly statistics to Bộ Nội vụ (Thông tư 02/2023/TT-BNV, forms 0601–0605): a staff page
with the reporting unit, year and period, a preview of every form, and the downloads; Nội vụ's
page for the figures of 0604 and 0605."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from thidua.accounts.requests import request_user
from thidua.awards import statistics as st
from thidua.awards.statistics_export import report_pdf, report_xlsx
from thidua.awards.statistics_forms import StaffingForm, StatisticsQueryForm
from thidua.core.clock import today_local
from thidua.core.http import require, xlsx_response
from thidua.documents.http import pdf_response


@login_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(st.can_see_statistics(user))
    form = StatisticsQueryForm.from_request(request, user)
    report = form.report() if form.is_valid() else None
    query = urlencode({k: form.data.get(k, "") for k in StatisticsQueryForm.base_fields})
    return render(
        request,
        "awards/bnv_statistics.html",
        {
            "title": "Báo cáo thống kê thi đua, khen thưởng",
            "nav_section": "registry",
            "form": form,
            "report": report,
            "query": query,
            "can_enter": st.can_enter_staffing(user),
        },
    )


@login_required
def statistics_download(request: HttpRequest, kind: str) -> HttpResponse:
    user = request_user(request)
    require(st.can_see_statistics(user))
    if kind not in {"xlsx", "pdf"}:
        raise Http404
    form = StatisticsQueryForm.from_request(request, user)
    if not form.is_valid():
        return HttpResponse(
            "Thông tin báo cáo chưa hợp lệ: "
            + " ".join(str(e) for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    key = request.GET.get("bieu", "")
    if key and key not in st.FORM_KEYS:
        raise Http404
    keys = [key] if key else None
    report = form.report()
    name = f"thong-ke-tdkt-{report.period.year}-{report.issuer.code}" + (f"-{key}" if key else "")
    if kind == "xlsx":
        return xlsx_response(report_xlsx(report, keys), f"{name}.xlsx")
    return pdf_response(report_pdf(report, keys), name)


@login_required
@require_http_methods(["GET", "POST"])
def staffing_edit(request: HttpRequest) -> HttpResponse:
    """Nội vụ types in the organisations and civil servants doing emulation work (0604, 0605)."""
    user = request_user(request)
    require(st.can_enter_staffing(user))
    issuer = get_object_or_404(
        st.issuer_choices(),
        pk=request.GET.get("don_vi") or getattr(st.default_issuer(user), "pk", 0),
    )
    require(st.can_enter_staffing(user, issuer))
    try:
        year = int(request.GET.get("nam") or today_local().year)
    except ValueError:
        raise Http404 from None
    staffing = st.staffing_for(issuer, year)
    form = StaffingForm(request.POST or None, staffing=staffing)
    back = reverse("awards:bnv-statistics") + "?" + urlencode({"don_vi": issuer.pk, "nam": year})
    if request.method == "POST" and form.is_valid():
        organisations, staff = form.figures()
        try:
            st.staffing_save(
                actor=user,
                issuer=issuer,
                year=year,
                organisations=organisations,
                staff=staff,
                version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Đã lưu số liệu biểu 0604, 0605.")
            return redirect(back + "#bieu-0604")
    return render(
        request,
        "awards/bnv_staffing.html",
        {
            "title": "Số liệu tổ chức, công chức làm công tác thi đua, khen thưởng",
            "nav_section": "registry",
            "form": form,
            "issuer": issuer,
            "year": year,
            "staffing": staffing,
            "back": back,
        },
    )
