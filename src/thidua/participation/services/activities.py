"""Activities with evidence, their counters and the commitments they contribute to."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from thidua.accounts.models import User
from thidua.campaigns.models import ActivityForm, Campaign
from thidua.campaigns.services import campaign_figures_changed
from thidua.core.clock import today_local
from thidua.core.concurrency import merge_model_edit
from thidua.core.services import action_log_record
from thidua.core.text import fold
from thidua.core.uploads import CheckedUpload, check_upload, save_checked
from thidua.organizations.models import Unit
from thidua.participation import rules
from thidua.participation.models import (
    Activity,
    ActivityStat,
    Commitment,
    Contribution,
    Evidence,
)
from thidua.participation.services.common import (
    EVIDENCE_KINDS,
    EVIDENCE_MAX_BYTES,
    MAX_EVIDENCE_FILES,
    _require_unit,
)

# --- Activities and evidence ----------------------------------------------------------------


def _check_dates(campaign: Campaign, held_on: date | None, ends_on: date | None) -> None:
    """The form, the API and imports alike: no activity that has not happened yet or falls
    outside the campaign's period (rules.activity_date_errors), refused on the field."""
    errors = rules.activity_date_errors(campaign, held_on, ends_on, today=today_local())
    if errors:
        raise ValidationError(errors)


def _check_participants(participants: int) -> None:
    if not 0 <= participants <= rules.MAX_PARTICIPANTS:
        raise ValidationError({"participants": rules.PARTICIPANTS_RANGE})


def _check_files(files: Iterable[UploadedFile]) -> list[CheckedUpload]:
    """Check every file first so one bad file refuses the lot with a clear message."""
    files = list(files)
    if len(files) > MAX_EVIDENCE_FILES:
        raise ValidationError(f"Tối đa {MAX_EVIDENCE_FILES} tệp mỗi lần.")
    return [check_upload(f, allowed=EVIDENCE_KINDS, max_bytes=EVIDENCE_MAX_BYTES) for f in files]


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
    campaign_figures_changed(activity.campaign_id)


def activity_stats_rebuild(campaign: Campaign) -> int:
    """Recount a campaign's counters from its activities (imports, repairs, benchmarks)."""
    campaign_figures_changed(campaign.pk)
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
    commitments = Commitment.objects.filter(pk__in=list(commitment_ids))
    for campaign_id in set(commitments.values_list("registration__campaign_id", flat=True)):
        campaign_figures_changed(campaign_id)
    return commitments.update(actual=Coalesce(Subquery(total), Value(Decimal(0))))


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
    _check_dates(campaign, held_on, ends_on)
    _check_participants(participants)
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
    if "participants" in data:
        _check_participants(data["participants"])
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
        if {"held_on", "ends_on"} & set(changed):  # an old row is not refused for its title
            _check_dates(a.campaign, data.get("held_on", a.held_on), data.get("ends_on", a.ends_on))
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


def activity_delete(*, actor: User, activity: Activity) -> None:
    """Take back an activity the unit recorded by mistake (entered twice, in the wrong
    campaign), with its evidence files and its contributions to the unit's commitments.

    Who and when: whoever may edit it (`_require_unit`: the unit's officers and head, while
    the campaign is sent to the unit to carry out and still open); once the campaign is over
    the record stays as it is, like an edit. Nothing else refuses it, on purpose:
    - a report the unit submitted keeps the figures it was sent with: submitting freezes the
      automatic indicators (activities, participants) into the report's version and its
      stored values (reporting.services.drafts: `_VersionFreeze`), which the aggregated
      report reads; a report still being drafted or waiting for the head counts again, and
      so leaves the deleted activity out;
    - nothing on the portal points to an activity: the exhibition's photos, the book display
      and the news are the portal's own copies, sent and reviewed apart (portal.models), and
      its figures are the campaign's counters, which this corrects.
    The log keeps what was deleted (title, unit, date), the record itself is gone. A repeat
    (double click) finds nothing and does nothing."""
    with transaction.atomic():
        a = (
            Activity.objects.select_for_update(of=("self",))
            .select_related("campaign", "unit")
            .filter(pk=activity.pk)
            .first()
        )
        if a is None:
            return
        _require_unit(actor, a.campaign, a.unit)
        evidence = list(a.evidence.all())
        files = [name for e in evidence for name in (e.file.name, e.thumbnail.name) if name]
        commitments = set(a.contributions.values_list("commitment_id", flat=True))
        action_log_record(
            actor=actor,
            action="participation.activity.deleted",
            target=a,
            data={
                "title": a.title,
                "unit": a.unit.name,
                "held_on": f"{a.held_on:%d/%m/%Y}",
                "form": a.form_code,
                "participants": a.participants,
                "files": len(evidence),
            },
        )
        _stat_add(a, -1)
        a.delete()  # its evidence and contributions go with it (CASCADE)
        commitments_recount(commitments)
        transaction.on_commit(lambda: _delete_files(files))


def _delete_files(names: Iterable[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


def evidence_delete(*, actor: User, evidence: Evidence) -> None:
    """An activity's file, by whoever may edit the activity and when (`_require_unit`: not
    once the campaign is over). A good model's files are what Nội vụ reviewed: no page takes
    them off and a resubmission cannot add them back, so they stay."""
    owner = evidence.activity or evidence.good_model
    assert owner is not None  # noqa: S101 - the check constraint guarantees an owner
    if not rules.can_act_for(actor, owner.unit_id):
        raise PermissionDenied
    if evidence.activity is None:
        raise ValidationError("Minh chứng của mô hình, điển hình đã đề xuất không xóa được.")
    _require_unit(actor, evidence.activity.campaign, evidence.activity.unit)
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
