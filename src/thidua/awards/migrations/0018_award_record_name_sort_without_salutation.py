"""Recompute award records' name_sort: a person's or a household's printed name carried its
salutation ("Bà …", "Hộ ông …"), so the honour board put every "Bà" before every "Ông"."""

from django.db import migrations

from thidua.awards.models.registry import record_name_sort


def recompute(apps, schema_editor):
    AwardRecord = apps.get_model("awards", "AwardRecord")
    changed = []
    for r in AwardRecord.objects.only("pk", "recipient_name", "subject", "name_sort").iterator():
        key = record_name_sort(r.recipient_name, r.subject)
        if key != r.name_sort:
            r.name_sort = key
            changed.append(r)
    AwardRecord.objects.bulk_update(changed, ["name_sort"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("awards", "0017_nomination_not_recommended")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop, elidable=True)]
