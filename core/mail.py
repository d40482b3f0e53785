"""Building and queueing e-mails.

Every e-mail has three templates: `templates/emails/<name>-subject.txt`, `<name>-body.txt` and
`<name>-body.html`. It is rendered in the recipient's language (or in several, one after the
other, for recipients without an account whose language we do not know), stored in the outbox
and delivered by a Celery task enqueued when the surrounding transaction commits.

Secrets (a sign-off link is a credential: whoever holds it decides) are passed apart from the
context. The templates see a placeholder in their place, so the stored bodies never hold the
value; the row keeps it in `secrets` only until `core.tasks.send_email` has delivered it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from core.models import OutgoingEmail, new_message_id, secret_placeholder
from core.stencils import Stencil, StencilCache

log = logging.getLogger(__name__)

BOTH_LANGUAGES = ("sv", "en")


def absolute_url(path: str) -> str:
    """An absolute URL for a link in an e-mail, built from SITE_URL."""
    return f"{settings.SITE_URL}{path}"


class Outbox:
    """E-mails collected to be written with one INSERT (`write`), and the stencils rendered so
    far (core.stencils): for code that queues many e-mails at once, the reminder sweep."""

    def __init__(self):
        self.rows: list[OutgoingEmail] = []
        self.stencils = StencilCache()

    def write(self) -> int:
        """Insert the collected rows; each is sent once the transaction commits."""
        from core.tasks import enqueue_delivery

        rows, self.rows = self.rows, []
        ids = [row.pk for row in OutgoingEmail.objects.bulk_create(rows, batch_size=1000)]
        if ids:
            transaction.on_commit(lambda: enqueue_delivery(ids))
        return len(ids)


def queue_email(
    *,
    template: str,
    to: Iterable[str],
    context: dict,
    languages: Sequence[str] | None = None,
    secrets: dict[str, str] | None = None,
    stencil: Stencil | None = None,
    outbox: Outbox | None = None,
) -> OutgoingEmail | None:
    """Render an e-mail, store it in the outbox and send it once the transaction commits.

    `secrets` are template variables kept out of the stored bodies until delivery. With an
    `outbox`, the row is collected there (saved by `outbox.write()`), and a `stencil` (the same
    e-mail as a stencil, core.stencils) saves rendering it in full.

    Without a single address (an account without one, KOMM_EMAIL unset) nothing is stored and
    None is returned: a row to nobody would only be marked sent."""
    from core.tasks import send_email  # tasks import models; keep import cycles away

    addresses = sorted({address for address in to if address})
    if not addresses:
        log.warning("E-mail %s has no recipient: not queued", template)
        return None
    languages = tuple(languages or (settings.LANGUAGE_CODE,))
    secrets = secrets or {}
    context = {**context, **{name: secret_placeholder(name) for name in secrets}}
    parts = _rendered(template, languages, context, stencil=stencil, outbox=outbox)
    subjects, texts, htmls = zip(*parts, strict=True)
    email = OutgoingEmail(
        to=addresses,
        subject=" / ".join(dict.fromkeys(subjects))[:255],
        body_text=("\n\n" + "-" * 60 + "\n\n").join(texts),
        body_html="\n<hr>\n".join(htmls),
        template=template,
        language="+".join(languages),
        secrets=secrets,
        message_id=new_message_id(),
    )
    if outbox is not None:
        outbox.rows.append(email)
        return email
    email.save()
    pk = email.pk  # the callback keeps the key, not the row with its bodies
    transaction.on_commit(lambda: send_email.delay(pk))
    return email


def _rendered(
    template: str,
    languages: tuple[str, ...],
    context: dict,
    *,
    stencil: Stencil | None,
    outbox: Outbox | None,
) -> list[tuple[str, str, str]]:
    """(subject, text, html) per language: filled in from the outbox's stencil of this shape
    when there is one, else rendered in full."""
    if stencil is not None and outbox is not None:
        parts = outbox.stencils.parts(
            template=template,
            languages=languages,
            stencil=stencil,
            render=lambda language, ctx: _render(template, language, ctx),
        )
        if parts is not None:
            return parts
    return [_render(template, language, context) for language in languages]


def _render(template: str, language: str, context: dict) -> tuple[str, str, str]:
    """The subject, text body and HTML body in one language."""
    with translation.override(language):
        ctx = {
            **context,
            "language": language,
            "site_url": settings.SITE_URL,
            "komm_email": settings.KOMM_EMAIL,
        }
        return (
            render_to_string(f"emails/{template}-subject.txt", ctx).strip(),
            render_to_string(f"emails/{template}-body.txt", ctx).strip(),
            render_to_string(f"emails/{template}-body.html", ctx).strip(),
        )


def queue_email_to_user(
    *,
    template: str,
    user,
    context: dict,
    stencil: Stencil | None = None,
    outbox: Outbox | None = None,
) -> OutgoingEmail | None:
    """An e-mail to a portal user, in the language they chose in the portal. A stencil's
    context names its own recipient (a stand-in)."""
    return queue_email(
        template=template,
        to=[user.email],
        context={**context, "recipient": user},
        languages=(user.email_language,),
        stencil=stencil,
        outbox=outbox,
    )
