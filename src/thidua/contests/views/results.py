"""Public pages after a round: look up one's results, review one's answers once the round has
closed, download one's certificate and check a certificate by its QR code; and the one-time
code that confirms a contestant's phone or e-mail before the first attempt."""

import hashlib
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from thidua.contests import identity, results
from thidua.contests.forms import CodeForm, LookupForm
from thidua.contests.models import Attempt, Contest, Submission
from thidua.contests.views.public import contestant_from_cookie
from thidua.core.clock import now as clock_now
from thidua.core.http import too_many_requests
from thidua.core.text import normalise_phone
from thidua.documents.http import pdf_response

LOOKUP_RATE = "10/10m"  # per address: a school's shared line still gets through
LOOKUP_PER_PERSON = "5/h"  # per receipt or contact: guessing a birth year is slow
VERIFY_RATE = "120/m"  # per address, as the portal's check: a school's shared line gets through


def _limited(request: HttpRequest, group: str, key: str, rate: str) -> bool:
    return bool(
        is_ratelimited(
            request, group=group, key=(lambda g, r: key) if key != "ip" else "ip", rate=rate,
            increment=True,
        )
    )  # fmt: skip


def _hashed(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32]


@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest, pk: int) -> HttpResponse:
    """Results and rank by receipt, or by the phone / e-mail and birth year given at
    registration. The answer to a wrong combination never says which part was wrong."""
    contest = get_object_or_404(Contest, pk=pk)
    form = LookupForm(request.POST if request.method == "POST" else None, contest=contest)
    found = None
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        who = d["receipt"] or f"{normalise_phone(d['contact']) or d['contact'].lower()}"
        if _limited(request, "contest-lookup", "ip", LOOKUP_RATE) or _limited(
            request, "contest-lookup-person", _hashed(contest.pk, who), LOOKUP_PER_PERSON
        ):
            form.add_error(None, "Bạn tra cứu quá nhiều lần. Hãy thử lại sau ít phút.")
            status = 429
        else:
            people = (
                [p for p in [results.find_by_receipt(contest, d["receipt"])] if p is not None]
                if d["receipt"]
                else results.find_by_contact(contest, d["contact"], d["birth_year"])
            )
            now = clock_now()
            found = [(p, results.contestant_results(p, now)) for p in people]
            if not found:
                form.add_error(
                    None,
                    "Không tìm thấy kết quả phù hợp. Hãy kiểm tra lại mã biên nhận, hoặc thông "
                    "tin liên hệ và năm sinh đã khai khi đăng ký.",
                )
    response = render(
        request,
        "contests/lookup.html",
        {"contest": contest, "form": form, "found": found},
        status=status,
    )
    response["Cache-Control"] = "no-store"  # personal results: never kept by a proxy
    return response


def _submitted(token: uuid.UUID) -> tuple[Attempt, Submission]:
    attempt = get_object_or_404(
        Attempt.objects.select_related("round__contest", "contestant__unit"), token=token
    )
    submission = Submission.objects.filter(attempt=attempt).first()
    if submission is None:
        raise Http404
    return attempt, submission


def review(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """The contestant's answers and the correct ones, only after the round has closed."""
    attempt, submission = _submitted(token)
    round_ = attempt.round
    now = clock_now()
    allowed = results.can_review(round_, now)
    items = results.review_items(submission) if allowed else []
    response = render(
        request,
        "contests/review.html",
        {
            "contest": round_.contest,
            "attempt": attempt,
            "submission": submission,
            "round": round_,
            "allowed": allowed,
            "items": items,
            "right": sum(1 for i in items if i.right),
            "certified": results.certifiable(round_, attempt.contestant, now) if allowed else None,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


def certificate(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """The contestant's certificate of the round (participation, or the prize once ranked)."""
    attempt, _ = _submitted(token)
    certified = results.certifiable(attempt.round, attempt.contestant, clock_now())
    if certified is None:
        raise Http404("Giấy chứng nhận có sau khi vòng thi kết thúc.")
    issued = results.certificate_issue(round_=attempt.round, contestant=attempt.contestant)
    return pdf_response(
        results.certificate_pdf(certified, issued.token),
        f"giay-chung-nhan-vong-{attempt.round.number}",
    )


def certificate_verify(request: HttpRequest, token: str) -> HttpResponse:
    """Opened from the QR code: what the certificate says, nothing more (no birth year, no
    contact)."""
    if _limited(request, "contest-certificate-verify", "ip", VERIFY_RATE):
        return too_many_requests(request, "Bạn kiểm tra quá nhiều lần, vui lòng thử lại sau.")
    certified = results.certificate_by_token(token)
    if certified is None:
        return render(request, "contests/certificate_verify.html", {"certified": None}, status=404)
    return render(
        request,
        "contests/certificate_verify.html",
        {"certified": certified, "contest": certified.round.contest},
    )


@require_POST
def contact_code_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the one-time code to the device's registered contact."""
    contest = get_object_or_404(Contest, pk=pk)
    contestant = contestant_from_cookie(request, contest)
    if contestant is None:
        return redirect("contests:public-contest", pk=contest.pk)
    if _limited(request, "contest-code", "ip", "30/h"):
        messages.error(request, "Bạn thao tác quá nhanh, vui lòng thử lại sau ít phút.")
    else:
        try:
            sent_to = identity.code_send(contestant=contestant)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Đã gửi mã xác minh tới {sent_to}.")
    return redirect("contests:public-contest", pk=contest.pk)


@require_POST
def contact_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """Check the code typed in (the device's registration)."""
    contest = get_object_or_404(Contest, pk=pk)
    contestant = contestant_from_cookie(request, contest)
    if contestant is None:
        return redirect("contests:public-contest", pk=contest.pk)
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            identity.code_confirm(contestant=contestant, code=form.cleaned_data["code"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Đã xác minh. Bạn có thể bắt đầu làm bài.")
    else:
        messages.error(request, "Hãy nhập mã xác minh.")
    return redirect("contests:public-contest", pk=contest.pk)
