"""Building a dossier: create, add and remove nominees (people, collectives, households), order, delete a draft."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from thidua.accounts.models import User
from thidua.awards import rules
from thidua.awards.models import (
    AwardType,
    ContributionKind,
    DossierDocument,
    Household,
    Nomination,
    Nominee,
    Subject,
    Target,
)
from thidua.awards.services.common import (
    EDITABLE,
    _delete_files,
    _editable,
    _locked,
)
from thidua.campaigns.models import Campaign, Delivery
from thidua.core.clock import now
from thidua.core.services import action_log_record
from thidua.core.text import fold, vi_sort_key
from thidua.organizations.models import Person, Unit


def nomination_create(
    *,
    actor: User,
    campaign: Campaign,
    unit: Unit,
    award_type: AwardType,
    route: str = Nomination.Route.FULL,
) -> Nomination:
    if not rules.can_draft_nomination(actor, unit.pk):
        raise PermissionDenied
    if not Delivery.objects.filter(campaign=campaign, unit=unit).exists():
        raise ValidationError("Kế hoạch không gửi tới đơn vị này.")
    if route not in Nomination.Route.values:
        raise ValidationError({"route": "Thủ tục đề nghị không hợp lệ."})
    with transaction.atomic():
        n = Nomination.objects.create(
            campaign=campaign, unit=unit, award_type=award_type, route=route, created_by=actor
        )
        action_log_record(
            actor=actor,
            action="awards.nomination.created",
            target=n,
            data={"award_type": award_type.code},
        )
    return n


def nominee_add(
    *,
    actor: User,
    nomination: Nomination,
    person: Person | None = None,
    unit: Unit | None = None,
    achievements: str = "",
) -> Nominee:
    if not rules.can_draft_nomination(actor, nomination.unit_id):
        raise PermissionDenied
    if (person is None) == (unit is None):
        raise ValidationError("Chọn một cá nhân hoặc một tập thể.")
    if (person is not None and person.unit_id != nomination.unit_id) or (
        unit is not None and unit.pk != nomination.unit_id
    ):
        raise ValidationError("Người, tập thể được đề nghị phải thuộc đơn vị lập hồ sơ.")
    with transaction.atomic():
        n = _locked(nomination)
        if n.status not in EDITABLE:
            raise ValidationError("Hồ sơ đã gửi: không thêm người được đề nghị.")
        same = n.nominees.filter(person=person) if person else n.nominees.filter(unit=unit)
        if same.exists():
            raise ValidationError(f"{person or unit} đã có trong hồ sơ này.")
        nominee = Nominee.objects.create(
            nomination=n,
            person=person,
            unit=unit,
            achievements=achievements,
            position=_next_position(n),
            subject=Target.INDIVIDUAL if person else Target.COLLECTIVE,
        )
        action_log_record(
            actor=actor, action="awards.nominee.added", target=n, data={"nominee": nominee.pk}
        )
    return nominee


def household_nominee_add(
    *,
    actor: User,
    nomination: Nomination,
    head_name: str,
    address: str,
    contribution_kind: str,
    contribution: str,
    head_title: str = Household.HeadTitle.MR,
    contribution_value: Decimal | None = None,
    achievements: str = "",
) -> Nominee:
    """Nominate a household of the proposing ward for what it gave, its contribution recorded.
    The same household (head and address) nominated again reuses its record."""
    if not rules.can_draft_nomination(actor, nomination.unit_id):
        raise PermissionDenied
    name, place = " ".join(head_name.split()), " ".join(address.split())
    errors: dict[str, str] = {}
    if len(name) < 2:  # noqa: PLR2004 - a name has letters
        errors["head_name"] = "Cần ghi họ tên chủ hộ."
    if not place:
        errors["address"] = "Cần ghi địa chỉ của hộ (thôn, tổ dân phố, số nhà)."
    if head_title not in Household.HeadTitle.values:
        errors["head_title"] = "Chọn ông hoặc bà."
    if contribution_kind not in ContributionKind.values:
        errors["contribution_kind"] = "Chọn hình thức đóng góp: công sức, đất đai hoặc tài sản."
    if not contribution.strip():
        errors["contribution"] = "Cần ghi nội dung đóng góp của hộ."
    if contribution_value is not None and contribution_value < 0:
        errors["contribution_value"] = "Giá trị quy đổi không được âm."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        n = _editable(actor, nomination, "Hồ sơ đã gửi: không thêm người được đề nghị.")
        household, created = Household.objects.get_or_create(
            unit=n.unit,
            key=f"{fold(name)}|{fold(place)}",
            defaults={
                "head_title": head_title,
                "head_name": name,
                "address": place,
                "search_text": fold(f"{name} {place}"),
                "name_sort": vi_sort_key(name),
            },
        )
        if not created and household.head_title != head_title:
            household.head_title = head_title
            household.save(update_fields=["head_title"])
        if n.nominees.filter(household=household).exists():
            raise ValidationError(f"{household} đã có trong hồ sơ này.")
        nominee = Nominee.objects.create(
            nomination=n,
            household=household,
            subject=Subject.HOUSEHOLD,
            contribution_kind=contribution_kind,
            contribution=contribution.strip(),
            contribution_value=contribution_value,
            achievements=achievements.strip(),
            position=_next_position(n),
        )
        action_log_record(
            actor=actor,
            action="awards.nominee.added",
            target=n,
            data={"nominee": nominee.pk, "name": str(household)},
        )
    return nominee


def _next_position(nomination: Nomination) -> int:
    last = nomination.nominees.order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


def _renumber(nomination: Nomination) -> None:
    """Positions 0, 1, 2… in the current order (after a removal or a move)."""
    for i, nominee in enumerate(nomination.nominees.order_by("position", "pk")):
        if nominee.position != i:
            Nominee.objects.filter(pk=nominee.pk).update(position=i)


def nominee_remove(*, actor: User, nominee: Nominee) -> None:
    """Take a nominee off the list; the files about them leave the dossier (kept as history)."""
    with transaction.atomic():
        n = _editable(actor, nominee.nomination, "Hồ sơ đã gửi: không bỏ người được đề nghị.")
        gone = Nominee.objects.filter(pk=nominee.pk, nomination=n).first()
        if gone is None:
            return  # a double click
        label = str(gone)
        n.documents.filter(nominee=gone, retired="").update(
            retired=DossierDocument.Retired.REMOVED, retired_by=actor, retired_at=now()
        )
        gone.delete()
        _renumber(n)
        action_log_record(
            actor=actor,
            action="awards.nominee.removed",
            target=n,
            data={"nominee": nominee.pk, "name": label},
        )


def nominee_move(*, actor: User, nominee: Nominee, offset: int) -> None:
    """Move a nominee up (-1) or down (+1) the list: the tờ trình prints this order."""
    if offset not in {-1, 1}:
        raise ValidationError("Chỉ chuyển lên hoặc xuống một dòng.")
    with transaction.atomic():
        n = _editable(actor, nominee.nomination, "Hồ sơ đã gửi: không đổi thứ tự được.")
        order = list(n.nominees.order_by("position", "pk").values_list("pk", flat=True))
        if nominee.pk not in order:
            return
        i = order.index(nominee.pk)
        j = i + offset
        if not 0 <= j < len(order):
            return  # already first or last
        order[i], order[j] = order[j], order[i]
        for position, pk in enumerate(order):
            Nominee.objects.filter(pk=pk).update(position=position)
        action_log_record(
            actor=actor,
            action="awards.nominee.moved",
            target=n,
            data={"nominee": nominee.pk, "position": j + 1},
        )


def nomination_delete(*, actor: User, nomination: Nomination) -> None:
    """Delete a draft that never reached Phòng Nội vụ, with its nominees and files."""
    with transaction.atomic():
        n = _locked(nomination)
        if not rules.can_draft_nomination(actor, n.unit_id):
            raise PermissionDenied
        if n.status != Nomination.Status.DRAFT or n.submitted_at is not None:
            raise ValidationError(
                "Chỉ xóa được hồ sơ đang soạn, chưa từng gửi Phòng Nội vụ. "
                "Hồ sơ đã gửi được lưu lại để theo dõi."
            )
        files = [
            name for d in n.documents.all() for name in (d.file.name, d.thumbnail.name) if name
        ]
        action_log_record(
            actor=actor,
            action="awards.nomination.deleted",
            target=n,
            data={
                "award_type": n.award_type.code,
                "unit": n.unit.name,
                "nominees": n.nominees.count(),
                "documents": len(files),
            },
        )
        n.documents.all().delete()
        n.nominees.all().delete()
        n.delete()
        transaction.on_commit(lambda: _delete_files(files))
