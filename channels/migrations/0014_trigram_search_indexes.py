"""Trigram indexes for the searches that match anywhere in a text (`icontains`): the admin's
channel search, Komm's register and the public directory. Django's `icontains` on PostgreSQL is
`UPPER(col::text) LIKE UPPER('%q%')`, so the indexes are on that expression.

PostgreSQL only (pg_trgm ships with it; creating the extension needs a role that may, see
docs/benchmarks.md). On SQLite, which the project also runs on, this migration does nothing.
"""

from django.db import migrations

INDEXES = {
    "channel_name_trgm_idx": ("channels_channel", "name"),
    "channel_address_trgm_idx": ("channels_channel", "address"),
    "channel_address_key_trgm_idx": ("channels_channel", "address_key"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("channels", "0013_indexes_for_scale")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
