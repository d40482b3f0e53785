"""The demo's people, units and channels, for `python manage.py seed_demo`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from channels.models import Channel, Unit

DEMO_PASSWORD = "umusocial-demo"  # noqa: S105  (development only; the command refuses DEBUG off)

USERS = [
    # username, first name, last name, e-mail, role (printed), language
    ("anna", "Anna", "Andersson", "anna@umu.se", "member of staff, owns the demo channels", "sv"),
    ("david", "David", "Dahl", "david@umu.se", "colleague, deputy on the demo channels", "en"),
    ("karin", "Karin", "Karlsson", "karin@umu.se", "Komm reviewer (group Komm)", "sv"),
    ("admin", "Ada", "Admin", "admin@umu.se", "administrator (superuser)", "en"),
    ("erik", "Erik", "Ek", "erik@umu.se", "colleague, taking over a demo channel (handover)", "sv"),
    (
        "lars",
        "Lars",
        "Lämnat",
        "lars@umu.se",
        "has left: deactivated, his channel is flagged",
        "sv",
    ),
]

# Demo users who have left the university: deactivated once their channels exist.
DEPARTED = {"lars"}

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
    # What happens after the channel reaches `state`: "overdue" (its evaluation date passed),
    # "handover" (a handover waits for the head of department), "closing", "closed",
    # "moderated" (its moderation log has entries of every kind).
    then: str = ""
    responsible: str = "anna"


CHANNELS = [
    # Not YouTube: Komm runs the university's accounts there (channels.services).
    DemoChannel(S.DRAFT, "Fysik för alla", "tiktok", "@fysikforalla", "Institutionen för fysik"),
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
        then="moderated",
    ),
    DemoChannel(
        S.REJECTED,
        "Fysikmemes",
        "x",
        "umu_fysikmemes",
        "Institutionen för fysik",
    ),
    # The life of a registered channel (issue 3).
    DemoChannel(
        S.ACTIVE,
        "Språkcaféet",
        "facebook",
        "umu.sprakcafe",
        "Institutionen för språkstudier",
        then="overdue",
    ),
    DemoChannel(
        S.ACTIVE,
        "Genusstudier i bild",
        "instagram",
        "umu_genus",
        "Umeå centrum för genusstudier",
        then="handover",
    ),
    DemoChannel(
        S.ACTIVE,
        "Fysik på LinkedIn",
        "linkedin",
        "company/umu-fysik",
        "Institutionen för fysik",
        responsible="lars",
    ),
    DemoChannel(
        S.CLOSING,
        "Fysikdagarna 2024",
        "facebook",
        "fysikdagarna2024",
        "Institutionen för fysik",
        then="closing",
    ),
    DemoChannel(
        S.CLOSED,
        "Humanistdagen",
        "x",
        "umu_humanistdagen",
        "Humanistisk fakultet",
        then="closed",
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


def complete_fields(demo: DemoChannel, unit: Unit) -> dict:
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


# The moderation log of the "moderated" channel (issue 9): (who records, days ago, kind, details).
# A blocking that is lifted later, one still in force, a removal with a screenshot, a suspected
# crime reported to the police, a question to Komm, and a correction of the removal.
# (who records it, days ago, kind, the details as moderation_record's EntryDetails takes them)
MODERATION: list[tuple[str, int, str, dict[str, Any]]] = [
    ("anna", 9, "other", {"what": "Fråga om vi får dölja kritiska kommentarer; Komm svarade nej."}),
    (
        "anna",
        8,
        "blocking",
        {
            "handle": "@spam_erbjudanden",
            "ground": "policy",
            "ground_detail": "Ingen reklam eller spam.",
        },
    ),
    (
        "david",
        6,
        "removal",
        {
            "what": "Kommentar som hängde ut en namngiven student med bild.",
            "handle": "@anonym_1234",
            "ground": "privacy",
            "post_url": "https://www.instagram.com/p/humfak1/",
        },
    ),
    ("david", 4, "blocking", {"handle": "@hatkonto", "ground": "agitation"}),
    (
        "anna",
        3,
        "crime",
        {
            "what": "Hot mot föreläsare i kommentar.",
            "crime": "Olaga hot",
            "handle": "@hatkonto",
            "police_case_number": "5000-K4321-26",
            "threat": True,
        },
    ),
]
# The lifting of the first blocking, and a correction of the removal.
MODERATION_LIFT: tuple[str, int, dict[str, Any]] = (
    "david",
    1,
    {"what": "Kontot har bytt ägare och skickar inte längre spam."},
)
MODERATION_CORRECTION: tuple[str, int, str, dict[str, Any]] = (
    "david",
    6,
    "Fel adress till inlägget.",
    {"post_url": "https://www.instagram.com/p/humfak2/"},
)
# A 1×1 PNG, the removal's screenshot.
SCREENSHOT = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8ffff3f0005fe02fea7d6a4f60000000049454e44ae426082"
)


# Reports of suspected fake accounts, one in each state: (address, what the reporter saw, the
# states Komm moved it through).
REPORTS = [
    ("https://www.instagram.com/umu_studentliv_official", "Asks students for their login.", []),
    ("https://x.com/umeauniversitet_", "Copies our logo; posts about crypto.", ["confirmed"]),
    (
        "https://www.facebook.com/umea.universitet.fake",
        "Sells fake diplomas with our name.",
        ["confirmed", "reported"],
    ),
    ("https://www.linkedin.com/company/umu-fysik", "Is this really yours?", ["ours"]),
    ("@umu_memes", "A meme account that looks official.", ["dismissed"]),
]
# Campaign notices (umusocial.demo_campaigns): title, first day (days from today), length in
# days, Komm's answer ("" none yet, "ack" acknowledged, "comment" commented).
CAMPAIGN_NOTICES = [
    ("Öppet hus på campus", 0, 5, ""),
    ("Sök till hösten", 14, 20, "ack"),
    ("Forskarnas natt", -30, 1, "comment"),
]
# Ad orders: title, kind, Komm's (or the orderer's) moves from "submitted".
AD_ORDERS = [
    ("Annonser för masterprogrammen", "social", []),
    ("Sökordsannonser för sommarkurser", "search", ["in_progress"]),
    ("Kampanj för öppet hus", "social", ["in_progress", "running"]),
    ("Annonser för vårens kurser", "social", ["in_progress", "running", "done"]),
    ("Annonser i fel kanal", "social", ["declined"]),
    ("Annonser som inte behövs", "search", ["withdrawn"]),
]

# Where the running demo channels publish their policy; one has not recorded it (the reminder).
POLICY_LOCATIONS = [
    "I profilens beskrivning och som fäst inlägg.",
    "https://www.umu.se/om-webbplatsen/sociala-medier/",
]
POLICY_MISSING = "Språkcaféet"
