from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from thidua.accounts.models import Role, User
from thidua.campaigns.models import ActivityForm, Campaign, Criterion, Delivery
from thidua.campaigns.selectors import campaign_list_for
from thidua.core.clock import now, today_local
from thidua.core.concurrency import fingerprint, merge_model_edit
from thidua.core.excel import (
    Column,
    RowError,
    SheetFile,
    parse_date_cell,
    parse_int_cell,
    read_rows,
)
from thidua.core.exports import Export
from thidua.core.services import action_log_record
from thidua.core.text import fold
from thidua.core.transitions import require, transition
from thidua.core.uploads import CheckedUpload, UploadKind, check_upload, save_checked
from thidua.notifications.services import notify
from thidua.organizations.models import EmulationBlock, Person, Unit
from thidua.organizations.selectors import users_with_role_in
from thidua.participation import rules
from thidua.participation.models import (
    Activity,
    ActivityStat,
    Adoption,
    Commitment,
    Contribution,
    Difficulty,
    Evidence,
    GoodModel,
    Pledge,
    Registration,
)
from thidua.participation.selectors import activity_list_for

EVIDENCE_KINDS = (UploadKind.IMAGE, UploadKind.PDF, UploadKind.DOCX, UploadKind.XLSX)
MAX_EVIDENCE_FILES = 30
UNIT_ROLES: set[str] = {Role.UNIT_OFFICER, Role.UNIT_HEAD}


def _require_open(campaign: Campaign) -> None:
    if not rules.campaign_accepts_records(campaign):
        raise ValidationError("Phong trào chưa ban hành hoặc đã kết thúc: không thể cập nhật.")


def _require_unit(actor: User, campaign: Campaign, unit: Unit) -> None:
    if not rules.can_act_for(actor, unit.pk):
        raise PermissionDenied
    if not Delivery.objects.filter(campaign=campaign, unit=unit).exists():
        raise ValidationError("Kế hoạch không gửi tới đơn vị này.")
    _require_open(campaign)


def _notify_office(campaign: Campaign, title: str, url: str) -> None:
    office = users_with_role_in(
        unit_ids={campaign.standing_agency_id or campaign.owner_unit_id},
        roles={Role.EMULATION_OFFICE},
    )
    notify(users=office, title=title[:255], url=url)


# --- Registration ---------------------------------------------------------------------------


STALE_REGISTRATION = (
    "Trong lúc anh/chị sửa, người khác đã lưu bản đăng ký này. Phần anh/chị vừa sửa chưa được "
    "lưu: hãy sao chép lại, tải lại trang để xem bản mới rồi sửa tiếp."
)


def registration_version(registration: Registration | None) -> str:
    """A fingerprint of what a registration says (note and commitments); "" before it exists.
    The edit page carries it, so a save from an old page is refused (issue 18, M7)."""
    if registration is None:
        return ""
    rows = [
        [c.criterion_id, c.text, c.target_kind, c.target_value, c.target_unit, c.target_text]
        for c in registration.commitments.order_by("position")
    ]
    return fingerprint([registration.note, rows])


def registration_save(
    *,
    actor: User,
    campaign: Campaign,
    unit: Unit,
    note: str,
    commitments: Sequence[dict[str, Any]],
    version: str | None = None,
) -> Registration:
    """Create or rewrite the unit's draft registration and its commitments. With `version`
    (what the page showed), a registration saved by someone else meanwhile is not overwritten."""
    _require_unit(actor, campaign, unit)
    if not commitments:
        raise ValidationError("Cần ít nhất một nội dung cam kết.")
    criteria = {c.pk: c for c in Criterion.objects.filter(campaign=campaign)}
    with transaction.atomic():
        reg, created = Registration.objects.select_for_update().get_or_create(
            campaign=campaign, unit=unit, defaults={"created_by": actor}
        )
        if reg.status == Registration.Status.SUBMITTED:
            raise ValidationError("Đơn vị đã gửi đăng ký; không sửa được nữa.")
        if version is not None and version != ("" if created else registration_version(reg)):
            raise ValidationError(STALE_REGISTRATION, code="edit_conflict")
        reg.note = note
        reg.status = Registration.Status.DRAFT
        reg.save(update_fields=["note", "status"])
        # Rewrite in place by position: a commitment keeps its id, so the contributions
        # activities already made to it (and its progress) survive an edit of the draft.
        existing = list(reg.commitments.order_by("position"))
        Commitment.objects.filter(pk__in=[c.pk for c in existing[len(commitments) :]]).delete()
        for i, item in enumerate(commitments):
            criterion = criteria.get(item.get("criterion_id") or 0)
            commitment = existing[i] if i < len(existing) else Commitment(registration=reg)
            commitment.criterion = criterion
            commitment.position = i
            commitment.text = item.get("text") or (criterion.text[:500] if criterion else "")
            commitment.target_kind = item.get("target_kind") or Commitment.TargetKind.NUMBER
            commitment.target_value = item.get("target_value")
            commitment.target_unit = item.get("target_unit") or ""
            commitment.target_text = item.get("target_text") or ""
            if (
                commitment.target_kind == Commitment.TargetKind.NUMBER
                and commitment.target_value is None
            ):
                raise ValidationError(f"Cam kết “{commitment.text}”: cần nhập chỉ tiêu bằng số.")
            commitment.full_clean(exclude=["registration"])
            commitment.save()
        action_log_record(
            actor=actor,
            action="participation.registration." + ("created" if created else "updated"),
            target=reg,
            data={"commitments": len(commitments)},
        )
    return reg


REGISTRATION_RELATED = ("campaign", "unit")


def registration_send_for_approval(*, actor: User, registration: Registration) -> Registration:
    to = Registration.Status.PENDING_APPROVAL
    return transition(
        registration,
        to=to,
        allowed_from=Registration.TRANSITIONS[to],
        action="participation.registration.sent_for_approval",
        actor=actor,
        refused="Chỉ gửi duyệt được bản đăng ký đang soạn.",
        related=REGISTRATION_RELATED,
        permit=lambda reg: _require_unit(actor, reg.campaign, reg.unit),
        notify=lambda reg: notify(
            users=users_with_role_in(unit_ids={reg.unit_id}, roles={Role.UNIT_HEAD}),
            title=f"Đăng ký thi đua chờ duyệt: {reg.campaign.title}"[:255],
            url=reverse("participation:registration", args=[reg.campaign_id, reg.unit_id]),
        ),
    )


def _require_commitments(reg: Registration) -> None:
    if not reg.commitments.exists():
        raise ValidationError("Đăng ký chưa có cam kết nào.")


def _approver(actor: User, reg: Registration) -> None:
    _require_unit(actor, reg.campaign, reg.unit)
    require(rules.can_approve_for(actor, reg.unit_id))


def registration_approve(*, actor: User, registration: Registration) -> Registration:
    """The unit head approves and submits to Nội vụ."""
    to = Registration.Status.SUBMITTED
    return transition(
        registration,
        to=to,
        allowed_from=Registration.TRANSITIONS[to],
        action="participation.registration.submitted",
        actor=actor,
        related=REGISTRATION_RELATED,
        permit=lambda reg: _approver(actor, reg),
        check=_require_commitments,
        notify=lambda reg: _notify_office(
            reg.campaign,
            f"{reg.unit.name} đã đăng ký thi đua",
            reverse("participation:registration-list", args=[reg.campaign_id]),
        ),
        submitted_at=now(),
        submitted_by=actor,
        return_note="",
    )


def _require_reason(note: str) -> None:
    if not note.strip():
        raise ValidationError("Cần ghi lý do trả lại.")


def registration_return(*, actor: User, registration: Registration, note: str) -> Registration:
    """The unit head sends the draft back to the focal officer with a reason."""
    return transition(
        registration,
        to=Registration.Status.DRAFT,
        allowed_from=Registration.TRANSITIONS[Registration.Status.DRAFT],
        action="participation.registration.returned",
        actor=actor,
        refused="Chỉ trả lại được bản đăng ký đang chờ duyệt.",
        related=REGISTRATION_RELATED,
        permit=lambda reg: require(rules.can_approve_for(actor, reg.unit_id)),
        done=lambda reg: False,  # a draft was not waiting: refused
        check=lambda reg: _require_reason(note),
        data={"note": note},
        return_note=note,
    )


def registration_remind_missing(*, actor: User, campaign: Campaign) -> int:
    """Nội vụ reminds every unit the plan was sent to that has not submitted a registration."""
    if not rules.can_review(actor):
        raise PermissionDenied
    _require_open(campaign)
    with transaction.atomic():
        submitted = Registration.objects.filter(
            campaign=campaign, status=Registration.Status.SUBMITTED
        )
        missing = set(
            Delivery.objects.filter(campaign=campaign)
            .exclude(unit_id__in=submitted.values("unit_id"))
            .values_list("unit_id", flat=True)
        )
        url = reverse("participation:registration", args=[campaign.pk, 0]).replace("/0/", "/")
        notify(
            users=users_with_role_in(unit_ids=missing, roles=UNIT_ROLES),
            title=f"Đề nghị đăng ký thi đua: {campaign.title}"[:255],
            body=f"Đơn vị chưa gửi đăng ký thi đua cho kế hoạch số {campaign.reference}.",
            url=url,
            extra_emails=Unit.objects.filter(pk__in=missing)
            .exclude(email="")
            .values_list("email", flat=True),
        )
        action_log_record(
            actor=actor,
            action="participation.registration.reminded",
            target=campaign,
            data={"units": len(missing)},
        )
    return len(missing)


def pledge_sign(
    *, actor: User, campaign: Campaign, block: EmulationBlock, text: str, signed_on: date
) -> Pledge:
    """A block covenant; the block head unit or Nội vụ records it with the members as they stand."""
    if not (
        rules.can_review(actor)
        or (block.head_unit_id and rules.can_act_for(actor, block.head_unit_id))
    ):
        raise PermissionDenied
    _require_open(campaign)
    if not text.strip():
        raise ValidationError("Cần nhập nội dung giao ước.")
    with transaction.atomic():
        pledge, created = Pledge.objects.update_or_create(
            campaign=campaign,
            block=block,
            defaults={"text": text, "signed_on": signed_on, "created_by": actor},
        )
        pledge.members.set(block.members.all())
        action_log_record(
            actor=actor,
            action="participation.pledge." + ("signed" if created else "updated"),
            target=pledge,
            data={"members": pledge.members.count()},
        )
    return pledge


# --- Activities and evidence ----------------------------------------------------------------


def _check_files(files: Iterable[UploadedFile]) -> list[CheckedUpload]:
    """Check every file first so one bad file refuses the lot with a clear message."""
    files = list(files)
    if len(files) > MAX_EVIDENCE_FILES:
        raise ValidationError(f"Tối đa {MAX_EVIDENCE_FILES} tệp mỗi lần.")
    return [check_upload(f, allowed=EVIDENCE_KINDS) for f in files]


def _store_evidence(checked: Sequence[CheckedUpload], actor: User, **owner: Any) -> None:
    for item in checked:
        name, thumb = save_checked(item, "evidence")
        Evidence.objects.create(
            kind=item.kind,
            file=name,
            thumbnail=thumb,
            original_name=item.original_name,
            content_type=item.content_type,
            size=item.size,
            created_by=actor,
            **owner,
        )


def _set_contributions(activity: Activity, contributions: dict[int, Decimal]) -> None:
    allowed = set(
        Commitment.objects.filter(
            registration__campaign=activity.campaign, registration__unit=activity.unit
        ).values_list("pk", flat=True)
    )
    if set(contributions) - allowed:
        raise ValidationError("Có cam kết không thuộc đăng ký của đơn vị.")
    touched = set(activity.contributions.values_list("commitment_id", flat=True)) | set(
        contributions
    )
    activity.contributions.all().delete()
    Contribution.objects.bulk_create(
        Contribution(activity=activity, commitment_id=pk, amount=amount)
        for pk, amount in contributions.items()
        if amount
    )
    commitments_recount(touched)


def _stat_add(activity: Activity, sign: int) -> None:
    """Add (sign=1) or remove (sign=-1) one activity from its month × form counters."""
    stat, _ = ActivityStat.objects.get_or_create(
        campaign_id=activity.campaign_id,
        month=activity.held_on.replace(day=1),
        form_code=activity.form_code,
    )
    ActivityStat.objects.filter(pk=stat.pk).update(
        activities=F("activities") + sign,
        participants=F("participants") + sign * activity.participants,
    )


def activity_stats_rebuild(campaign: Campaign) -> int:
    """Recount a campaign's counters from its activities (imports, repairs, benchmarks)."""
    ActivityStat.objects.filter(campaign=campaign).delete()
    rows = (
        Activity.objects.filter(campaign=campaign)
        .values("held_month", "form_code")
        .annotate(n=Count("pk"), people=Sum("participants"))
    )
    return len(
        ActivityStat.objects.bulk_create(
            ActivityStat(
                campaign=campaign,
                month=r["held_month"],
                form_code=r["form_code"],
                activities=r["n"],
                participants=r["people"] or 0,
            )
            for r in rows
        )
    )


def commitments_recount(commitment_ids: Iterable[int]) -> int:
    """Store each commitment's total from its contributions (one UPDATE)."""
    total = (
        Contribution.objects.filter(commitment=OuterRef("pk"))
        .values("commitment")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Commitment.objects.filter(pk__in=list(commitment_ids)).update(
        actual=Coalesce(Subquery(total), Value(Decimal(0)))
    )


def activity_record(
    *,
    actor: User,
    campaign: Campaign,
    unit: Unit,
    form: ActivityForm,
    title: str,
    held_on: date,
    ends_on: date | None = None,
    place: str = "",
    description: str = "",
    participants: int = 0,
    links: str = "",
    contributions: dict[int, Decimal] | None = None,
    files: Iterable[UploadedFile] = (),
) -> Activity:
    _require_unit(actor, campaign, unit)
    if form.campaign_id != campaign.pk:
        raise ValidationError("Hình thức không thuộc kế hoạch này.")
    checked = _check_files(files)
    with transaction.atomic():
        activity = Activity(
            campaign=campaign,
            unit=unit,
            form=form,
            form_code=form.code,
            title=title,
            held_on=held_on,
            ends_on=ends_on,
            place=place,
            description=description,
            participants=participants,
            links=links,
            created_by=actor,
            search_text=fold(f"{title} {place} {unit.name}")[:400],
            held_month=held_on.replace(day=1),
        )
        activity.full_clean()
        activity.save()
        _stat_add(activity, +1)
        _set_contributions(activity, contributions or {})
        _store_evidence(checked, actor, activity=activity)
        action_log_record(
            actor=actor,
            action="participation.activity.recorded",
            target=activity,
            data={"form": form.code, "participants": participants, "files": len(checked)},
        )
    return activity


def activity_update(
    *,
    actor: User,
    activity: Activity,
    contributions: dict[int, Decimal] | None = None,
    files: Iterable[UploadedFile] = (),
    bases: Mapping[str, str] | None = None,
    **data: Any,
) -> Activity:
    """`bases`: the form's fingerprints (core.concurrency): an old page writes only what it
    changed and never undoes a newer edit (issue 18, M7)."""
    fields = ("title", "held_on", "ends_on", "place", "description", "participants", "links")
    checked = _check_files(files)
    with transaction.atomic():
        a = (
            Activity.objects.select_for_update()
            .select_related("campaign", "unit")
            .get(pk=activity.pk)
        )
        _require_unit(actor, a.campaign, a.unit)
        data = merge_model_edit(a, {k: v for k, v in data.items() if k in fields}, bases)
        changed = [k for k in fields if k in data and getattr(a, k) != data[k]]
        counted = bool({"held_on", "participants"} & set(changed))
        if counted:
            _stat_add(a, -1)
        for name in changed:
            setattr(a, name, data[name])
        a.search_text = fold(f"{a.title} {a.place} {a.unit.name}")[:400]
        a.held_month = a.held_on.replace(day=1)
        a.full_clean()
        a.save(update_fields=[*changed, "search_text", "held_month"])
        if counted:
            _stat_add(a, +1)
        if contributions is not None:
            _set_contributions(a, contributions)
        _store_evidence(checked, actor, activity=a)
        action_log_record(
            actor=actor,
            action="participation.activity.updated",
            target=a,
            data={"fields": changed, "files": len(checked)},
        )
    return a


def _delete_files(names: Iterable[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


def evidence_delete(*, actor: User, evidence: Evidence) -> None:
    owner = evidence.activity or evidence.good_model
    assert owner is not None  # noqa: S101 - the check constraint guarantees an owner
    if not rules.can_act_for(actor, owner.unit_id):
        raise PermissionDenied
    with transaction.atomic():
        action_log_record(
            actor=actor,
            action="participation.evidence.deleted",
            target=owner,
            data={"file": evidence.original_name},
        )
        files = [evidence.file.name, evidence.thumbnail.name]
        evidence.delete()
        transaction.on_commit(lambda: _delete_files(files))


_FORM_SYNONYMS = (
    "hinh_thuc",
    "Hình thức hoạt động",
    "Hình thức tổ chức",
    "Loại hoạt động",
    "Hình thức triển khai",
    "Form",
)
ACTIVITY_COLUMNS = (
    Column("Hình thức", "form", required=True, width=26, synonyms=_FORM_SYNONYMS),
    Column(
        "Tên hoạt động",
        "title",
        required=True,
        width=40,
        synonyms=(
            "ten_hoat_dong",
            "Hoạt động",
            "Nội dung hoạt động",
            "Tên",
            "Nội dung",
            "Tên chương trình",
            "Tiêu đề",
            "Title",
        ),
    ),
    Column(
        "Ngày tổ chức",
        "held_on",
        required=True,
        parse=parse_date_cell,
        width=14,
        synonyms=(
            "ngay_to_chuc",
            "Ngày",
            "Thời gian",
            "Thời gian tổ chức",
            "Ngày thực hiện",
            "Từ ngày",
            "Ngày bắt đầu",
            "Date",
        ),
    ),
    Column(
        "Đến ngày",
        "ends_on",
        parse=parse_date_cell,
        width=14,
        synonyms=("den_ngay", "Ngày kết thúc", "Kết thúc", "End date"),
    ),
    Column(
        "Địa điểm",
        "place",
        width=30,
        synonyms=("dia_diem", "Nơi tổ chức", "Địa điểm tổ chức", "Place"),
    ),
    Column(
        "Số người tham gia",
        "participants",
        parse=parse_int_cell,
        width=12,
        synonyms=(
            "so_nguoi_tham_gia",
            "so_nguoi",
            "Số người",
            "Số lượng",
            "Số lượt người",
            "Số lượng tham gia",
            "Số người dự",
            "Thành phần, số lượng",
            "Participants",
        ),
    ),
    Column(
        "Mô tả",
        "description",
        width=50,
        synonyms=(
            "mo_ta",
            "Kết quả",
            "Kết quả đạt được",
            "Nội dung chi tiết",
            "Tóm tắt",
            "Mô tả ngắn",
            "Description",
        ),
    ),
)


EXPORT_COLUMNS = (
    Column("Mã đơn vị", "unit", width=14, synonyms=("ma_don_vi", "Mã ĐV")),
    # Filled in exports: a row with it updates that activity instead of adding a new one.
    Column(
        "Mã hoạt động",
        "id",
        parse=parse_int_cell,
        width=12,
        synonyms=("ma_hoat_dong", "ID"),
    ),
)
ACTIVITY_FIELDS = ("title", "held_on", "ends_on", "place", "description", "participants")


def activity_columns(campaign: Campaign, *, listed: bool = True) -> tuple[Column, ...]:
    """Import template and export columns; the plan's forms are the first column's validation
    list (`listed`). Reading matches forms without accents instead (see activities_import)."""
    labels = tuple(f.label for f in campaign.forms.all()) if listed else ()
    form = Column(
        "Hình thức", "form", required=True, width=26, choices=labels, synonyms=_FORM_SYNONYMS
    )
    return (form, *ACTIVITY_COLUMNS[1:], *EXPORT_COLUMNS)


def activity_export_rows(activities: Iterable[Activity]) -> Iterator[list[Any]]:
    """Rows in activity_columns() order; pass `.iterator()` so nothing loads whole."""
    for a in activities:
        yield [
            a.form.label if a.form else a.form_code,
            a.title,
            a.held_on,
            a.ends_on,
            a.place,
            a.participants,
            a.description,
            a.unit.code,
            a.pk,
        ]


def _activity_row_errors(
    number: int,
    values: dict[str, Any],
    *,
    campaign: Campaign,
    unit: Unit,
    forms: dict[str, ActivityForm],
    known: dict[int, Activity],
) -> list[RowError]:
    """What is wrong with one imported row, beyond its cells: a form outside the plan, dates
    in the wrong order, another unit's row, or a change of an existing activity's form."""
    errors = []
    if values["form"] and fold(values["form"]) not in forms:
        allowed = ", ".join(f.label for f in campaign.forms.all())
        errors.append(
            RowError(
                number, "Hình thức", f"“{values['form']}” không có trong kế hoạch ({allowed})."
            )
        )
    if values["held_on"] and values["ends_on"] and values["ends_on"] < values["held_on"]:
        errors.append(RowError(number, "Đến ngày", "Ngày kết thúc trước ngày tổ chức."))
    if values["unit"] and values["unit"] != unit.code:
        errors.append(
            RowError(
                number,
                "Mã đơn vị",
                f"Dòng này của đơn vị “{values['unit']}”, không phải “{unit.code}” đang nhập.",
            )
        )
    existing = known.get(values["id"] or 0)
    chosen = forms.get(fold(values["form"] or ""))
    if existing is not None and existing.unit_id != unit.pk:
        errors.append(RowError(number, "Mã hoạt động", "Hoạt động này thuộc đơn vị khác."))
    elif existing is not None and chosen is not None and existing.form_id != chosen.pk:
        errors.append(
            RowError(number, "Hình thức", "Không đổi hình thức của hoạt động đã ghi nhận.")
        )
    return errors


def activities_import(
    *, actor: User, campaign: Campaign, unit: Unit, upload: IO[bytes] | SheetFile
) -> tuple[int, list[RowError]]:
    """Every row checked first; all rows are written or none. A row with the "Mã hoạt động" of
    one of the unit's activities (as exported) updates it where it differs, so an exported file
    imports back with no change; other rows record new activities."""
    _require_unit(actor, campaign, unit)
    forms = {fold(f.label): f for f in campaign.forms.all()}
    rows, errors = read_rows(upload, activity_columns(campaign, listed=False))
    ids = [values["id"] for _, values in rows if values["id"]]
    known = {a.pk: a for a in Activity.objects.filter(pk__in=ids, campaign=campaign)}
    for number, values in rows:
        errors += _activity_row_errors(
            number, values, campaign=campaign, unit=unit, forms=forms, known=known
        )
    if errors:
        return 0, errors
    with transaction.atomic():
        for _, values in rows:
            data = {
                "title": values["title"],
                "held_on": values["held_on"],
                "ends_on": values["ends_on"],
                "place": values["place"] or "",
                "description": values["description"] or "",
                "participants": values["participants"] or 0,
            }
            existing = known.get(values["id"] or 0)
            if existing is not None:
                if any(getattr(existing, k) != v for k, v in data.items()):
                    activity_update(actor=actor, activity=existing, **data)
                continue
            activity_record(
                actor=actor, campaign=campaign, unit=unit, form=forms[fold(values["form"])], **data
            )
    return len(rows), []


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
    if not rules.can_review(actor):
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


# --- Difficulties ---------------------------------------------------------------------------


def difficulty_raise(
    *, actor: User, campaign: Campaign, unit: Unit, title: str, text: str
) -> Difficulty:
    _require_unit(actor, campaign, unit)
    with transaction.atomic():
        d = Difficulty.objects.create(
            campaign=campaign, unit=unit, title=title, text=text, created_by=actor
        )
        action_log_record(actor=actor, action="participation.difficulty.raised", target=d)
        _notify_office(
            campaign,
            f"Khó khăn, vướng mắc: {title}",
            reverse("participation:difficulty-detail", args=[d.pk]),
        )
    return d


def _difficulty_notify(d: Difficulty, answer: str) -> None:
    url = reverse("participation:difficulty-detail", args=[d.pk])
    if d.status == Difficulty.Status.ANSWERED:
        notify(
            users=users_with_role_in(unit_ids={d.unit_id}, roles=UNIT_ROLES),
            title=f"Đã trả lời: {d.title}"[:255],
            body=answer,
            url=url,
        )
    if d.status == Difficulty.Status.FORWARDED:
        notify(
            users=users_with_role_in(unit_ids={d.campaign.owner_unit_id}, roles={Role.SIGNER}),
            title=f"Xin ý kiến chỉ đạo: {d.title}"[:255],
            url=url,
        )


def _difficulty_step(actor: User, difficulty: Difficulty, to: str, answer: str = "") -> Difficulty:
    if not rules.can_review(actor):
        raise PermissionDenied
    answered: dict[str, Any] = (
        {"answer": answer, "answered_at": now(), "answered_by": actor} if answer else {}
    )
    return transition(
        difficulty,
        to=to,
        allowed_from=Difficulty.TRANSITIONS[to],
        action=f"participation.difficulty.{to}",
        actor=actor,
        refused=lambda d: (
            f"Không thể chuyển từ “{d.get_status_display()}” sang “{Difficulty.Status(to).label}”."
        ),
        notify=lambda d: _difficulty_notify(d, answer),
        **answered,
    )


def difficulty_answer(*, actor: User, difficulty: Difficulty, answer: str) -> Difficulty:
    if not answer.strip():
        raise ValidationError("Cần nhập nội dung trả lời.")
    return _difficulty_step(actor, difficulty, Difficulty.Status.ANSWERED, answer)


def difficulty_forward(*, actor: User, difficulty: Difficulty) -> Difficulty:
    return _difficulty_step(actor, difficulty, Difficulty.Status.FORWARDED)


def difficulty_close(*, actor: User, difficulty: Difficulty) -> Difficulty:
    return _difficulty_step(actor, difficulty, Difficulty.Status.CLOSED)


def activities_export(actor: User, params: dict[str, str]) -> Export:
    """The activity list's rows (same filters) in the import format: it imports back unchanged."""
    campaign_id = params.get("campaign", "")
    campaign = (
        campaign_list_for(actor=actor)
        .exclude(status="draft")
        .filter(pk=int(campaign_id) if campaign_id.isdigit() else 0)
        .first()
    )
    if campaign is None:
        raise PermissionDenied
    unit_id = params.get("don-vi", "")
    activities = activity_list_for(
        actor=actor,
        campaign=campaign,
        query=params.get("q", "").strip(),
        form_code=params.get("hinh-thuc", ""),
        unit_id=int(unit_id) if unit_id.isdigit() else None,
    )
    return Export(
        activity_columns(campaign),
        activity_export_rows(activities.iterator(chunk_size=2000)),
        activities.count(),
        f"hoat-dong-{campaign.pk}.xlsx",
    )


def activities_import_file(
    actor: User, upload: SheetFile, params: dict[str, str]
) -> tuple[int, list[RowError]]:
    """activities_import for a background job (core.imports); the unit's rights are checked
    by activities_import itself."""
    campaign = (
        campaign_list_for(actor=actor).exclude(status="draft").filter(pk=params["campaign"]).first()
    )
    unit = Unit.objects.filter(pk=params["unit"]).first()
    if campaign is None or unit is None:
        raise PermissionDenied
    return activities_import(actor=actor, campaign=campaign, unit=unit, upload=upload)
