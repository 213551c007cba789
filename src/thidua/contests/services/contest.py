"""The contest itself: creation and its settings."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from thidua.accounts.models import User
from thidua.campaigns.models import Campaign
from thidua.campaigns.selectors import campaign_list_for
from thidua.contests import identity
from thidua.contests.models import CollectiveBasis, ContactField, Contest
from thidua.contests.services._base import require_manager
from thidua.contests.services._merge import merge_settings, settings_bases
from thidua.contests.services.ranking import clean_prizes
from thidua.core.concurrency import field_labels
from thidua.core.services import action_log_record
from thidua.organizations.models import Unit


def contest_create(
    *,
    actor: User,
    campaign: Campaign,
    organiser_unit: Unit,
    title: str,
    rules_text: str = "",
    contact_field: str = ContactField.NONE,
    show_score_before_close: bool = False,
) -> Contest:
    contest = Contest(
        campaign=campaign,
        organiser_unit=organiser_unit,
        title=title.strip(),
        rules=rules_text,
        contact_field=contact_field,
        show_score_before_close=show_score_before_close,
    )
    require_manager(actor, contest)
    if not campaign_list_for(actor=actor).filter(pk=campaign.pk).exists():
        raise PermissionDenied  # a campaign the organiser cannot see (a draft, another unit's)
    if not contest.title:
        raise ValidationError("Hãy nhập tên cuộc thi.")
    with transaction.atomic():
        contest.save()
        action_log_record(
            actor=actor, action="contests.contest.created", target=contest, data={"title": title}
        )
    return contest


_CONTEST_FIELDS = ("title", "rules", "contact_field", "show_score_before_close",
                   "collective_basis", "collective_prizes", "collective_min_entrants",
                   "verify_contact")  # fmt: skip
_COLLECTIVE_FIELDS = {"collective_basis", "collective_prizes", "collective_min_entrants"}


def _clean_contest_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The settings given, checked; the title stripped, the prize structure normalised."""
    unknown = set(fields) - set(_CONTEST_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "title" in fields:
        fields["title"] = str(fields["title"]).strip()
        if not fields["title"]:
            raise ValidationError("Hãy nhập tên cuộc thi.")
    if fields.get("contact_field", ContactField.NONE) not in ContactField.values:
        raise ValidationError("Thông tin liên hệ không hợp lệ.")
    if fields.get("collective_basis", CollectiveBasis.RATE) not in CollectiveBasis.values:
        raise ValidationError("Cách xét giải tập thể không hợp lệ.")
    if "collective_prizes" in fields:
        fields["collective_prizes"] = clean_prizes(fields["collective_prizes"])
    if int(fields.get("collective_min_entrants", 0)) < 0:
        raise ValidationError("Số người dự thi tối thiểu không được âm.")
    return fields


def contest_bases(contest: Contest) -> str:
    """The settings form's hidden fingerprints of the settings it shows (core.concurrency)."""
    return settings_bases(contest, _CONTEST_FIELDS)


def contest_update(
    *, actor: User, contest: Contest, bases: Mapping[str, str] | None = None, **fields: Any
) -> Contest:
    """The contest's settings, any time. A change to the collective prize rules discards an
    allocation already made, so the organiser allocates again under the new rules. `bases`: the
    form's fingerprints (contest_bases), so an old page writes only what it changed (M7)."""
    require_manager(actor, contest)
    fields = _clean_contest_fields(fields)
    with transaction.atomic():
        c = Contest.objects.select_for_update().get(pk=contest.pk)
        fields = merge_settings(c, fields, bases, field_labels(Contest, fields))
        changed = {k: v for k, v in fields.items() if getattr(c, k) != v}
        if not changed:
            return c
        before = {k: getattr(c, k) for k in changed}
        for name, value in changed.items():
            setattr(c, name, value)
        identity.check_contest_setting(c)
        update = list(changed)
        if _COLLECTIVE_FIELDS & set(changed) and c.collective_ranked_at is not None:
            c.collective_results.all().delete()
            c.collective_ranked_at = None
            update.append("collective_ranked_at")
        c.save(update_fields=update)
        action_log_record(
            actor=actor,
            action="contests.contest.updated",
            target=c,
            data={k: {"from": before[k], "to": changed[k]} for k in changed if k != "rules"}
            | ({"rules": "changed"} if "rules" in changed else {}),
        )
    return c
