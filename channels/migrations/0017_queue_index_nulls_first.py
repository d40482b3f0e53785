"""Komm's queue sorts by the time a channel has waited with the unknown first
(`state_changed_at ASC NULLS FIRST`, and DESC NULLS LAST for newest first), which PostgreSQL can
read from an index only if the index sorts NULLs the same way. SQLite has no NULLS FIRST in an
index, so the model declares the plain index (channels 0013) and this migration rebuilds it on
PostgreSQL; on SQLite it does nothing."""

from django.db import migrations


def nulls_first(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute('DROP INDEX IF EXISTS "channel_state_waiting_idx"')
    schema_editor.execute(
        'CREATE INDEX "channel_state_waiting_idx" ON "channels_channel" '
        '("state", "state_changed_at" ASC NULLS FIRST, "id")'
    )


def plain(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute('DROP INDEX IF EXISTS "channel_state_waiting_idx"')
    schema_editor.execute(
        'CREATE INDEX "channel_state_waiting_idx" ON "channels_channel" '
        '("state", "state_changed_at", "id")'
    )


class Migration(migrations.Migration):
    dependencies = [("channels", "0016_channel_sender_employee")]

    operations = [migrations.RunPython(nulls_first, plain, elidable=False)]
