"""Channel.address_key: the address in one form, for the duplicate check and the public verify
page; existing rows get theirs here."""

from django.db import migrations, models


def fill_address_keys(apps, schema_editor):
    # The normaliser is plain code with no models; a later change of its rules needs a new
    # migration that fills the keys again.
    from channels.addresses import address_key

    Channel = apps.get_model("channels", "Channel")
    for channel in Channel.objects.only("pk", "address").iterator():
        Channel.objects.filter(pk=channel.pk).update(address_key=address_key(channel.address))


class Migration(migrations.Migration):
    dependencies = [
        ("channels", "0004_unit_heads"),
    ]

    operations = [
        migrations.AddField(
            model_name="channel",
            name="address_key",
            field=models.CharField(
                blank=True,
                db_index=True,
                editable=False,
                max_length=500,
                verbose_name="address, normalised",
            ),
        ),
        migrations.RunPython(fill_address_keys, migrations.RunPython.noop),
    ]
