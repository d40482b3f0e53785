"""Loads the platforms named in the guideline and creates the group "Komm" with its permissions.

Komm edits platforms in the admin afterwards; this migration only seeds them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PLATFORMS = [
    {
        "name": "Facebook",
        "slug": "facebook",
        "domains": ["facebook.com", "fb.com"],
        "purpose_sv": "En bred kanal som kan rikta sig till många. Fokus på innehåll som skapar "
        "interaktion och är av allmänt intresse: länkar till nyheter och reportage på umu.se, "
        "evenemang, viss annonsering mot särskild målgrupp.",
        "purpose_en": "A broad channel that can reach many. Focus on content that creates "
        "interaction and is of general interest: links to news and stories on umu.se, events, "
        "some targeted ads.",
        "audiences_sv": "Primär: övriga intressenter, studenter, presumtiva studenter och medarbetare.",
        "audiences_en": "Primary: other stakeholders, students, prospective students and staff.",
    },
    {
        "name": "X (Twitter)",
        "slug": "x",
        "domains": ["x.com", "twitter.com"],
        "purpose_sv": "I första hand kommunikation med forskare, andra lärosäten, myndigheter och "
        "medier. Ska stärka universitetets varumärke genom relevant innehåll.",
        "purpose_en": "Mainly communication with researchers, other higher-education institutions, "
        "agencies and media. Strengthens the university's brand with relevant content.",
        "audiences_sv": "Primär: forskare, interna och externa. Sekundär: andra lärosäten, "
        "myndigheter (finansiärer) och medier.",
        "audiences_en": "Primary: researchers, internal and external. Secondary: other "
        "institutions, agencies (funders) and media.",
    },
    {
        "name": "LinkedIn",
        "slug": "linkedin",
        "domains": ["linkedin.com"],
        "purpose_sv": "Stärker varumärket externt och internt; länkar till nyheter på umu.se; "
        "rekrytering av nya medarbetare nationellt och internationellt.",
        "purpose_en": "Strengthens the brand externally and internally; links to news on umu.se; "
        "recruiting staff nationally and internationally.",
        "audiences_sv": "Primär: presumtiva medarbetare, alumner, övriga intressenter. Sekundär: "
        "befintliga studenter för vidareutbildning, samt medarbetare.",
        "audiences_en": "Primary: prospective staff, alumni, other stakeholders. Secondary: current "
        "students (further education) and staff.",
    },
    {
        "name": "Instagram",
        "slug": "instagram",
        "domains": ["instagram.com"],
        "purpose_sv": "I första hand nationell studentrekrytering och att stärka varumärket mot "
        "presumtiva studenter. Inspirera och kommunicera Umeå och Umeå universitet.",
        "purpose_en": "Mainly national student recruitment and the brand towards prospective "
        "students. Inspire about Umeå and the university.",
        "audiences_sv": "Primär: presumtiva studenter (19–27 år i norra och södra Sverige; i andra "
        "hand 27+ och breddad rekrytering). Sekundär: studenter, medarbetare, allmänhet, medier.",
        "audiences_en": "Primary: prospective students (19–27 in northern and southern Sweden; "
        "secondarily 27+ and widened recruitment). Secondary: students, staff, public, media.",
    },
    {
        "name": "YouTube",
        "slug": "youtube",
        "domains": ["youtube.com", "youtu.be"],
        "purpose_sv": "Förvaltas av Kommunikationsenheten.",
        "purpose_en": "Managed by the communications unit (Komm).",
        "managed_by_komm": True,
    },
    {
        "name": "Vimeo",
        "slug": "vimeo",
        "domains": ["vimeo.com"],
        "purpose_sv": "Förvaltas av Kommunikationsenheten.",
        "purpose_en": "Managed by the communications unit (Komm).",
        "managed_by_komm": True,
    },
    {"name": "TikTok", "slug": "tiktok", "domains": ["tiktok.com"]},
    {"name": "Threads", "slug": "threads", "domains": ["threads.net", "threads.com"]},
    {"name": "Bluesky", "slug": "bluesky", "domains": ["bsky.app"]},
    {
        "name": "Mastodon",
        "slug": "mastodon",
        "domains": ["mastodon.social", "mastodon.nu", "social.sunet.se"],
    },
]

KOMM_PERMISSIONS = [
    ("channels", "view_channel"),
    ("channels", "review_channel"),
    ("channels", "view_platform"),
    ("channels", "change_platform"),
    ("channels", "add_platform"),
    ("channels", "view_unit"),
    ("channels", "change_unit"),
    ("channels", "add_unit"),
    ("channels", "view_auditentry"),
    ("approvals", "view_prefectsignoff"),
    ("approvals", "view_kommreview"),
]


def load(apps, schema_editor):
    Platform = apps.get_model("channels", "Platform")
    for position, data in enumerate(PLATFORMS):
        Platform.objects.update_or_create(
            slug=data["slug"], defaults={**data, "position": position * 10}
        )
    # Permissions are normally created after all migrations; create them now to use them.
    for app_label in ("channels", "approvals"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True  # historical app configs lack it; create_permissions asks
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    komm, _created = Group.objects.get_or_create(name="Komm")
    for app_label, codename in KOMM_PERMISSIONS:
        komm.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("channels", "0002_initial"),
        ("approvals", "0003_initial"),
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
