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

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from core.models import OutgoingEmail, secret_placeholder

BOTH_LANGUAGES = ("sv", "en")


def absolute_url(path: str) -> str:
    """An absolute URL for a link in an e-mail, built from SITE_URL."""
    return f"{settings.SITE_URL}{path}"


def queue_email(
    *,
    template: str,
    to: Iterable[str],
    context: dict,
    languages: Sequence[str] | None = None,
    secrets: dict[str, str] | None = None,
) -> OutgoingEmail:
    """Render an e-mail, store it in the outbox and send it once the transaction commits.

    `secrets` are template variables kept out of the stored bodies until delivery."""
    from core.tasks import send_email  # tasks import models; keep import cycles away

    languages = languages or (settings.LANGUAGE_CODE,)
    secrets = secrets or {}
    context = {**context, **{name: secret_placeholder(name) for name in secrets}}
    recipients = sorted({address for address in to if address})
    subjects, texts, htmls = [], [], []
    for language in languages:
        with translation.override(language):
            ctx = {
                **context,
                "language": language,
                "site_url": settings.SITE_URL,
                "komm_email": settings.KOMM_EMAIL,
            }
            subjects.append(render_to_string(f"emails/{template}-subject.txt", ctx).strip())
            texts.append(render_to_string(f"emails/{template}-body.txt", ctx).strip())
            htmls.append(render_to_string(f"emails/{template}-body.html", ctx).strip())
    email = OutgoingEmail.objects.create(
        to=recipients,
        subject=" / ".join(dict.fromkeys(subjects))[:255],
        body_text=("\n\n" + "-" * 60 + "\n\n").join(texts),
        body_html="\n<hr>\n".join(htmls),
        template=template,
        language="+".join(languages),
        secrets=secrets,
    )
    transaction.on_commit(lambda: send_email.delay(email.pk))
    return email


def queue_email_to_user(*, template: str, user, context: dict) -> OutgoingEmail:
    """An e-mail to a portal user, in the language they chose in the portal."""
    return queue_email(
        template=template,
        to=[user.email],
        context={**context, "recipient": user},
        languages=(user.email_language,),
    )
