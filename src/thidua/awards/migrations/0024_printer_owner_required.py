"""Every printer now names its body (filled by 0023), and a name is unique within a body only:
two wards may each have "Canon LBP 2900". A migration of its own: on PostgreSQL the rows
updated in 0023 leave deferred foreign-key checks pending, and the column cannot be altered
in the same transaction.

Going back restores one list for the installation, where a name was unique: a name kept by
several bodies gets the body's name added ("Canon LBP 2900 (UBND phường Suối Hoa)") before
the unique index returns, instead of the reversal failing on the first shared name."""

import django.db.models.deletion
from django.db import migrations, models

NAME_LENGTH = 120


def names_unique_across_bodies(apps, schema_editor):
    PrinterProfile = apps.get_model("awards", "PrinterProfile")
    printers = list(PrinterProfile.objects.select_related("owner").order_by("owner__depth", "pk"))
    taken = {p.name for p in printers}
    kept: set[str] = set()
    for printer in printers:
        if printer.name not in kept:  # the highest body keeps the bare name
            kept.add(printer.name)
            continue
        body, n = printer.owner.name[:60], 1
        name = printer.name[: NAME_LENGTH - len(body) - 3] + f" ({body})"
        while name in taken:
            n += 1
            tail = f" ({body} {n})"
            name = printer.name[: NAME_LENGTH - len(tail)] + tail
        printer.name = name
        printer.save(update_fields=["name"])
        taken.add(name)
        kept.add(name)


class Migration(migrations.Migration):
    dependencies = [("awards", "0023_printer_owner")]

    operations = [
        migrations.AlterField(
            model_name="printerprofile",
            name="owner",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="printers",
                to="organizations.unit",
                verbose_name="cơ quan",
            ),
        ),
        migrations.AlterField(
            model_name="printerprofile",
            name="name",
            field=models.CharField(max_length=120, verbose_name="tên máy in"),
        ),
        migrations.RunPython(migrations.RunPython.noop, names_unique_across_bodies),
        migrations.AddConstraint(
            model_name="printerprofile",
            constraint=models.UniqueConstraint(
                fields=("owner", "name"), name="printer_name_per_owner"
            ),
        ),
    ]
