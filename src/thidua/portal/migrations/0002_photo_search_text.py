"""Photos get a folded search column (caption, author, place, album title), so the portal search
finds them as it finds news and books; existing photos are filled in."""

from django.db import migrations, models

from thidua.portal.models import photo_search_text


def fill(apps, schema_editor):
    Photo = apps.get_model("portal", "Photo")
    rows = Photo.objects.select_related("album").only(
        "pk", "caption", "photographer", "place", "album__title"
    )
    changed = []
    for p in rows.iterator(chunk_size=500):
        p.search_text = photo_search_text(p.caption, p.photographer, p.place, p.album.title)
        changed.append(p)
    Photo.objects.bulk_update(changed, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="photo",
            name="search_text",
            field=models.CharField(default="", editable=False, max_length=1000),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
