"""Good models (mô hình hay): proposal, review, adoption."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse

from thidua.accounts.models import User
from thidua.campaigns.models import Campaign
from thidua.core.clock import now, today_local
from thidua.core.services import action_log_record
from thidua.core.text import fold
from thidua.core.transitions import transition
from thidua.notifications.services import notify
from thidua.organizations.models import Person, Unit
from thidua.organizations.selectors import users_with_role_in
from thidua.participation import rules
from thidua.participation.models import (
    Adoption,
    GoodModel,
)
from thidua.participation.services.activities import (
    _check_files,
    _store_evidence,
)
from thidua.participation.services.common import (
    UNIT_ROLES,
    _notify_office,
    _require_unit,
)

# --- Good models ----------------------------------------------------------------------------


def good_model_propose(
    *,
    actor: User,
    campaign: Campaign,
    unit: Unit,
    kind: str,
    title: str,
    description: str,
    results: str = "",
    person: Person | None = None,
    files: Iterable[UploadedFile] = (),
) -> GoodModel:
    _require_unit(actor, campaign, unit)
    if kind == GoodModel.Kind.INDIVIDUAL and person is None:
        raise ValidationError("Điển hình cá nhân cần chọn người.")
    if person is not None and person.unit_id != unit.pk:
        raise ValidationError("Người được đề xuất phải thuộc đơn vị.")
    checked = _check_files(files)
    with transaction.atomic():
        gm = GoodModel.objects.create(
            campaign=campaign,
            unit=unit,
            kind=kind,
            title=title,
            description=description,
            results=results,
            person=person,
            created_by=actor,
            search_text=fold(f"{title} {unit.name}")[:400],
        )
        _store_evidence(checked, actor, good_model=gm)
        action_log_record(
            actor=actor, action="participation.good_model.proposed", target=gm, data={"kind": kind}
        )
        _notify_office(
            campaign,
            f"Đề xuất mô hình hay: {title}",
            reverse("participation:good-model-detail", args=[gm.pk]),
        )
    return gm


def good_model_resubmit(
    *, actor: User, good_model: GoodModel, description: str, results: str
) -> GoodModel:
    to = GoodModel.Status.PROPOSED
    return transition(
        good_model,
        to=to,
        allowed_from=GoodModel.TRANSITIONS[to],
        action="participation.good_model.resubmitted",
        actor=actor,
        refused="Chỉ bổ sung được đề xuất đang được yêu cầu bổ sung.",
        related=("campaign", "unit"),
        permit=lambda gm: _require_unit(actor, gm.campaign, gm.unit),
        done=lambda gm: False,  # a proposal not asked for more is refused
        description=description,
        results=results,
    )


REVIEW_DECISIONS = {
    "accept": (GoodModel.Status.ACCEPTED, "được công nhận"),
    "more": (GoodModel.Status.NEEDS_INFO, "cần bổ sung"),
    "decline": (GoodModel.Status.DECLINED, "không được công nhận"),
}


def good_model_review(*, actor: User, good_model: GoodModel, decision: str, note: str) -> GoodModel:
    if not rules.can_review(actor, good_model.campaign):
        raise PermissionDenied
    if decision not in REVIEW_DECISIONS:
        raise ValidationError("Quyết định không hợp lệ.")
    status, wording = REVIEW_DECISIONS[decision]
    if decision != "accept" and not note.strip():
        raise ValidationError("Cần ghi rõ lý do để đơn vị biết.")
    return transition(
        good_model,
        to=status,
        allowed_from=GoodModel.TRANSITIONS[status],
        action=f"participation.good_model.{status}",
        actor=actor,
        refused="Đề xuất này đã được xem xét xong.",
        related=("campaign",),
        data={"note": note},
        notify=lambda gm: notify(
            users=users_with_role_in(unit_ids={gm.unit_id}, roles=UNIT_ROLES),
            title=f"Mô hình “{gm.title}” {wording}"[:255],
            body=note,
            url=reverse("participation:good-model-detail", args=[gm.pk]),
        ),
        review_note=note,
        reviewed_at=now(),
        reviewed_by=actor,
    )


def good_model_adopt(
    *, actor: User, good_model: GoodModel, unit: Unit, note: str, adopted_on: date | None = None
) -> Adoption:
    if not rules.can_act_for(actor, unit.pk):
        raise PermissionDenied
    good_model = GoodModel.objects.get(pk=good_model.pk)
    if good_model.status != GoodModel.Status.ACCEPTED:
        raise ValidationError("Chỉ nhân rộng được mô hình đã được công nhận.")
    if good_model.unit_id == unit.pk:
        raise ValidationError("Đơn vị không tự nhân rộng mô hình của mình.")
    with transaction.atomic():
        adoption, created = Adoption.objects.get_or_create(
            good_model=good_model,
            unit=unit,
            defaults={"note": note, "adopted_on": adopted_on or today_local(), "created_by": actor},
        )
        if created:
            action_log_record(
                actor=actor,
                action="participation.good_model.adopted",
                target=good_model,
                data={"unit": unit.code},
            )
    return adoption
