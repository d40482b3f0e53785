"""The development mailbox (umusocial.views.devmail_list / devmail_detail): DEBUG only."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import OutgoingEmail


def outgoing(**fields) -> OutgoingEmail:
    return OutgoingEmail.objects.create(
        **{
            "to": ["petra.prefekt@umu.se"],
            "subject": "Godkänn kanalen Fysik för alla",
            "body_text": "Öppna länken: http://testserver/approvals/signoff/abc:def/\nTack!",
            "body_html": '<p>Öppna <a href="http://testserver/approvals/signoff/abc:def/">länken</a>'
            '</p><script>alert("x")</script>',
            "template": "signoff-request",
            "language": "sv+en",
            **fields,
        }
    )


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["list", "detail"])
def test_404_when_debug_is_off(client, settings, name):
    settings.DEBUG = False
    email = outgoing()
    args = [email.pk] if name == "detail" else []
    assert client.get(reverse(f"devmail:{name}", args=args)).status_code == 404


@pytest.mark.django_db
def test_list_shows_subject_recipients_and_status(client, debug):
    outgoing(subject="Still waiting")
    outgoing(subject="Already delivered", sent_at=timezone.now())

    response = client.get(reverse("devmail:list"))

    assert response.status_code == 200
    rows = response.content.decode().split("<tbody>")[1]
    assert "Still waiting" in rows
    assert "Already delivered" in rows
    assert "petra.prefekt@umu.se" in rows
    # Sent or pending in words, not only in colour (Swedish is the default language).
    assert "Skickat" in rows or "Sent" in rows
    assert "Väntar" in rows or "Pending" in rows


@pytest.mark.django_db
def test_list_has_an_empty_state(client, debug):
    response = client.get(reverse("devmail:list"))
    assert response.status_code == 200
    assert "<table" not in response.content.decode()


@pytest.mark.django_db
def test_list_is_paginated(client, debug):
    for n in range(30):
        outgoing(subject=f"Mail number {n:02d}")

    first = client.get(reverse("devmail:list")).content.decode()
    second = client.get(reverse("devmail:list"), {"page": 2}).content.decode()

    assert first.count("Mail number") == 25
    assert second.count("Mail number") == 5
    assert "?page=2" in first


@pytest.mark.django_db
def test_detail_makes_links_clickable_and_sandboxes_the_html(client, debug):
    email = outgoing()

    response = client.get(reverse("devmail:detail", args=[email.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="http://testserver/approvals/signoff/abc:def/"' in page
    iframe = page.split("<iframe", 1)[1].split("</iframe>", 1)[0]
    assert 'sandbox="' in iframe
    assert "allow-scripts" not in iframe
    assert 'title="' in iframe
    # The e-mail's HTML is escaped into srcdoc, never part of the portal's own markup.
    assert "srcdoc=" in iframe
    assert "&lt;script&gt;" in iframe
    assert '<script>alert("x")</script>' not in page


@pytest.mark.django_db
def test_detail_of_a_missing_email_is_404(client, debug):
    assert client.get(reverse("devmail:detail", args=[999])).status_code == 404


# --- Secret links: the stored row has none; the delivered copy in var/mail has them ----------


@pytest.fixture
def file_backend(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    return tmp_path


def secret_email() -> OutgoingEmail:
    from core.models import secret_placeholder

    return outgoing(
        body_text=f"Öppna länken: {secret_placeholder('link')}\nTack!",
        body_html=f'<p><a href="{secret_placeholder("link")}">länken</a></p>',
        secrets={"link": "http://testserver/approvals/signoff/1.secret:xyz/"},
    )


@pytest.mark.django_db
def test_detail_shows_the_delivered_copy_with_its_link(client, debug, file_backend):
    from core.tasks import send_email

    email = secret_email()
    outgoing(subject="Another one, sent after")  # a second message in the mail folder
    send_email(email.pk)
    send_email(OutgoingEmail.objects.get(subject="Another one, sent after").pk)

    page = client.get(reverse("devmail:detail", args=[email.pk])).content.decode()

    assert 'href="http://testserver/approvals/signoff/1.secret:xyz/"' in page
    assert str(file_backend) in page  # says where the delivered copy was read from
    email.refresh_from_db()
    assert email.secrets == {}


@pytest.mark.django_db
def test_detail_without_a_delivered_copy_shows_the_placeholder(client, debug):
    from core.tasks import send_email

    email = secret_email()
    send_email(email.pk)  # locmem backend in tests: no copy on disk

    page = client.get(reverse("devmail:detail", args=[email.pk])).content.decode()

    assert "/approvals/signoff/" not in page
    assert "sent by e-mail, not stored" in page
    assert "var/mail" in page  # tells the developer where to look


@pytest.mark.django_db
def test_list_is_newest_first_and_keeps_one_recipient(client, debug):
    """The README sends people to /dev/mail/?to=petra.prefekt@umu.se for the demo's link."""
    outgoing(subject="Approve the channel")  # to petra.prefekt@umu.se
    outgoing(subject="A later reminder", to=["komm@umu.se"])

    everything = client.get(reverse("devmail:list")).content.decode()
    to_petra = client.get(reverse("devmail:list"), {"to": "petra.prefekt@umu.se"})

    assert everything.index("A later reminder") < everything.index("Approve the channel")
    rows = to_petra.content.decode().split("<tbody>")[1]
    assert "Approve the channel" in rows and "A later reminder" not in rows
