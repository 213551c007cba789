"""A printer belongs to the body (administrative unit, issuer) whose Nội vụ keeps it and
prints on it, instead of one list for the installation (docs/security.md R26).

Existing printers were kept by the city's Nội vụ (the only officers who could save them), so
each goes to the top body: the highest body that has a Nội vụ officer (an `emulation_office`
role granted at the body or at a unit whose body it is); in a city's deployment, whose tree has
the province above the city, that is the city. Without any such body the highest administrative
unit is taken, then the highest unit of any kind. An installation with printers but no unit at
all has nobody who could print (printing needs a decision, hence units): its printers are
deleted (print log lines keep their record, `printer` becomes empty)."""

import django.db.models.deletion
from django.db import migrations, models

ISSUER_KINDS = ("province", "district", "ward", "commune")


def _chain(unit: dict) -> list[int]:
    """The unit's ancestors, root first, then the unit."""
    return [int(p) for p in unit["path"].strip("/").split("/") if p] + [unit["pk"]]


def top_body(apps) -> int | None:
    Unit = apps.get_model("organizations", "Unit")
    UnitRole = apps.get_model("organizations", "UnitRole")
    units = {u["pk"]: u for u in Unit.objects.values("pk", "path", "kind", "depth")}
    if not units:
        return None
    issuers = {pk for pk, u in units.items() if u["kind"] in ISSUER_KINDS}

    def body_of(unit_id: int) -> int | None:  # the deepest issuer at or above (issuer_id_of)
        return next((pk for pk in reversed(_chain(units[unit_id])) if pk in issuers), None)

    with_noivu = {
        body_of(unit_id)
        for unit_id in UnitRole.objects.filter(role="emulation_office").values_list(
            "unit_id", flat=True
        )
    } - {None}

    def highest(pks: set[int]) -> int:
        return min(pks, key=lambda pk: (units[pk]["depth"], pk))

    return highest(with_noivu or issuers or set(units))


def fill_owner(apps, schema_editor):
    PrinterProfile = apps.get_model("awards", "PrinterProfile")
    if not PrinterProfile.objects.exists():
        return
    owner = top_body(apps)
    if owner is None:
        PrinterProfile.objects.all().delete()
        return
    PrinterProfile.objects.update(owner_id=owner)


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0022_awardrecord_search_trigram"),
        ("organizations", "0006_unit_code_key_unique"),
    ]

    operations = [
        migrations.AddField(
            model_name="printerprofile",
            name="owner",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="printers",
                to="organizations.unit",
                verbose_name="cơ quan",
            ),
        ),
        migrations.RunPython(fill_owner, migrations.RunPython.noop),
    ]
