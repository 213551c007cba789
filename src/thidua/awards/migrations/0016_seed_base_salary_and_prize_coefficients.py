from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from thidua.awards.law import seed_base_salaries, seed_prize_coefficients

    seed_base_salaries(apps.get_model("awards", "BaseSalary"))
    seed_prize_coefficients(apps.get_model("awards", "AwardRule"))


class Migration(migrations.Migration):
    dependencies = [("awards", "0015_reward_fund")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
