"""A council member's attendance starts "Chưa điểm danh" (unmarked) instead of "Vắng": the
session cannot open until the secretary has marked everyone, so the quorum and the minutes never
count as absent a member nobody said was absent.

Only the field's default and choices change; no row is rewritten. A row stored before this
migration as "absent" stays "absent": it may have been the old default or the secretary's own
mark, and nothing in the row tells the two apart."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("awards", "0020_hold_placed_by_required")]

    operations = [
        migrations.AlterField(
            model_name="attendance",
            name="presence",
            field=models.CharField(
                choices=[
                    ("unmarked", "Chưa điểm danh"),
                    ("present", "Có mặt"),
                    ("written", "Vắng, có ý kiến bằng văn bản"),
                    ("absent", "Vắng"),
                ],
                default="unmarked",
                max_length=16,
            ),
        ),
    ]
