from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from thidua.accounts.requests import request_user
from thidua.core.pagination import paginate
from thidua.notifications import selectors, services
from thidua.notifications.forms import PreferenceForm


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
def notice_open(request: HttpRequest, pk: int) -> HttpResponse:
    """A notice opened from the list: marked read (the count in the menu drops), then its page,
    or the list for a notice that links nowhere. Another user's notice is a 404."""
    user = request_user(request)
    notice = get_object_or_404(selectors.notice_list_for(actor=user), pk=pk)
    services.notice_mark_read(user=user, notice_ids=[notice.pk])
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None):
        return redirect(notice.url)  # a path on this site, as notify() stores it
    return redirect("notifications:notice-list")


@login_required
@require_POST
def notice_read_all(request: HttpRequest) -> HttpResponse:
    services.notice_mark_read(user=request_user(request))
    return redirect("notifications:notice-list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """A user's choice of summary mail: none, daily or weekly."""
    user = request_user(request)
    current = services.mail_preference_for(user)
    form = PreferenceForm(request.POST or None, initial={"summary": current.summary})
    if request.method == "POST" and form.is_valid():
        services.mail_preference_set(actor=user, summary=form.cleaned_data["summary"])
        messages.success(request, "Đã lưu tùy chọn nhận thư.")
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "email": user.email, "title": "Tùy chọn nhận thư"},
    )
