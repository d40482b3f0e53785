"""Lets the group "Komm" see failed sign-ins and lift a lockout (django-axes' admin).

Deleting an "access attempt" in the admin unlocks that account or address; superusers can do it
anyway, Komm reviewers with staff status can do it with these permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

KOMM_PERMISSIONS = [
    "view_accessattempt",
    "delete_accessattempt",
    "view_accessfailurelog",
    "view_accesslog",
]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create axes' now to use them.
    app_config = apps.get_app_config("axes")
    app_config.models_module = True  # historical app configs lack it; create_permissions asks
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    komm, _created = Group.objects.get_or_create(name="Komm")
    for codename in KOMM_PERMISSIONS:
        komm.permissions.add(
            Permission.objects.get(content_type__app_label="axes", codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("channels", "0003_platforms_and_komm_group"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
