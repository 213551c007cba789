"""Organiser screens (staff, signed in) and the light public contestant pages."""

import json
import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from thidua.accounts.models import Role
from thidua.accounts.requests import request_user
from thidua.campaigns.models import Campaign, CampaignStatus
from thidua.contests import bank, challenge, hotpath, identity, rules, selectors, services
from thidua.contests.certificates import winner_certificates_pdf
from thidua.contests.forms import (
    ContestForm,
    ContestSettingsForm,
    QuestionForm,
    RegisterForm,
    RoundForm,
    RoundOpenForm,
    UnitTargetForm,
)
from thidua.contests.models import (
    Attempt,
    Contest,
    Contestant,
    PrizeTier,
    Question,
    Round,
    Submission,
)
from thidua.core.bodylimit import accepts_uploads
from thidua.core.clock import now as clock_now
from thidua.core.excel import Column, error_report, write_workbook
from thidua.core.forms import SpreadsheetForm, SpreadsheetOrCsvForm
from thidua.core.http import run_action, too_many_requests, xlsx_response
from thidua.core.import_flow import import_steps
from thidua.core.pagination import paginate, querystring_without_page
from thidua.documents.http import pdf_response
from thidua.organizations.models import Unit
from thidua.organizations.rules import roles_of

COOKIE_AGE = 120 * 24 * 3600


def _limited(request: HttpRequest, group: str, key: Any, rate: str) -> bool:
    """Counts on the shared cache (Redis in production); True when over the rate."""
    return bool(is_ratelimited(request, group=group, key=key, rate=rate, increment=True))


def _too_many(request: HttpRequest) -> HttpResponse:
    return too_many_requests(request, "Bạn thao tác quá nhanh.")


def _managed(request: HttpRequest, pk: int) -> Contest:
    contest = selectors.managed_contest(actor=request_user(request), pk=pk)
    if contest is None:
        raise Http404
    return contest


def _managed_round(request: HttpRequest, pk: int) -> Round:
    round_ = get_object_or_404(Round.objects.select_related("contest__organiser_unit"), pk=pk)
    if not rules.can_manage_contest(request_user(request), round_.contest):
        raise Http404
    return round_


# --- Organiser -----------------------------------------------------------------------------


@login_required
def question_export(request: HttpRequest, pk: int) -> HttpResponse:
    contest = _managed(request, pk)
    return xlsx_response(
        write_workbook(
            bank.QUESTION_COLUMNS, services.question_rows(contest), sheet_name="Câu hỏi"
        ),
        f"ngan-hang-cau-hoi-{contest.pk}.xlsx",
    )


@login_required
@require_http_methods(["GET", "POST"])
def contest_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not rules.can_create_contest(user):
        raise PermissionDenied
    units = Unit.objects.filter(pk__in=roles_of(user).units_with(Role.CONTEST_ORGANISER))
    campaigns = Campaign.objects.exclude(status=CampaignStatus.DRAFT).order_by("-issued_on")
    form = ContestForm(request.POST or None, campaigns=campaigns, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contest = services.contest_create(
                actor=user,
                campaign=data["campaign"],
                organiser_unit=data["organiser_unit"],
                title=data["title"],
                rules_text=data["rules"],
                contact_field=data["contact_field"],
                show_score_before_close=data["show_score_before_close"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã tạo cuộc thi.")
            return redirect("contests:contest-detail", pk=contest.pk)
    page = paginate(request, selectors.contest_list_for(actor=user))
    return render(
        request,
        "contests/contest_list.html",
        {"page": page, "contests": page.object_list, "form": form, "title": "Cuộc thi"},
    )


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def contest_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contest = _managed(request, pk)
    errors: list[Any] = []
    back = reverse("contests:contest-detail", args=[contest.pk])
    step = import_steps(
        request,
        SpreadsheetOrCsvForm(request.POST or None, request.FILES or None),
        source="contests.questions",
        columns=bank.QUESTION_COLUMNS,
        params={"contest": str(contest.pk)},
        back=back,
        title=f"Nhập câu hỏi – {contest.title}",
    )
    if step.response is not None:
        return step.response
    if step.sheet is not None:
        created, row_errors = services.question_import(
            actor=request_user(request),
            contest=contest,
            upload=step.sheet,
            filename=step.sheet.filename,
        )
        step.finish(created, row_errors)
        if row_errors:
            errors = [e.as_dict() for e in row_errors]
            request.session["contest_import_errors"] = errors
        else:
            messages.success(request, f"Đã nhập {created} câu hỏi vào ngân hàng.")
            return redirect(back)
    q = request.GET.get("q", "").strip()
    page = paginate(request, selectors.question_list(contest, q))
    return render(
        request,
        "contests/contest_detail.html",
        {
            "contest": contest,
            "page": page,
            "questions": page.object_list,
            "q": q,
            "qs": querystring_without_page(request),
            "rounds": contest.rounds.order_by("number"),
            "errors": errors,
            "form": step.form,
            "now": clock_now(),
            "title": contest.title,
        },
    )


@login_required
def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    _managed(request, pk)
    return xlsx_response(
        error_report(request.session.get("contest_import_errors", [])), "loi-nhap-cau-hoi.xlsx"
    )


@login_required
def question_template(request: HttpRequest, pk: int) -> HttpResponse:
    _managed(request, pk)
    sample = [["Tiểu sử", "Dễ", "Tổng Bí thư Nguyễn Văn Cừ sinh năm nào?", "1910", "1912",
               "1914", "1916", "B", ""]]  # fmt: skip
    return xlsx_response(
        write_workbook(bank.QUESTION_COLUMNS, sample, sheet_name="Câu hỏi"), "mau-cau-hoi.xlsx"
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("contest__organiser_unit"), pk=pk)
    user = request_user(request)
    if not rules.can_manage_contest(user, question.contest):
        raise Http404
    locked = services.question_is_locked(question)
    form = QuestionForm(request.POST or None, instance=None, initial=_question_initial(question))
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(
                actor=user,
                question=question,
                **{k: str(v) for k, v in form.cleaned_data.items()},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã lưu câu hỏi.")
            return redirect("contests:contest-detail", pk=question.contest_id)
    return render(
        request,
        "contests/question_edit.html",
        {"form": form, "question": question, "locked": locked, "title": "Sửa câu hỏi"},
    )


def _question_initial(q: Question) -> dict[str, Any]:
    fields = ["topic", "difficulty", "stem", "option_a", "option_b", "option_c", "option_d",
              "correct", "source"]  # fmt: skip
    return {f: getattr(q, f) for f in fields}


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest, pk: int) -> HttpResponse:
    contest = _managed(request, pk)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.round_create(
                actor=request_user(request), contest=contest, **form.service_fields()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Đã tạo {round_}.")
            return redirect("contests:round-detail", pk=round_.pk)
    return render(
        request,
        "contests/round_form.html",
        {"form": form, "contest": contest, "title": "Vòng thi mới"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Every setting before the round opens; while open, the title and a later closing time."""
    round_ = _managed_round(request, pk)
    now = clock_now()
    if rules.round_is_closed(round_, now):
        messages.error(request, "Vòng thi đã kết thúc, không thể sửa.")
        return redirect("contests:round-detail", pk=round_.pk)
    is_open = rules.round_is_open(round_, now)
    initial = RoundForm.initial_for(round_)
    form: RoundForm | RoundOpenForm = (
        RoundOpenForm(request.POST or None, initial=initial)
        if is_open
        else RoundForm(request.POST or None, initial=initial)
    )
    if request.method == "POST" and form.is_valid():
        fields = (
            dict(form.cleaned_data) if isinstance(form, RoundOpenForm) else form.service_fields()
        )
        try:
            services.round_update(actor=request_user(request), round_=round_, **fields)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Đã lưu {round_}.")
            return redirect("contests:round-detail", pk=round_.pk)
    return render(
        request,
        "contests/round_form.html",
        {
            "form": form,
            "contest": round_.contest,
            "round": round_,
            "is_open": is_open,
            "title": f"Sửa {round_}",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def contest_settings(request: HttpRequest, pk: int) -> HttpResponse:
    contest = _managed(request, pk)
    form = ContestSettingsForm(
        request.POST or None, initial=ContestSettingsForm.initial_for(contest)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contest_update(
                actor=request_user(request), contest=contest, **form.service_fields()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã lưu cài đặt cuộc thi.")
            return redirect("contests:contest-detail", pk=contest.pk)
    return render(
        request,
        "contests/contest_settings.html",
        {"form": form, "contest": contest, "title": "Cài đặt cuộc thi"},
    )


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def collective(request: HttpRequest, pk: int) -> HttpResponse:
    """Collective prizes: expected participants per unit, the standings, the allocation."""
    contest = _managed(request, pk)
    user = request_user(request)
    target_form = UnitTargetForm(
        request.POST if request.POST.get("action") == "target" else None,
        units=selectors.selectable_units(),
    )
    errors: list[Any] = []
    importing = request.POST.get("action") == "import"
    form: forms.Form = SpreadsheetForm(
        request.POST if importing else None, request.FILES if importing else None
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "allocate":
            run_action(
                request,
                lambda: services.collective_prizes_allocate(actor=user, contest=contest),
                "Đã xét và phân bổ giải tập thể.",
            )
            return redirect("contests:collective", pk=contest.pk)
        if action == "target" and target_form.is_valid():
            d = target_form.cleaned_data
            if run_action(
                request,
                lambda: services.unit_target_set(
                    actor=user, contest=contest, unit=d["unit"], expected=d["expected"]
                ),
                "Đã lưu số người dự kiến.",
            ):
                return redirect("contests:collective", pk=contest.pk)
        if action == "import":
            step = import_steps(
                request,
                form,
                source="contests.targets",
                columns=services.TARGET_COLUMNS,
                params={"contest": str(contest.pk)},
                back=reverse("contests:collective", args=[contest.pk]),
                title=f"Nhập số người dự kiến – {contest.title}",
                carry={"action": "import"},
            )
            form = step.form
            if step.response is not None:
                return step.response
            if step.sheet is not None:
                count, row_errors = services.unit_targets_import(
                    actor=user, contest=contest, upload=step.sheet, filename=step.sheet.filename
                )
                step.finish(count, row_errors)
                if not row_errors:
                    messages.success(request, f"Đã nhập số người dự kiến của {count} đơn vị.")
                    return redirect("contests:collective", pk=contest.pk)
                errors = [e.as_dict() for e in row_errors]
                request.session["contest_import_errors"] = errors
    return render(
        request,
        "contests/collective.html",
        {
            "contest": contest,
            "standings": selectors.collective_table(contest),
            "results": list(selectors.collective_results(contest)),
            "target_form": target_form,
            "import_form": form,
            "errors": errors,
            "title": "Giải tập thể",
        },
    )


COLLECTIVE_COLUMNS = (
    Column("Hạng", "rank", width=8),
    Column("Giải", "prize", width=20),
    Column("Đơn vị", "unit", width=40),
    Column("Mã đơn vị", "code", width=14),
    Column("Số người dự thi", "entrants", width=16),
    Column("Số người dự kiến", "expected", width=18),
    Column("Tỷ lệ tham gia (%)", "rate", width=18),
)


@login_required
def collective_export(request: HttpRequest, pk: int) -> HttpResponse:
    contest = _managed(request, pk)
    labels = dict(PrizeTier.choices)
    rows = [
        [
            r.rank,
            labels.get(r.prize, ""),
            r.unit.short_name or r.unit.name,
            r.unit.code,
            r.entrants,
            r.expected,
            float(r.rate) if r.rate is not None else None,
        ]
        for r in selectors.collective_results(contest)
    ]
    content = write_workbook(COLLECTIVE_COLUMNS, rows, sheet_name="Giải tập thể")
    return xlsx_response(content, f"giai-tap-the-{contest.pk}.xlsx")


@login_required
def target_template(request: HttpRequest, pk: int) -> HttpResponse:
    contest = _managed(request, pk)
    return xlsx_response(
        write_workbook(
            services.TARGET_COLUMNS, services.target_rows(contest), sheet_name="Số người dự kiến"
        ),
        f"so-nguoi-du-kien-{contest.pk}.xlsx",
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _managed_round(request, pk)
    if request.method == "POST":
        raw = request.POST.get("actual_value", "").strip()
        try:
            services.round_rank(
                actor=request_user(request),
                round_=round_,
                actual_value=int(raw) if raw.isdigit() else None,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Đã xếp hạng và phân bổ giải.")
        return redirect("contests:round-detail", pk=round_.pk)
    page = paginate(request, selectors.round_ranking(round_))
    return render(
        request,
        "contests/round_detail.html",
        {
            "round": round_,
            "contest": round_.contest,
            "page": page,
            "ranking": page.object_list,
            "stats": selectors.statistics(round_),
            "collective": selectors.collective_table(round_.contest),
            "editable": not rules.round_is_closed(round_, clock_now()),
            "closed": rules.round_is_closed(round_, clock_now()),
            "title": str(round_),
        },
    )


@login_required
def round_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Exactly the contestant's page, with a fresh draw that is not stored."""
    round_ = _managed_round(request, pk)
    pool = {q.pk: q for q in round_.pool.all()}
    drawn = services.draw(round_, list(pool.values()))
    return render(
        request,
        "contests/attempt.html",
        {
            "contest": round_.contest,
            "round": round_,
            "items": _items(drawn, pool, {}),
            "preview": True,
            "deadline": clock_now(),
        },
    )


WINNER_COLUMNS = (
    Column("Hạng", "rank", width=8),
    Column("Giải", "prize", width=18),
    Column("Họ và tên", "name", width=28),
    Column("Năm sinh", "birth_year", width=10),
    Column("Đơn vị, phường", "unit", width=36),
    Column("Điện thoại", "phone", width=14),
    Column("Thư điện tử", "email", width=24),
    Column("Số câu đúng", "score", width=12),
    Column("Chênh lệch dự đoán", "gap", width=18),
    Column("Thời gian làm bài (giây)", "duration", width=22),
    Column("Nộp lúc", "submitted", width=20),
)


@login_required
def round_export(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _managed_round(request, pk)
    labels = dict(PrizeTier.choices)
    rows = (
        [
            e.rank,
            labels.get(e.prize, ""),
            e.contestant.full_name,
            e.contestant.birth_year,
            e.contestant.unit_label,
            e.contestant.phone,
            e.contestant.email,
            e.score,
            e.prediction_gap,
            round(e.duration_ms / 1000, 1),
            timezone.localtime(e.submitted_at).strftime("%d/%m/%Y %H:%M:%S"),
        ]
        for e in selectors.round_winners(round_).iterator(chunk_size=2000)
    )
    content = write_workbook(WINNER_COLUMNS, rows, sheet_name="Danh sách đạt giải")
    return xlsx_response(content, f"dat-giai-vong-{round_.number}.xlsx")


@login_required
def round_certificates(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _managed_round(request, pk)
    if not round_.ranked_at:
        raise Http404
    return pdf_response(winner_certificates_pdf(round_), f"chung-nhan-vong-{round_.number}")


# --- Public contestant pages ---------------------------------------------------------------


def _cookie_name(contest_id: int) -> str:
    return f"ct{contest_id}"


def _contestant(request: HttpRequest, contest: Contest) -> Contestant | None:
    token = request.get_signed_cookie(_cookie_name(contest.pk), default=None, salt="contest")
    if not token:
        return None
    try:
        return Contestant.objects.filter(contest=contest, device_token=uuid.UUID(token)).first()
    except ValueError:
        return None


def _register(request: HttpRequest, contest: Contest) -> tuple[RegisterForm, HttpResponse | None]:
    """The registration form; on success, the redirect that sets the device cookie."""
    form = RegisterForm(request.POST or None, contest=contest)
    now = clock_now()
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if challenge.budget_left(request, contest, now) <= 0:
            form.add_error(None, challenge.budget_message())
            form.over_budget = True
        elif not challenge.check(d["challenge_token"], d["challenge"]):
            form.add_error("challenge", "Câu trả lời kiểm tra chưa đúng, hãy thử lại.")
        else:
            try:
                contestant = services.contestant_register(
                    contest=contest,
                    full_name=d["full_name"],
                    birth_year=d["birth_year"],
                    unit=d["unit"],
                    unit_text=d["unit_text"],
                    phone=d.get("phone", ""),
                    email=d.get("email", ""),
                    consent=d["consent"],
                )
            except ValidationError as exc:
                for field, errs in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                challenge.budget_spend(request, contest, now)
                response = redirect("contests:public-contest", pk=contest.pk)
                response.set_signed_cookie(
                    _cookie_name(contest.pk),
                    str(contestant.device_token),
                    salt="contest",
                    max_age=COOKIE_AGE,
                    httponly=True,
                    samesite="Lax",
                    secure=request.is_secure(),
                )
                return form, response
    _fresh_challenge(request, form)
    return form, None


def _fresh_challenge(request: HttpRequest, form: RegisterForm) -> None:
    # A fresh challenge each time; whatever else was typed stays in the form.
    question, token = challenge.make()
    if form.is_bound:
        data = request.POST.copy()
        data["challenge_token"], data["challenge"] = token, ""
        form.data = data
    else:
        form.initial["challenge_token"] = token
    form.fields["challenge"].label = question


@require_http_methods(["GET", "POST"])
def public_contest(request: HttpRequest, pk: int) -> HttpResponse:
    contest = get_object_or_404(Contest, pk=pk)
    contestant = _contestant(request, contest)
    form = None
    if contestant is None:
        if request.method == "POST" and _limited(request, "contest-register", "ip", "30/m"):
            return _too_many(request)
        form, done = _register(request, contest)
        if done is not None:
            return done
    now = clock_now()
    rounds = list(contest.rounds.order_by("number"))
    mine: dict[int, list[Attempt]] = {}
    if contestant is not None:
        for a in contestant.attempts.select_related("submission").order_by("number"):
            mine.setdefault(a.round_id, []).append(a)
    rows = [
        {
            "round": r,
            "open": rules.round_is_open(r, now),
            "closed": rules.round_is_closed(r, now),
            "attempts": mine.get(r.pk, []),
            "current": next(
                (a for a in mine.get(r.pk, []) if a.deadline > now and not _has_submission(a)),
                None,
            ),
            "left": None
            if r.attempt_limit is None
            else max(0, r.attempt_limit - len(mine.get(r.pk, []))),
        }
        for r in rounds
    ]
    verify = contestant is not None and identity.needs_verification(contestant)
    return render(
        request,
        "contests/public_contest.html",
        {
            "contest": contest,
            "contestant": contestant,
            "form": form,
            "rows": rows,
            "verify": verify,
            "verify_to": identity.destination(contestant) if verify and contestant else "",
        },
        status=429 if form is not None and form.over_budget else 200,  # nothing typed is lost
    )


def _has_submission(attempt: Attempt) -> bool:
    try:
        return attempt.submission is not None
    except Submission.DoesNotExist:
        return False


@require_POST
def attempt_start(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round.objects.select_related("contest"), pk=pk)
    contestant = _contestant(request, round_.contest)
    if contestant is None:
        return redirect("contests:public-contest", pk=round_.contest_id)
    if _limited(request, "contest-start", "ip", "120/m") or _limited(
        request, "contest-start", lambda g, r: str(contestant.pk), "10/m"
    ):
        return _too_many(request)
    try:
        attempt = services.attempt_start(contestant=contestant, round_=round_)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("contests:public-contest", pk=round_.contest_id)
    return redirect("contests:attempt", token=attempt.token)


def _items(
    drawn: list[list[Any]], pool: dict[int, Question], answers: dict[str, str]
) -> list[dict[str, Any]]:
    """The drawn questions as the page shows them: options in the drawn order, labelled A–D by
    position, each valued by its opaque code (never the bank's letter, which would tell a
    contestant which option the bank lists first)."""
    items = []
    for number, entry in enumerate(drawn, start=1):
        qid, order = entry[0], entry[1]
        values = entry[2] if len(entry) > 2 else list(order)  # noqa: PLR2004 - older draws
        q = pool[qid]
        texts = dict(q.options)
        chosen = answers.get(str(qid), "")
        items.append(
            {
                "number": number,
                "id": qid,
                "stem": q.stem,
                "options": [
                    {"label": "ABCD"[i], "value": values[i], "text": texts[letter]}
                    for i, letter in enumerate(order)
                ],
                "chosen": values[order.index(chosen)] if chosen and chosen in order else "",
            }
        )
    return items


def _attempt(token: uuid.UUID) -> Attempt:
    return get_object_or_404(
        Attempt.objects.select_related("round__contest", "contestant"), token=token
    )


def attempt_page(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    attempt = _attempt(token)
    now = clock_now()
    if _has_submission(attempt) or now > attempt.deadline:
        return redirect("contests:receipt", token=token)
    ids = [q[0] for q in attempt.questions]
    pool = {q.pk: q for q in Question.objects.filter(pk__in=ids)}
    return render(
        request,
        "contests/attempt.html",
        {
            "attempt": attempt,
            "contest": attempt.round.contest,
            "round": attempt.round,
            "items": _items(attempt.questions, pool, attempt.answers),
            "deadline": attempt.deadline,
            "remaining": max(0, int((attempt.deadline - now).total_seconds())),
            "finish_key": uuid.uuid4(),
        },
    )


@csrf_exempt  # JSON with a secret token in the URL; a cross-site form cannot send JSON
@require_POST
def attempt_save(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    attempt = _attempt(token)
    if _limited(request, "contest-save", lambda g, r: str(token), "240/m"):
        return JsonResponse({"error": "Quá nhiều yêu cầu."}, status=429)
    try:
        data = json.loads(request.body)
        question = data.get("question")
        prediction = data.get("prediction")
        services.answer_save(
            attempt=attempt,
            question_id=int(question) if question is not None else None,
            letter=str(data.get("answer") or ""),
            prediction=int(prediction) if prediction not in (None, "") else None,
        )
    except (ValueError, TypeError, AttributeError):
        return JsonResponse({"error": "Dữ liệu không hợp lệ."}, status=400)
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=409)
    return JsonResponse({"ok": True})


@csrf_exempt  # the hot path takes this URL in production (thidua.wsgi); same code here
@require_POST
def attempt_submit(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    status, body = hotpath.submit_body(str(token), request.body)
    response = JsonResponse(body, status=status)
    if status == 503:  # noqa: PLR2004 - HTTP status
        response["Retry-After"] = "2"
    return response


@require_POST
def attempt_finish(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """The form fallback without JavaScript: the page carries a key made when it was drawn."""
    attempt = _attempt(token)
    drawn = {str(q[0]) for q in attempt.questions}
    answers = {
        k[2:]: str(v) for k, v in request.POST.items() if k.startswith("q-") and k[2:] in drawn
    }
    raw = request.POST.get("prediction", "").strip()
    try:
        key = uuid.UUID(request.POST.get("key", ""))
    except ValueError:
        key = uuid.uuid4()
    hotpath.submit(
        str(token),
        key,
        {k: v for k, v in answers.items() if 0 < len(v) <= hotpath.MAX_VALUE},
        int(raw) if raw.isdigit() and len(raw) < 10 else None,  # noqa: PLR2004 - digits
    )
    return redirect("contests:receipt", token=token)


def receipt(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    attempt = _attempt(token)
    now = clock_now()
    if not _has_submission(attempt) and now > attempt.deadline:
        services.attempts_close_expired(
            now=now, round_=attempt.round, contestant=attempt.contestant
        )
        attempt = _attempt(token)
    if not _has_submission(attempt):
        return redirect("contests:attempt", token=token)
    show = (
        attempt.round.contest.show_score_before_close
        or attempt.round.is_practice
        or rules.round_is_closed(attempt.round, now)
    )
    return render(
        request,
        "contests/receipt.html",
        {
            "attempt": attempt,
            "submission": attempt.submission,
            "contest": attempt.round.contest,
            "show_score": show,
            "closed": rules.round_is_closed(attempt.round, now),
        },
    )


def public_results(request: HttpRequest, pk: int) -> HttpResponse:
    """Winners by name and unit or ward only (no birth year, no contact data)."""
    round_ = get_object_or_404(Round.objects.select_related("contest"), pk=pk)
    if round_.ranked_at is None:
        winners: Any = []
    else:
        winners = selectors.public_winners(round_)
    return render(
        request,
        "contests/public_results.html",
        {"round": round_, "contest": round_.contest, "winners": winners},
    )


def public_collective(request: HttpRequest, pk: int) -> HttpResponse:
    """Collective prize winners: unit names and participation figures only."""
    contest = get_object_or_404(Contest, pk=pk)
    winners = list(selectors.collective_winners(contest)) if contest.collective_ranked_at else []
    return render(
        request,
        "contests/public_collective.html",
        {"contest": contest, "winners": winners},
    )


def receipt_url(token: str) -> str:
    return reverse("contests:receipt", kwargs={"token": token})
