"""A trigram index on the users' e-mail addresses for the searches that match anywhere in one
(`icontains`: the admin's channel search by responsible person, the user admin). PostgreSQL
only; on SQLite this migration does nothing. See channels 0014_trigram_search_indexes."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        'CREATE INDEX IF NOT EXISTS "user_email_trgm_idx" ON "core_user" '
        'USING gin ((UPPER("email"::text)) gin_trgm_ops)'
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('DROP INDEX IF EXISTS "user_email_trgm_idx"')


class Migration(migrations.Migration):
    dependencies = [("core", "0002_outbox_secrets")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
