"""A trigram (pg_trgm) GIN index on the award registry's folded search text, PostgreSQL only:
the registry search is one `search_text LIKE '%…%'` per word, which read every award the city
has recorded (its imported years included) for each search."""

from django.db import migrations

from thidua.core.migration_ops import search_trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("awards", "0021_attendance_unmarked")]

    operations = [search_trigram_indexes("awards_awardrecord")]
