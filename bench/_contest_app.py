"""The WSGI application the contest benchmarks serve with gunicorn: thidua.wsgi (hot path in
front of Django) plus, for the baseline only, a plain Django-ORM version of the submit view at
/bench/nop-orm/<token>/, served through Django's full middleware stack like any other view."""

import json
import os
import uuid
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
django.setup()

from django.conf import settings  # noqa: E402 - after django.setup()
from django.db import IntegrityError, transaction  # noqa: E402
from django.http import HttpRequest, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

from thidua import urls as project_urls  # noqa: E402
from thidua.contests.hotpath import answer_letters, new_receipt, payload_hash  # noqa: E402
from thidua.contests.models import Attempt, Submission  # noqa: E402
from thidua.wsgi import application  # noqa: E402

__all__ = ["application"]


@csrf_exempt
def orm_submit(request: HttpRequest, token: uuid.UUID) -> JsonResponse:
    data: dict[str, Any] = json.loads(request.body)
    key = uuid.UUID(data["key"])
    answers = {str(k): v for k, v in (data.get("answers") or {}).items()}
    prediction = data.get("prediction")
    attempt = Attempt.objects.select_related("round__contest", "contestant").get(token=token)
    answers = answer_letters(attempt.questions, answers)  # the page's option codes → letters
    now = timezone.now()
    correct = dict(attempt.round.pool.values_list("pk", "correct"))
    drawn = [q[0] for q in attempt.questions]
    late = now > attempt.deadline
    final = attempt.answers if late else {**attempt.answers, **answers}
    score = sum(1 for q in drawn if final.get(str(q)) == correct.get(q))
    digest = payload_hash(answers, prediction)
    try:
        with transaction.atomic():
            sub = Submission.objects.create(
                attempt=attempt,
                round=attempt.round,
                contestant=attempt.contestant,
                unit_id=attempt.contestant.unit_id,
                idempotency_key=key,
                payload_hash=digest,
                receipt=new_receipt(),
                answers=final,
                prediction=prediction,
                score=score,
                duration_ms=int((now - attempt.started_at).total_seconds() * 1000),
                submitted_at=now,
                closed_by_server=late,
            )
        status = 201
    except IntegrityError:
        sub = Submission.objects.get(attempt=attempt)
        if sub.payload_hash != digest:
            return JsonResponse({"error": "conflict"}, status=409)
        status = 200
    return JsonResponse({"receipt": sub.receipt, "score": score}, status=status)


urlpatterns = [
    path("bench/nop-orm/<uuid:token>/", orm_submit),
    *project_urls.urlpatterns,
]
settings.ROOT_URLCONF = __name__
