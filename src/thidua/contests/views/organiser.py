"""Organiser screens (staff, signed in): contests, question bank, rounds, collective prizes."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thidua.accounts.models import Role
from thidua.accounts.requests import request_user
from thidua.campaigns.models import CampaignStatus
from thidua.campaigns.selectors import campaign_list_for
from thidua.contests import bank, rules, selectors, services
from thidua.contests.forms import (
    ContestForm,
    ContestSettingsForm,
    QuestionBankForm,
    QuestionForm,
    RoundForm,
    RoundOpenForm,
    UnitTargetForm,
)
from thidua.contests.models import Contest, Question
from thidua.contests.views._common import managed, managed_round
from thidua.contests.views.public import attempt_items
from thidua.core.bodylimit import accepts_uploads
from thidua.core.clock import now as clock_now
from thidua.core.forms import SpreadsheetForm
from thidua.core.http import run_action
from thidua.core.import_flow import Frame, import_steps
from thidua.core.pagination import paginate, querystring_without_page
from thidua.organizations.models import Unit
from thidua.organizations.rules import roles_of


@login_required
@require_http_methods(["GET", "POST"])
def contest_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not rules.can_create_contest(user):
        raise PermissionDenied
    units = Unit.objects.filter(pk__in=roles_of(user).units_with(Role.CONTEST_ORGANISER))
    campaigns = campaign_list_for(actor=user).exclude(status=CampaignStatus.DRAFT)
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
    contest = managed(request, pk)
    errors: list[Any] = []
    place = "Dòng"
    back = reverse("contests:contest-detail", args=[contest.pk])
    step = import_steps(
        request,
        QuestionBankForm(request.POST or None, request.FILES or None),
        source="contests.questions",
        columns=bank.QUESTION_COLUMNS,
        params={"contest": str(contest.pk)},
        back=back,
        title=f"Nhập câu hỏi – {contest.title}",
        frame=Frame(crumbs=[("Cuộc thi", reverse("contests:contest-list"))], here=contest.title),
    )
    if step.response is not None:
        return step.response
    if step.sheet is not None:
        notes: list[str] = []
        created, row_errors = services.question_import(
            actor=request_user(request),
            contest=contest,
            upload=step.sheet,
            filename=step.sheet.filename,
            notes=notes,
        )
        step.finish(created, row_errors)
        if row_errors:
            errors = [e.as_dict() for e in row_errors]
            place = "Câu" if bank.is_word(step.sheet) else "Dòng"  # a Word file's questions
            request.session["contest_import_errors"] = errors
            request.session["contest_import_place"] = place
        else:
            messages.success(request, f"Đã nhập {created} câu hỏi vào ngân hàng.")
            for note in notes:
                messages.info(request, note)
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
            "place": place,
            "form": step.form,
            "now": clock_now(),
            "title": contest.title,
        },
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
            values = {k: str(v) for k, v in form.cleaned_data.items()}
            services.question_update(actor=user, question=question, bases=form.bases, **values)
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
    return {f: getattr(q, f) for f in services.questions.QUESTION_FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest, pk: int) -> HttpResponse:
    contest = managed(request, pk)
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
    round_ = managed_round(request, pk)
    now = clock_now()
    if rules.round_is_closed(round_, now):
        messages.error(request, "Vòng thi đã kết thúc, không thể sửa.")
        return redirect("contests:round-detail", pk=round_.pk)
    is_open = rules.round_is_open(round_, now)
    initial, shown = RoundForm.initial_for(round_), services.rounds.round_bases(round_)
    form: RoundForm | RoundOpenForm = (
        RoundOpenForm(request.POST or None, initial=initial, shown=shown)
        if is_open
        else RoundForm(request.POST or None, initial=initial, shown=shown)
    )
    if request.method == "POST" and form.is_valid():
        fields = (
            dict(form.cleaned_data) if isinstance(form, RoundOpenForm) else form.service_fields()
        )
        try:
            services.round_update(
                actor=request_user(request), round_=round_, bases=form.bases, **fields
            )
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
    contest = managed(request, pk)
    form = ContestSettingsForm(
        request.POST or None,
        initial=ContestSettingsForm.initial_for(contest),
        shown=services.contest.contest_bases(contest),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contest_update(
                actor=request_user(request),
                contest=contest,
                bases=form.bases,
                **form.service_fields(),
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


@login_required
@require_GET
def collective(request: HttpRequest, pk: int) -> HttpResponse:
    """Collective prizes: expected participants per unit, the standings, the allocation."""
    return _collective_page(request, managed(request, pk))


def _collective_page(
    request: HttpRequest,
    contest: Contest,
    *,
    target_form: UnitTargetForm | None = None,
    import_form: forms.Form | None = None,
    errors: list[Any] | None = None,
) -> HttpResponse:
    """The page, with a refused form or an import's row errors when a POST view shows them."""
    return render(
        request,
        "contests/collective.html",
        {
            "contest": contest,
            "standings": selectors.collective_table(contest),
            "results": list(selectors.collective_results(contest)),
            "target_form": target_form or UnitTargetForm(units=selectors.selectable_units()),
            "import_form": import_form or SpreadsheetForm(),
            "errors": errors or [],
            "title": "Giải tập thể",
        },
    )


@login_required
@require_POST
def collective_target(request: HttpRequest, pk: int) -> HttpResponse:
    """One unit's expected participants, entered by hand."""
    contest = managed(request, pk)
    form = UnitTargetForm(request.POST, units=selectors.selectable_units())
    if form.is_valid() and run_action(
        request,
        lambda: services.unit_target_set(
            actor=request_user(request),
            contest=contest,
            unit=form.cleaned_data["unit"],
            expected=form.cleaned_data["expected"],
        ),
        "Đã lưu số người dự kiến.",
    ):
        return redirect("contests:collective", pk=contest.pk)
    return _collective_page(request, contest, target_form=form)


@accepts_uploads
@login_required
@require_POST
def collective_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Expected participants from a spreadsheet, through the import steps (columns, repeat)."""
    contest = managed(request, pk)
    step = import_steps(
        request,
        SpreadsheetForm(request.POST, request.FILES),
        source="contests.targets",
        columns=services.TARGET_COLUMNS,
        params={"contest": str(contest.pk)},
        back=reverse("contests:collective", args=[contest.pk]),
        title=f"Nhập số người dự kiến – {contest.title}",
        frame=Frame(
            crumbs=[(contest.title, reverse("contests:contest-detail", args=[contest.pk]))],
            here="Giải tập thể",
        ),
    )
    if step.response is not None:
        return step.response
    errors: list[Any] = []
    if step.sheet is not None:
        count, row_errors = services.unit_targets_import(
            actor=request_user(request),
            contest=contest,
            upload=step.sheet,
            filename=step.sheet.filename,
        )
        step.finish(count, row_errors)
        if not row_errors:
            messages.success(request, f"Đã nhập số người dự kiến của {count} đơn vị.")
            return redirect("contests:collective", pk=contest.pk)
        errors = [e.as_dict() for e in row_errors]
        request.session["contest_import_errors"] = errors
    return _collective_page(request, contest, import_form=step.form, errors=errors)


@login_required
@require_POST
def collective_allocate(request: HttpRequest, pk: int) -> HttpResponse:
    """Rank the units and allocate the collective prizes (again)."""
    contest = managed(request, pk)
    run_action(
        request,
        lambda: services.collective_prizes_allocate(actor=request_user(request), contest=contest),
        "Đã xét và phân bổ giải tập thể.",
    )
    return redirect("contests:collective", pk=contest.pk)


@login_required
@require_http_methods(["GET", "POST"])
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = managed_round(request, pk)
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
    round_ = managed_round(request, pk)
    pool = {q.pk: q for q in round_.pool.all()}
    drawn = services.draw(round_, list(pool.values()))
    return render(
        request,
        "contests/attempt.html",
        {
            "contest": round_.contest,
            "round": round_,
            "items": attempt_items(drawn, pool, {}),
            "preview": True,
            "deadline": clock_now(),
        },
    )
