from django.db import migrations

TRIGGER = """
CREATE OR REPLACE FUNCTION core_actionlog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_actionlog is append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_actionlog_append_only ON core_actionlog;
CREATE TRIGGER core_actionlog_append_only BEFORE UPDATE OR DELETE ON core_actionlog
    FOR EACH ROW EXECUTE FUNCTION core_actionlog_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS core_actionlog_append_only ON core_actionlog;
DROP FUNCTION IF EXISTS core_actionlog_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
