"""Two units never share a code in other capitals or spacing ("P-VUNINH", "p-vu ninh"): a unique
index on the code folded as the services compare it (units._check_code_free), so two creations at
the same moment, or a write that skips the services, cannot make a second one.

Units made before the services checked this (5c8b5a1: until then only an identical code was
refused) may hold such codes. The index cannot be built over them, and which unit keeps a code
is for the people who run the installation to decide (each may have people, reports, awards),
so the migration lists them and stops, changing nothing; it runs again once they differ."""

import django.db.models.functions.text
from django.core.management.base import CommandError
from django.db import migrations, models
from django.db.models import Count, Value
from django.db.models.functions import Lower, Replace


def refuse_near_duplicate_codes(apps, schema_editor):
    Unit = apps.get_model("organizations", "Unit")
    units = Unit.objects.using(schema_editor.connection.alias).annotate(
        code_key=Lower(Replace("code", Value(" "), Value("")))
    )
    keys = (
        units.values("code_key")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
        .values_list("code_key", flat=True)
    )
    groups: dict[str, list[str]] = {}
    for key, pk, code, name in units.filter(code_key__in=list(keys)).order_by(
        "code_key", "pk"
    ).values_list("code_key", "pk", "code", "name"):
        groups.setdefault(key, []).append(f'"{code}" (id {pk}, {name})')
    if not groups:
        return
    lines = "\n".join(f"  - {', '.join(members)}" for members in groups.values())
    raise CommandError(
        "Units whose codes differ only in capitals or spaces must get distinct codes before "
        f"migration organizations.0006 can add the unique index unit_code_key_unique:\n{lines}\n"
        "Change the code of all but one unit in each line, for example in "
        "`python src/manage.py shell`:\n"
        "  from thidua.organizations.models import Unit\n"
        "  from thidua.organizations.services import _set_unit_derived\n"
        '  unit = Unit.objects.get(pk=ID); unit.code = "NEW-CODE"; _set_unit_derived(unit); '
        "unit.save()\n"
        "then run migrate again. Nothing has been changed."
    )


class Migration(migrations.Migration):
    dependencies = [("organizations", "0005_unit_name_sort")]

    operations = [
        migrations.RunPython(refuse_near_duplicate_codes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="unit",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower(
                    django.db.models.functions.text.Replace(
                        "code", models.Value(" "), models.Value("")
                    )
                ),
                name="unit_code_key_unique",
                violation_error_message="Đã có đơn vị mang mã này (không kể chữ hoa, chữ thường "
                "và dấu cách). Hãy chọn mã khác.",
            ),
        ),
    ]
