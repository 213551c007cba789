"""The light public contestant pages (cheap phones, slow networks): registration, attempts,
receipts, published winners."""

import json
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from thidua.contests import challenge, hotpath, identity, rules, selectors, services
from thidua.contests.forms import RegisterForm
from thidua.contests.models import Attempt, Contest, Contestant, Question, Round, Submission
from thidua.core.clock import now as clock_now
from thidua.core.http import too_many_requests

COOKIE_AGE = 120 * 24 * 3600


def _limited(request: HttpRequest, group: str, key: Any, rate: str) -> bool:
    """Counts on the shared cache (Redis in production); True when over the rate."""
    return bool(is_ratelimited(request, group=group, key=key, rate=rate, increment=True))


def _too_many(request: HttpRequest) -> HttpResponse:
    return too_many_requests(request, "Bạn thao tác quá nhanh.")


def _cookie_name(contest_id: int) -> str:
    return f"ct{contest_id}"


def contestant_from_cookie(request: HttpRequest, contest: Contest) -> Contestant | None:
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
    if form.is_bound:
        form.is_valid()  # cleans what was typed, for the service's checks
        _add_problems(form, contest)  # every correction at once, not one submission each
        d = form.cleaned_data
        if challenge.budget_left(request, contest, now) <= 0:
            form.add_error(None, challenge.budget_message())
            form.over_budget = True
        elif "challenge" in d and not challenge.check(d.get("challenge_token", ""), d["challenge"]):
            form.add_error("challenge", "Câu trả lời kiểm tra chưa đúng, hãy thử lại.")
        elif form.is_valid():
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
    form.show_challenge(*challenge.make())  # a fresh challenge each time
    return form, None


def _add_problems(form: RegisterForm, contest: Contest) -> None:
    """The registration's own refusals (unit, contact, consent) beside the form's errors, on
    the fields that have none yet."""
    d = form.cleaned_data
    problems = services.contestant_problems(
        contest=contest,
        full_name=d.get("full_name", ""),
        birth_year=d.get("birth_year"),
        unit=d.get("unit"),
        unit_text=d.get("unit_text", ""),
        phone=d.get("phone", ""),
        email=d.get("email", ""),
        consent=d.get("consent", False),
    )
    for field, message in problems.items():
        if field in form.fields and field not in form.errors:
            form.add_error(field, message)


@require_http_methods(["GET", "POST"])
def public_contest(request: HttpRequest, pk: int) -> HttpResponse:
    contest = get_object_or_404(Contest, pk=pk)
    contestant = contestant_from_cookie(request, contest)
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
    by_contact: dict[int, int] = {}
    if contestant is not None:
        for a in contestant.attempts.select_related("submission").order_by("number"):
            mine.setdefault(a.round_id, []).append(a)
        by_contact = selectors.contact_attempts_by_round(contestant)
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
            **_attempts_left(r, len(mine.get(r.pk, [])), by_contact.get(r.pk, 0)),
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


def _attempts_left(round_: Round, own: int, by_contact: int) -> dict[str, Any]:
    """Attempts left in the round: the limit counts this registration's attempts and those of
    every registration of its phone number or e-mail address (`contact_used`: they used them
    up, not this registration)."""
    if round_.attempt_limit is None:
        return {"left": None, "contact_used": False}
    left = max(0, round_.attempt_limit - max(own, by_contact))
    return {"left": left, "contact_used": left == 0 and own < round_.attempt_limit}


def _has_submission(attempt: Attempt) -> bool:
    try:
        return attempt.submission is not None
    except Submission.DoesNotExist:
        return False


@require_POST
def attempt_start(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round.objects.select_related("contest"), pk=pk)
    contestant = contestant_from_cookie(request, round_.contest)
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


def attempt_items(
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
            "items": attempt_items(attempt.questions, pool, attempt.answers),
            "deadline": attempt.deadline,
            # The clock shows the time limit; the grace after it is for the answers in flight
            # (the page hands its answers in when the clock reaches 0), not for the contestant.
            "remaining": max(
                0, int((attempt.deadline - now).total_seconds()) - attempt.round.grace_seconds
            ),
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
        # {"answers": {question id: value}} (the page: its changes since the last save) or
        # {"question": id, "answer": value} (one answer); either may carry the prediction.
        answers = {str(int(q)): str(v) for q, v in (data.get("answers") or {}).items()}
        question = data.get("question")
        if question is not None:
            answers[str(int(question))] = str(data.get("answer") or "")
        prediction = data.get("prediction")
        services.answer_save(
            attempt=attempt,
            answers=answers,
            prediction=int(prediction) if prediction not in (None, "") else None,
        )
    except (ValueError, TypeError, AttributeError, OverflowError):  # int(1e400): Overflow
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
