"""The action log refuses TRUNCATE as well as UPDATE and DELETE (issue 18, M5).

A statement-level BEFORE TRUNCATE trigger, also fired by `TRUNCATE <other table> CASCADE` when
it reaches core_actionlog. Like every ordinary trigger it does not fire while a superuser has set
`session_replication_role = replica` for deliberate maintenance (the test suite's flush between
transactional tests does this; an application role cannot set it).
"""

from django.db import migrations

TRIGGER = """
CREATE OR REPLACE FUNCTION core_actionlog_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_actionlog is append-only: TRUNCATE is refused';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_actionlog_no_truncate ON core_actionlog;
CREATE TRIGGER core_actionlog_no_truncate BEFORE TRUNCATE ON core_actionlog
    FOR EACH STATEMENT EXECUTE FUNCTION core_actionlog_no_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS core_actionlog_no_truncate ON core_actionlog;
DROP FUNCTION IF EXISTS core_actionlog_no_truncate();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_import_file")]
    operations = [migrations.RunPython(forwards, backwards)]
