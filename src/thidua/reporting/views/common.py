"""What several reporting views need: the campaign, the manager, the request or the unit
report acted on."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from thidua.accounts.models import User
from thidua.accounts.requests import request_user
from thidua.campaigns.views import issued_campaign_for
from thidua.core.http import require
from thidua.reporting import rules, selectors
from thidua.reporting.models import ReportAssignment, ReportRequest

_campaign = issued_campaign_for


def _manager(request: HttpRequest) -> User:
    user = request_user(request)
    require(rules.can_manage_reports(user))
    return user


def _managed_request(request: HttpRequest, pk: int) -> tuple[User, ReportRequest]:
    user = request_user(request)
    report_request = get_object_or_404(
        ReportRequest.objects.select_related("campaign", "template"), pk=pk
    )
    require(rules.can_manage_reports(user))
    return user, report_request


def _assignment_of(request: HttpRequest, pk: int) -> ReportAssignment:
    return _assignment(request, pk)[1]


def _back_to_report(a: ReportAssignment) -> HttpResponse:
    return redirect("reporting:report", pk=a.pk)


def _assignment(request: HttpRequest, pk: int) -> tuple[User, ReportAssignment]:
    user = request_user(request)
    a = get_object_or_404(
        selectors.assignment_list_for(actor=user).select_related("request__template"), pk=pk
    )
    return user, a


def _visible_request(user: User, pk: int) -> ReportRequest:
    report_request = selectors.request_visible_to(actor=user, pk=pk)
    if report_request is None:
        raise Http404
    return report_request
