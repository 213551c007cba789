from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from thidua.awards.law import seed_rules

    seed_rules(
        apps.get_model("awards", "AwardType"),
        apps.get_model("awards", "RuleSet"),
        apps.get_model("awards", "AwardRule"),
    )


class Migration(migrations.Migration):
    dependencies = [("awards", "0009_rule_sets")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
