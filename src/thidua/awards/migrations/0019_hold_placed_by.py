"""A hold records the body (administrative unit, issuer) whose Nội vụ placed it, so that only
that body's Nội vụ, or a body's above it, ends it (docs/security.md R17).

Existing holds did not record it. Each gets the highest body at or above its subject's unit
that has a Nội vụ officer (an `emulation_office` role granted at the body or at a unit whose
body it is): in a city's deployment, whose tree has the province above the city, that is the
city, so a ward's officer can no longer end a hold whatever placed it, and the city's still can
(the province itself has no Nội vụ here; were it recorded, nobody could end the old holds).
Without any such body the highest body in the subject's chain is taken, or the chain's top."""

import django.db.models.deletion
from django.db import migrations, models

ISSUER_KINDS = ("province", "district", "ward", "commune")


def _chain(unit: dict) -> list[int]:
    """The unit's ancestors, root first, then the unit."""
    return [int(p) for p in unit["path"].strip("/").split("/") if p] + [unit["pk"]]


def fill_placed_by(apps, schema_editor):
    Hold = apps.get_model("awards", "Hold")
    Unit = apps.get_model("organizations", "Unit")
    UnitRole = apps.get_model("organizations", "UnitRole")
    if not Hold.objects.exists():
        return
    units = {u["pk"]: u for u in Unit.objects.values("pk", "path", "kind")}
    issuers = {pk for pk, u in units.items() if u["kind"] in ISSUER_KINDS}

    def body_of(unit_id: int) -> int | None:  # the deepest issuer at or above (issuer_id_of)
        return next((pk for pk in reversed(_chain(units[unit_id])) if pk in issuers), None)

    with_noivu = {
        body_of(unit_id)
        for unit_id in UnitRole.objects.filter(role="emulation_office").values_list(
            "unit_id", flat=True
        )
    }
    changed = []
    for hold in Hold.objects.select_related("person").only("pk", "unit_id", "person__unit_id"):
        subject = hold.person.unit_id if hold.person_id else hold.unit_id
        chain = _chain(units[subject])
        bodies = [pk for pk in chain if pk in issuers]
        hold.placed_by_id = next(
            (pk for pk in bodies if pk in with_noivu), bodies[0] if bodies else chain[0]
        )
        changed.append(hold)
    Hold.objects.bulk_update(changed, ["placed_by"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0018_award_record_name_sort_without_salutation"),
        ("organizations", "0005_unit_name_sort"),
    ]

    operations = [
        migrations.AddField(
            model_name="hold",
            name="placed_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="holds_placed",
                to="organizations.unit",
                verbose_name="cơ quan tạm dừng",
            ),
        ),
        migrations.RunPython(fill_placed_by, migrations.RunPython.noop),
    ]
