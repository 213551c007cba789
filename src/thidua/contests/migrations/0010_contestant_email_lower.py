"""Contest addresses were stored as typed ("An@Gmail.com"): lower-cased as the registration
now stores them, so the attempt limit per address compares them; every registration stays.
Indexed like the phone (0009) for that lookup."""

from django.db import migrations, models
from django.db.models.functions import Lower


def lower_stored_emails(apps, schema_editor):
    Contestant = apps.get_model("contests", "Contestant")
    Contestant.objects.exclude(email="").exclude(email=Lower("email")).update(email=Lower("email"))


class Migration(migrations.Migration):
    dependencies = [("contests", "0009_contestant_phone_normalised")]

    operations = [
        migrations.RunPython(lower_stored_emails, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="contestant",
            index=models.Index(
                condition=models.Q(("email", ""), _negated=True),
                fields=["contest", "email"],
                name="contestant_contest_email",
            ),
        ),
    ]
