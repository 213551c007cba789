from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from thidua.core import metrics
from thidua.core.clientip import client_ip, in_networks
from thidua.core.http import is_htmx, safe_referer
from thidua.core.models import Job

JOB_TITLES = {"core.export": "Xuất dữ liệu ra Excel", "core.import": "Nhập dữ liệu từ Excel"}


def _own_job(request: HttpRequest, pk: int) -> Job:
    job = get_object_or_404(Job, pk=pk)
    if job.created_by_id != request.user.pk:
        raise PermissionDenied  # a job's output belongs to whoever started it
    return job


@login_required
@never_cache
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress partial that pages poll; opened directly, a page around it."""
    job = _own_job(request, pk)
    if is_htmx(request):
        return render(request, "_job.html", {"job": job})
    return render(
        request, "core/job.html", {"job": job, "title": JOB_TITLES.get(job.kind, "Tác vụ nền")}
    )


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
    """Liveness: the process answers. No I/O, so a database outage never restarts the app."""
    return JsonResponse({"status": "ok"})


def _check_database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return bool(cursor.fetchone() == (1,))


def _check_cache() -> bool:
    cache.set("readyz", "ok", 5)
    return bool(cache.get("readyz") == "ok")


def _check_broker() -> bool:
    """Eager tasks (no broker configured) are always ready; else the broker must answer."""
    if not settings.CELERY_BROKER_URL:
        return True
    from thidua.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return True


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness for the load balancer: database, cache and broker; 503 when any fails."""
    checks: dict[str, bool] = {}
    for name, check in (
        ("database", _check_database),
        ("cache", _check_cache),
        ("broker", _check_broker),
    ):
        try:
            checks[name] = check()
        except Exception:
            checks[name] = False
    ok = all(checks.values())
    return JsonResponse({"status": "ok" if ok else "error", **checks}, status=200 if ok else 503)


@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus exposition; only for the scraper's addresses (METRICS_ALLOWED_IPS)."""
    if not in_networks(client_ip(request), settings.METRICS_ALLOWED_IPS):
        return HttpResponse(status=404)
    body, content_type = metrics.render()
    return HttpResponse(body, content_type=content_type)


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    return redirect("workspace:home")  # the start page, "Việc cần làm" (thidua.workspace)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page: the site's layout without a request context, so neither the database nor
    a context processor (either may be what failed) is touched; the request id for support."""
    from django.template import loader

    from thidua.core.context_processors import deployment_names
    from thidua.core.observability import request_id_var

    try:
        body = loader.get_template("500.html").render(
            {"request_id": request_id_var.get(), "deployment": deployment_names()}
        )
    except Exception:  # the template itself broke: plain text still answers in Vietnamese
        body = "<h1>Hệ thống gặp sự cố</h1><p>Vui lòng thử lại sau ít phút.</p><p><a href='/'>Về trang chủ</a></p>"
    return HttpResponse(body, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from an expired or foreign session (CSRF_FAILURE_VIEW): say what to do."""
    return render(request, "403_csrf.html", {"back": safe_referer(request)}, status=403)
