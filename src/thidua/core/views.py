from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from thidua.core.models import Job


def _own_job(request: HttpRequest, pk: int) -> Job:
    job = get_object_or_404(Job, pk=pk)
    if job.created_by_id != request.user.pk:
        raise PermissionDenied  # a job's output belongs to whoever started it
    return job


@login_required
@never_cache
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "_job.html", {"job": _own_job(request, pk)})


@login_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _own_job(request, pk)
    name = job.result.get("file")
    if job.status != Job.Status.DONE or not name or not default_storage.exists(name):
        raise Http404
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=job.result.get("filename") or "tep.pdf",
    )


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness in one: the database answers and the cache round-trips."""
    checks = {"database": False, "cache": False}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            checks["database"] = cursor.fetchone() == (1,)
    except Exception:  # noqa: S110 - any failure means "not ready"
        pass
    try:
        cache.set("healthz", "ok", 5)
        checks["cache"] = cache.get("healthz") == "ok"
    except Exception:  # noqa: S110
        pass
    ok = all(checks.values())
    return JsonResponse({"status": "ok" if ok else "error", **checks}, status=200 if ok else 503)


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    return redirect("organizations:unit-tree")
