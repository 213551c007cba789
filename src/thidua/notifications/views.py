from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from thidua.accounts.requests import request_user
from thidua.core.pagination import paginate
from thidua.notifications import selectors, services


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.notice_list_for(actor=request_user(request)))
    return render(
        request,
        "notifications/notice_list.html",
        {
            "page": page,
            "notices": page.object_list,
            "title": "Thông báo",
            "qs": "",
        },
    )


@login_required
@require_POST
def notice_read_all(request: HttpRequest) -> HttpResponse:
    services.notice_mark_read(user=request_user(request))
    return redirect("notifications:notice-list")
