"""Exporting units and people in the import format (party membership only on request, for
roles that may see it), and logging reads of one person's record."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied

from thidua.accounts.models import User
from thidua.core.exports import Export
from thidua.core.services import action_log_record
from thidua.organizations import rules, selectors
from thidua.organizations.models import Person, Unit, UnitKind
from thidua.organizations.services.sheets.columns import PERSON_COLUMNS, UNIT_COLUMNS


def unit_export_rows(units: Iterable[Unit]) -> Iterable[list[Any]]:
    kind_labels = dict(UnitKind.choices)
    for u in units:
        yield [
            u.code,
            u.name,
            u.short_name,
            u.symbol,
            kind_labels[u.kind],
            u.parent.code if u.parent else None,
            u.valid_from,
            u.email,
            u.headcount,
        ]


PARTY_PARAM = "dang-vien"  # ?dang-vien=1: the opt-in party membership column


def person_export_rows(
    people: Iterable[Person], *, party_for: User | None = None
) -> Iterable[list[Any]]:
    """Rows in the import format; the party membership cell only with `party_for`, and blank
    for anyone that user may not see it for."""
    for p in people:
        row = [
            p.full_name,
            p.get_gender_display(),
            p.birth_year,
            p.unit.code,
            p.position,
            p.get_category_display(),
        ]
        if party_for is not None:
            visible = rules.can_see_sensitive_person_data(party_for, p)
            row.append(("Có" if p.is_party_member else "Không") if visible else None)
        row.append(p.pk)
        yield row


def units_export(actor: User, params: dict[str, str]) -> Export:
    """Every unit the user sees, past ones too, in the import format."""
    units = selectors.unit_list_for(actor=actor, include_past=True)
    return Export(
        UNIT_COLUMNS,
        unit_export_rows(units.iterator(chunk_size=2000)),
        units.count(),
        "don-vi.xlsx",
    )


def people_export(actor: User, params: dict[str, str]) -> Export:
    if not rules.can_add_people(actor):
        raise PermissionDenied
    people = selectors.person_list_for(actor=actor)
    # Party membership is sensitive (issue 18, L8): a column only on request, only for roles
    # that may see it. A file without it imports back without touching anyone's membership.
    with_party = params.get(PARTY_PARAM) == "1" and rules.can_see_party_membership(actor)
    columns = [c for c in PERSON_COLUMNS if with_party or c.key != "is_party_member"]
    return Export(
        columns,
        person_export_rows(
            people.iterator(chunk_size=2000), party_for=actor if with_party else None
        ),
        people.count(),
        "ca-nhan-dang-vien.xlsx" if with_party else "ca-nhan.xlsx",
    )


def person_record_viewed(*, actor: User, person: Person, via: str) -> None:
    """Reads of one person's record are logged (issue 18, L8): who looked at whom, and how."""
    action_log_record(
        actor=actor, action="organizations.person.viewed", target=person, data={"via": via}
    )
