from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from thidua.accounts.requests import request_user
from thidua.core.clock import today_local
from thidua.workspace.selectors import workspace_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Việc cần làm: each role lands on its own list, with counts and deadlines."""
    user = request_user(request)
    return render(
        request,
        "workspace/home.html",
        {"ws": workspace_for(actor=user), "today": today_local(), "title": "Việc cần làm"},
    )
