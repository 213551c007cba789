"""Tasks assigned to the user's units, with their status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from thidua.accounts.requests import request_user
from thidua.campaigns import selectors, services
from thidua.campaigns.models import AssignmentTarget
from thidua.core.clock import today_local
from thidua.core.http import require
from thidua.core.pagination import paginate, querystring_without_page
from thidua.organizations.rules import roles_of


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(bool(roles_of(user).grants))
    include_done = request.GET.get("tat-ca") == "1"
    query, status = request.GET.get("q", "").strip(), request.GET.get("trang-thai", "")
    tasks = selectors.task_list_for(
        actor=user, include_done=include_done, unit_query=query, status=status
    )
    page = paginate(request, tasks)
    toggle = request.GET.copy()  # the other choice of finished tasks, keeping the filter
    toggle.pop("trang", None)
    if include_done:
        toggle.pop("tat-ca", None)
    else:
        toggle["tat-ca"] = "1"
    today = today_local()
    return render(
        request,
        "campaigns/tasks.html",
        {
            "page": page,
            "targets": page.object_list,
            "today": today,
            "include_done": include_done,
            "q": query,
            "status": status,
            "statuses": AssignmentTarget.Status.choices,
            "filtered": bool(query or status in AssignmentTarget.Status.values),
            "qs": querystring_without_page(request),
            "toggle_qs": toggle.urlencode(),
            "title": "Nhiệm vụ được giao",
            "my_units": roles_of(user).units_with("unit_officer", "unit_head"),
        },
    )


@login_required
@require_POST
def task_update(request: HttpRequest, target_pk: int) -> HttpResponse:
    user = request_user(request)
    target = get_object_or_404(selectors.task_list_for(actor=user, include_done=True), pk=target_pk)
    status = request.POST.get("status", "")
    if status not in AssignmentTarget.Status.values:
        raise PermissionDenied
    try:
        services.assignment_target_set_status(actor=user, target=target, status=status)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("campaigns:task-list")
