"""`python manage.py seed_demo`: demo users, units and a channel in every state, for `make run`.

The channels are driven through the real services, so their audit trails and e-mails are what
the portal would produce. Running it again creates nothing new. Refuses to run with DEBUG off:
demo users with printed passwords must never reach a production database.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from approvals.models import KommReview, PrefectSignoff
from approvals.services import channel_submit, review_decide, signoff_approve, signoff_decline
from channels.models import Channel, Platform, Unit
from channels.services import (
    channel_create_draft,
    channel_mark_opened,
    channel_set_people,
    channel_update,
)
from umusocial.models import Profile

User = get_user_model()

DEMO_PASSWORD = "umusocial-demo"  # noqa: S105  (development only; the command refuses DEBUG off)

USERS = [
    # username, first name, last name, e-mail, role (printed), language
    ("anna", "Anna", "Andersson", "anna@umu.se", "member of staff, owns the demo channels", "sv"),
    ("david", "David", "Dahl", "david@umu.se", "colleague, deputy on the demo channels", "en"),
    ("karin", "Karin", "Karlsson", "karin@umu.se", "Komm reviewer (group Komm)", "sv"),
    ("admin", "Ada", "Admin", "admin@umu.se", "administrator (superuser)", "en"),
]

# name (sv), name (en), kind, parent (sv name or None)
UNITS = [
    ("Teknisk-naturvetenskaplig fakultet", "Faculty of Science and Technology", "faculty", None),
    (
        "Institutionen för datavetenskap",
        "Department of Computing Science",
        "department",
        "Teknisk-naturvetenskaplig fakultet",
    ),
    (
        "Institutionen för fysik",
        "Department of Physics",
        "department",
        "Teknisk-naturvetenskaplig fakultet",
    ),
    ("Humanistisk fakultet", "Faculty of Arts", "faculty", None),
    (
        "Institutionen för språkstudier",
        "Department of Language Studies",
        "department",
        "Humanistisk fakultet",
    ),
    ("Kommunikationsenheten", "Communications Office", "central_office", None),
    ("Umeå centrum för genusstudier", "Umeå Centre for Gender Studies", "centre", None),
]

S = Channel.State


@dataclass
class DemoChannel:
    state: str
    name: str
    platform: str
    handle: str
    unit: str
    fields: dict = field(default_factory=dict)


CHANNELS = [
    DemoChannel(S.DRAFT, "Fysik för alla", "youtube", "@fysikforalla", "Institutionen för fysik"),
    DemoChannel(
        S.PREFECT_DECLINED,
        "Fysikstudenter i Umeå",
        "tiktok",
        "@umu_fysikstudent",
        "Institutionen för fysik",
    ),
    DemoChannel(
        S.AWAITING_KOMM,
        "Språkstudier Umeå",
        "facebook",
        "umu.sprakstudier",
        "Institutionen för språkstudier",
    ),
    DemoChannel(
        S.CHANGES_REQUESTED,
        "Genusforskning Umeå",
        "linkedin",
        "company/umu-genus",
        "Umeå centrum för genusstudier",
    ),
    DemoChannel(
        S.APPROVED,
        "Computing Science Umeå",
        "bluesky",
        "profile/cs-umu.bsky.social",
        "Teknisk-naturvetenskaplig fakultet",
        {"language": Channel.Language.ENGLISH},
    ),
    DemoChannel(
        S.ACTIVE,
        "Humanistisk fakultet",
        "instagram",
        "umu_humfak",
        "Humanistisk fakultet",
    ),
    DemoChannel(
        S.REJECTED,
        "Fysikmemes",
        "x",
        "umu_fysikmemes",
        "Institutionen för fysik",
    ),
    # Last, so that its sign-off e-mail is the newest at /dev/mail/.
    DemoChannel(
        S.AWAITING_PREFECT,
        "Datavetenskap vid Umeå universitet",
        "instagram",
        "umu_datavetenskap",
        "Institutionen för datavetenskap",
    ),
]

URL_PATTERNS = {
    "youtube": "https://www.youtube.com/{handle}",
    "instagram": "https://www.instagram.com/{handle}",
    "tiktok": "https://www.tiktok.com/{handle}",
    "facebook": "https://www.facebook.com/{handle}",
    "linkedin": "https://www.linkedin.com/{handle}",
    "bluesky": "https://bsky.app/{handle}",
    "x": "https://x.com/{handle}",
}

PREFECTS = {
    "Teknisk-naturvetenskaplig fakultet": ("Tomas Dekan", "Dekan", "tomas.dekan@umu.se"),
    "Institutionen för datavetenskap": ("Petra Prefekt", "Prefekt", "petra.prefekt@umu.se"),
    "Institutionen för fysik": ("Per Fysiker", "Prefekt", "per.fysiker@umu.se"),
    "Humanistisk fakultet": ("Helena Dekan", "Dekan", "helena.dekan@umu.se"),
    "Institutionen för språkstudier": ("Sara Språk", "Prefekt", "sara.sprak@umu.se"),
    "Umeå centrum för genusstudier": ("Gunnar Genus", "Föreståndare", "gunnar.genus@umu.se"),
}


def _complete_fields(demo: DemoChannel, unit: Unit) -> dict:
    """Every answer of the checklist, in the words a department would use."""
    prefect_name, prefect_title, prefect_email = PREFECTS[demo.unit]
    return {
        "purpose": f"Visa forskning, utbildning och vardag vid {unit.name} för dem som "
        "funderar på att söka sig hit.",
        "audience_primary": "Presumtiva studenter, 18–25 år, i Sverige.",
        "audience_secondary": "Nuvarande studenter och alumner.",
        "sender": Channel.Sender.UNIT,
        "sender_unit": unit,
        "responsible_unit": unit,
        "operations_area": "Utbildning på grund- och avancerad nivå",
        "prefect_name": prefect_name,
        "prefect_title": prefect_title,
        "prefect_email": prefect_email,
        "resources": "Fyra timmar i veckan av institutionens kommunikatör.",
        "update_frequency": Channel.Frequency.WEEKLY,
        "monitoring_who": "Ansvarig och ersättare turas om veckovis.",
        "monitoring_frequency": Channel.MonitoringFrequency.DAILY,
        "response_time_hours": 24,
        "archiving_routine": "Inlägg och kommentarer arkiveras månadsvis enligt "
        "dokumenthanteringsplanen.",
        "culling_routine": "Gallras efter två år enligt universitetets gallringsbeslut.",
        "policy_text": "Vi svarar på frågor vardagar. Inlägg som bryter mot svensk lag eller "
        "är kränkande tas bort.",
        "policy_location": "I profilens beskrivning och som fäst inlägg.",
        "graphic_profile_confirmed": True,
        "evaluation_method": "Räckvidd, engagemang och svarstider jämförs med målen.",
        "evaluation_interval_months": 12,
        "evaluation_first_date": timezone.localdate() + datetime.timedelta(days=180),
        "handover_routine": "Inloggning via funktionsbrevlåda; administratörsroller flyttas "
        "vid byte av ansvarig.",
        **demo.fields,
    }


class Command(BaseCommand):
    help = "Load demo users, units and channels in every state (DEBUG only; idempotent)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates users with known passwords and runs only when DEBUG is on "
                "(set DEBUG=true). Never run it against a production database."
            )
        with transaction.atomic():
            users = self._users()
            units = self._units()
            created = [demo for demo in CHANNELS if self._channel(demo, users=users, units=units)]
        self._report(created)

    # --- users and units ---------------------------------------------------------------------

    def _users(self) -> dict[str, object]:
        komm = Group.objects.get(name=settings.KOMM_GROUP_NAME)
        users = {}
        for username, first, last, email, _role, language in USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "email": email},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                if username == "admin":
                    user.is_staff = user.is_superuser = True
                user.save()
                Profile.objects.get_or_create(user=user, defaults={"language": language})
                if username == "karin":
                    user.groups.add(komm)
            users[username] = user
        return users

    def _units(self) -> dict[str, Unit]:
        units: dict[str, Unit] = {}
        for name, name_en, kind, parent in UNITS:
            units[name], _created = Unit.objects.get_or_create(
                name=name,
                parent=units[parent] if parent else None,
                defaults={"name_en": name_en, "kind": kind},
            )
        return units

    # --- channels ----------------------------------------------------------------------------

    def _channel(self, demo: DemoChannel, *, users: dict, units: dict) -> bool:
        """Create one demo channel and drive it to its state. False if it already exists."""
        anna, david, karin = users["anna"], users["david"], users["karin"]
        if Channel.objects.filter(name=demo.name, created_by=anna).exists():
            return False
        platform = Platform.objects.get(slug=demo.platform)
        address = URL_PATTERNS[demo.platform].format(handle=demo.handle)
        unit = units[demo.unit]
        channel = channel_create_draft(
            created_by=anna,
            name=demo.name,
            platform=platform,
            address=address,
            language=demo.fields.get("language", Channel.Language.SWEDISH),
        )
        if demo.state == S.DRAFT:
            channel_update(
                channel=channel,
                edited_by=anna,
                data={"purpose": "Korta filmer om fysik i vardagen.", "sender_unit": unit},
            )
            return True
        channel_update(channel=channel, edited_by=anna, data=_complete_fields(demo, unit))
        channel_set_people(
            channel=channel,
            edited_by=anna,
            responsible=anna,
            responsible_phone="090-786 50 00",
            deputies=[(david, "090-786 60 00")],
        )
        channel_submit(channel=channel, submitted_by=anna)
        if demo.state == S.AWAITING_PREFECT:
            return True
        signoff = channel.signoffs.get(decision=PrefectSignoff.Decision.PENDING)
        if demo.state == S.PREFECT_DECLINED:
            signoff_decline(
                signoff=signoff,
                reason="Institutionen har inte resurser att bevaka en kanal till i år. "
                "Samordna med fakultetens konto i stället.",
            )
            return True
        signoff_approve(signoff=signoff)
        channel.refresh_from_db()
        if demo.state == S.AWAITING_KOMM:
            return True
        decision, comment = {
            S.CHANGES_REQUESTED: (
                KommReview.Decision.CHANGES_REQUESTED,
                "Beskriv hur ni arkiverar kommentarer och vem som gallrar.",
            ),
            S.REJECTED: (
                KommReview.Decision.REJECTED,
                "Kanalens syfte täcks redan av universitetets centrala konto.",
            ),
        }.get(demo.state, (KommReview.Decision.APPROVED, ""))
        review_decide(
            channel=channel,
            reviewer=karin,
            decision=decision,
            comment=comment,
            case_number="FS 1.1-1234-26" if decision == KommReview.Decision.APPROVED else "",
        )
        if demo.state == S.ACTIVE:
            channel.refresh_from_db()
            channel_mark_opened(channel=channel, opened_by=anna, address=address)
        return True

    # --- output ------------------------------------------------------------------------------

    def _report(self, created: list[DemoChannel]) -> None:
        out = self.stdout
        if created:
            out.write(self.style.SUCCESS(f"Created {len(created)} demo channel(s)."))
        else:
            out.write("Demo data already loaded; nothing new created.")
        out.write("")
        out.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, _first, _last, email, role, _lang in USERS:
            out.write(f"  {username:<6} {email:<14} {role}")
        out.write("")
        out.write("Channels (owned by anna, with david as deputy):")
        for demo in CHANNELS:
            out.write(f"  {Channel.State(demo.state).label:<34} {demo.name}")
        out.write("")
        out.write(
            "“Datavetenskap vid Umeå universitet” waits for its head of department. The "
            "sign-off link is only in the e-mail to petra.prefekt@umu.se: read it at "
            f"{settings.SITE_URL}/dev/mail/ (the sent e-mail page; DEBUG only)."
        )
