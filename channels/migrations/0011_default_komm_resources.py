"""The contacts the guideline names, as Komm's first resources; Komm adds the links (the policy
for social media, the graphic profile, the guide and forms for digital distribution) in the admin."""

from django.db import migrations

RESOURCES = [
    (
        "ad_form",
        "Frågor om guiden eller beställningsformulären för digital distribution",
        "Questions about the guide or the order forms for digital distribution",
        "umu@spoon.se, malin.sunna@umu.se",
    ),
    (
        "campaign_form",
        "Frågor om digitala kampanjer",
        "Questions about digital campaigns",
        "komm@umu.se",
    ),
]


def create(apps, schema_editor):
    KommResource = apps.get_model("channels", "KommResource")
    for order, (place, title_sv, title_en, contact) in enumerate(RESOURCES):
        KommResource.objects.get_or_create(
            place=place,
            title_sv=title_sv,
            defaults={"title_en": title_en, "contact": contact, "order": order},
        )


def remove(apps, schema_editor):
    KommResource = apps.get_model("channels", "KommResource")
    for place, title_sv, _title_en, _contact in RESOURCES:
        KommResource.objects.filter(place=place, title_sv=title_sv).delete()


class Migration(migrations.Migration):
    dependencies = [("channels", "0010_komm_resources")]

    operations = [migrations.RunPython(create, remove)]
