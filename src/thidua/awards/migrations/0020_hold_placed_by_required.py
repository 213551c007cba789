"""Every hold now names the body that placed it (filled by 0019). A migration of its own: on
PostgreSQL the rows updated in 0019 leave deferred foreign-key checks pending, and the column
cannot be altered in the same transaction."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("awards", "0019_hold_placed_by")]

    operations = [
        migrations.AlterField(
            model_name="hold",
            name="placed_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="holds_placed",
                to="organizations.unit",
                verbose_name="cơ quan tạm dừng",
            ),
        ),
    ]
