"""A trigram (pg_trgm) GIN index on activities' folded search text, PostgreSQL only: the
activity list's search is `search_text LIKE '%…%'`, which read every activity of the campaign
(a city campaign gathers thousands from its units over the year)."""

from django.db import migrations

from thidua.core.migration_ops import search_trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("participation", "0005_goodmodel_search_trigram")]

    operations = [search_trigram_indexes("participation_activity")]
