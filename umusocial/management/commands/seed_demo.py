"""`python manage.py seed_demo`: demo users, units and a channel in every state, for `make run`.

The channels are driven through the real services, so their audit trails and e-mails are what
the portal would produce. Running it again creates nothing new. Refuses to run with DEBUG off:
demo users with printed passwords must never reach a production database.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from approvals.closure.services import closure_confirm, closure_record, closure_start
from approvals.handover.flagging import channels_flag_departed_staff
from approvals.handover.services import handover_start
from approvals.models import Closure, KommReview, PrefectSignoff, SuspectedAccountReport
from approvals.moderation.services import EntryDetails, moderation_record
from approvals.reports.services import report_decide, report_submit
from approvals.review.services import review_decide
from approvals.signoff.services import channel_submit, signoff_approve, signoff_decline
from channels.models import Channel, Platform, Unit, UnitHead
from channels.services import (
    channel_create_draft,
    channel_mark_opened,
    channel_set_people,
    channel_update,
)
from umusocial.demo_campaigns import seed_campaigns
from umusocial.demo_data import (
    CHANNELS,
    DEMO_PASSWORD,
    DEPARTED,
    MODERATION,
    MODERATION_CORRECTION,
    MODERATION_LIFT,
    PREFECTS,
    REPORTS,
    SCREENSHOT,
    UNITS,
    URL_PATTERNS,
    USERS,
    DemoChannel,
    S,
    complete_fields,
)
from umusocial.demo_policies import seed_policies

User = get_user_model()


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
            seed_policies()
            self._depart(users)
            self._suspected_accounts(reviewer=users["karin"])
            seed_campaigns(users)
        self._report(created)

    # --- users and units ---------------------------------------------------------------------

    def _users(self) -> dict[str, Any]:
        komm = Group.objects.get(name=settings.KOMM_GROUP_NAME)
        users = {}
        for username, first, last, email, _role, language in USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": email,
                    "language": language,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                if username == "admin":
                    user.is_staff = user.is_superuser = True
                if username == "karin":
                    user.is_staff = True  # Komm keeps platforms and units in the admin
                user.save()
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
            if name in PREFECTS and not units[name].heads.exists():
                head_name, title, email = PREFECTS[name]
                UnitHead.objects.create(unit=units[name], name=head_name, title=title, email=email)
        return units

    # --- channels ----------------------------------------------------------------------------

    def _channel(self, demo: DemoChannel, *, users: dict, units: dict) -> bool:
        """Create one demo channel and drive it to its state. False if it already exists."""
        if Channel.objects.filter(name=demo.name, created_by=users["anna"]).exists():
            return False
        channel = self._register(demo, users=users, unit=units[demo.unit])
        if demo.state in (S.DRAFT, S.AWAITING_PREFECT):
            return True
        if not self._prefect_decides(demo, channel) or demo.state == S.AWAITING_KOMM:
            return True
        self._komm_decides(demo, channel, reviewer=users["karin"])
        if demo.state in (S.ACTIVE, S.CLOSING, S.CLOSED):
            channel.refresh_from_db()
            channel_mark_opened(
                channel=channel, opened_by=users[demo.responsible], address=channel.address
            )
        self._then(demo, channel, users=users)
        return True

    def _register(self, demo: DemoChannel, *, users: dict, unit: Unit) -> Channel:
        """anna registers the channel: a draft, or complete with its people and submitted."""
        anna, david = users["anna"], users["david"]
        channel = channel_create_draft(
            created_by=anna,
            name=demo.name,
            platform=Platform.objects.get(slug=demo.platform),
            address=URL_PATTERNS[demo.platform].format(handle=demo.handle),
            language=demo.fields.get("language", Channel.Language.SWEDISH),
        )
        if demo.state == S.DRAFT:
            data = {"purpose": "Korta filmer om fysik i vardagen.", "sender_unit": unit}
            channel_update(channel=channel, edited_by=anna, data=data)
            return channel
        channel_update(channel=channel, edited_by=anna, data=complete_fields(demo, unit))
        channel_set_people(
            channel=channel,
            edited_by=anna,
            responsible=users[demo.responsible],
            responsible_phone="090-786 50 00",
            deputies=[(david, "090-786 60 00")],
        )
        channel_submit(channel=channel, submitted_by=anna)
        return channel

    def _prefect_decides(self, demo: DemoChannel, channel: Channel) -> bool:
        """The head of department answers the link; False when they decline."""
        signoff = channel.signoffs.get(decision=PrefectSignoff.Decision.PENDING)
        if demo.state == S.PREFECT_DECLINED:
            signoff_decline(
                signoff=signoff,
                reason="Institutionen har inte resurser att bevaka en kanal till i år. "
                "Samordna med fakultetens konto i stället.",
            )
            return False
        signoff_approve(signoff=signoff)
        channel.refresh_from_db()
        return True

    def _komm_decides(self, demo: DemoChannel, channel: Channel, *, reviewer) -> None:
        decisions: dict[str, tuple[str, str]] = {
            S.CHANGES_REQUESTED: (
                KommReview.Decision.CHANGES_REQUESTED,
                "Beskriv hur ni arkiverar kommentarer och vem som gallrar.",
            ),
            S.REJECTED: (
                KommReview.Decision.REJECTED,
                "Kanalens syfte täcks redan av universitetets centrala konto.",
            ),
        }
        decision, comment = decisions.get(demo.state, (KommReview.Decision.APPROVED, ""))
        review_decide(
            channel=channel,
            reviewer=reviewer,
            decision=decision,
            comment=comment,
            case_number="FS 1.1-1234-26" if decision == KommReview.Decision.APPROVED else "",
        )

    def _then(self, demo: DemoChannel, channel: Channel, *, users: dict) -> None:
        """The life after opening: an overdue evaluation, a handover, a closure."""
        anna, david, karin = users["anna"], users["david"], users["karin"]
        if demo.then == "overdue":
            # Demo only: time has passed. The date is what channel_mark_opened set from the
            # plan, moved back as if the evaluation had been due two weeks ago.
            Channel.objects.filter(pk=channel.pk).update(
                next_evaluation_on=timezone.localdate() - datetime.timedelta(days=14)
            )
        elif demo.then == "handover":
            handover_start(
                channel=channel,
                started_by=anna,
                new_responsible=users["erik"],
                new_responsible_phone="090-786 70 00",
                new_deputies=[],
                reason="new_role",
                reason_text="Anna byter tjänst till fakultetskansliet.",
            )
        elif demo.then in ("closing", "closed"):
            closure = closure_start(
                channel=channel,
                started_by=anna,
                reason="Evenemanget är över; kanalen behövs inte längre.",
            )
            steps = {"followers_told_at", "admins_removed_at"}
            outcome = ""
            if demo.then == "closed":
                steps = {name for name, _label in Closure.STEPS}
                outcome = Closure.AccountOutcome.CLOSED
            closure_record(
                closure=closure,
                user=david,
                archive_location="Diariet, FS 1.1-4321-26" if demo.then == "closed" else "",
                account_outcome=outcome,
                steps_done=steps,
            )
            if demo.then == "closed":
                closure.refresh_from_db()
                closure_confirm(closure=closure, confirmed_by=karin)
        elif demo.then == "moderated":
            self._moderate(channel, users=users)

    def _moderate(self, channel: Channel, *, users: dict) -> None:
        """The channel's moderation log: every kind, a lifted blocking and a correction."""
        now = timezone.now()
        entries = []
        for who, days, kind, details in MODERATION:
            entries.append(
                moderation_record(
                    channel=channel,
                    recorded_by=users[who],
                    kind=kind,
                    happened_at=now - datetime.timedelta(days=days),
                    details=EntryDetails(**details),
                    files=[
                        SimpleUploadedFile("skarmbild.png", SCREENSHOT, content_type="image/png")
                    ]
                    if kind == "removal"
                    else [],
                )
            )
        who, days, details = MODERATION_LIFT
        moderation_record(
            channel=channel, recorded_by=users[who], kind="lifting",
            happened_at=now - datetime.timedelta(days=days),
            details=EntryDetails(lifts=entries[1], **details),
        )  # fmt: skip
        who, days, reason, changes = MODERATION_CORRECTION
        removal = entries[2]
        fields = ("what", "handle", "post_url", "ground", "ground_detail")
        moderation_record(
            channel=channel, recorded_by=users[who], kind="removal",
            happened_at=removal.happened_at,
            details=EntryDetails(**{**{f: getattr(removal, f) for f in fields}, **changes}),
            corrects=removal, correction_reason=reason,
        )  # fmt: skip

    def _suspected_accounts(self, *, reviewer) -> None:
        """A report of a suspected fake account in each state (skipped when it exists)."""
        for n, (address, reason, states) in enumerate(REPORTS):
            if SuspectedAccountReport.objects.filter(address=address).exists():
                continue
            report = report_submit(address=address, reason=reason, client=f"seed-demo-{n}")
            for state in states:
                report_decide(report=report, to=state, decided_by=reviewer)

    def _depart(self, users: dict) -> None:
        """Staff who have left: deactivated, and their channels flagged for a handover."""
        departed = [users[name] for name in DEPARTED if users[name].is_active]
        for user in departed:
            user.is_active = False
            user.save(update_fields=["is_active"])
        if departed:
            channels_flag_departed_staff()

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
        out.write("Channels (anna responsible unless named, david deputy):")
        notes = {
            "overdue": "evaluation overdue",
            "handover": "handover to erik awaits the head of department",
            "closing": "closure checklist half done",
            "closed": "closed, confirmed by karin",
            "moderated": "moderation log with entries of every kind",
        }
        for demo in CHANNELS:
            note = notes.get(demo.then, "")
            if demo.responsible in DEPARTED:
                note = f"{demo.responsible} (deactivated) responsible: flagged for handover"
            label = Channel.State(demo.state).label
            out.write(f"  {label:<34} {demo.name}" + (f" ({note})" if note else ""))
        out.write("")
        out.write(
            "“Datavetenskap vid Umeå universitet” waits for its head of department. The "
            "sign-off link is only in the e-mail to petra.prefekt@umu.se: read it at "
            f"{settings.SITE_URL}/dev/mail/ (the sent e-mail page; DEBUG only)."
        )
