"""Every printer now names its body (filled by 0023), and a name is unique within a body only:
two wards may each have "Canon LBP 2900". A migration of its own: on PostgreSQL the rows
updated in 0023 leave deferred foreign-key checks pending, and the column cannot be altered
in the same transaction."""

import django.db.models.deletion
from django.db import migrations, models


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
        migrations.AddConstraint(
            model_name="printerprofile",
            constraint=models.UniqueConstraint(
                fields=("owner", "name"), name="printer_name_per_owner"
            ),
        ),
    ]
