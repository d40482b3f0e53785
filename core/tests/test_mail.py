"""core.mail: rendering e-mails in the recipient's language, the outbox, on-commit sending."""

from __future__ import annotations

import copy

import pytest
from django.core import mail
from django.db import transaction

from approvals.models import KommReview, PrefectSignoff
from core.mail import absolute_url, queue_email, queue_email_to_user
from core.models import OutgoingEmail

PROBE = {
    # The active translation and the context the templates get, made visible.
    "probe-subject.txt": "{% load i18n %}{% get_current_language as L %}Subject {{ L }}",
    "probe-body.txt": "{% load i18n %}{% get_current_language as L %}text {{ L }} {{ language }}"
    " {{ site_url }} {{ komm_email }} {{ thing }}",
    "probe-body.html": '{% load i18n %}{% get_current_language as L %}<p lang="{{ L }}">html</p>',
    "same-subject.txt": "Always the same",
    "same-body.txt": "body {{ language }}",
    "same-body.html": "",
}


@pytest.fixture
def probe_templates(tmp_path, settings):
    folder = tmp_path / "emails"
    folder.mkdir()
    for name, text in PROBE.items():
        (folder / name).write_text(text)
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates


def test_absolute_url_uses_site_url(settings):
    settings.SITE_URL = "https://sociala.umu.se"
    assert absolute_url("/channels/1/") == "https://sociala.umu.se/channels/1/"


def test_renders_in_the_requested_language(db, probe_templates):
    email = queue_email(template="probe", to=["a@umu.se"], context={"thing": 42}, languages=["en"])

    email.refresh_from_db()
    assert email.subject == "Subject en"
    assert email.body_text == "text en en http://testserver komm@umu.se 42"
    assert email.body_html == '<p lang="en">html</p>'
    assert email.language == "en"


@pytest.mark.parametrize("to", [[], [""], ["", ""]])
def test_an_email_to_nobody_is_not_queued(
    db, probe_templates, django_capture_on_commit_callbacks, to
):
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_email(template="probe", to=to, context={}) is None

    assert not OutgoingEmail.objects.exists()
    assert mail.outbox == []


def test_the_default_language_is_swedish(db, probe_templates, settings):
    settings.LANGUAGE_CODE = "sv"  # the site's own default, which the test suite sets to English
    email = queue_email(template="probe", to=["a@umu.se"], context={})
    assert email.subject == "Subject sv"
    assert email.language == "sv"


def test_several_languages_go_into_one_mail_in_order(db, probe_templates):
    email = queue_email(template="probe", to=["a@umu.se"], context={}, languages=("sv", "en"))

    email.refresh_from_db()
    assert email.subject == "Subject sv / Subject en"
    sv, en = email.body_text.split("\n\n" + "-" * 60 + "\n\n")
    assert sv.startswith("text sv sv")
    assert en.startswith("text en en")
    assert email.body_html == '<p lang="sv">html</p>\n<hr>\n<p lang="en">html</p>'
    assert email.language == "sv+en"


def test_an_identical_subject_is_not_repeated(db, probe_templates):
    email = queue_email(template="same", to=["a@umu.se"], context={}, languages=("sv", "en"))
    assert email.subject == "Always the same"
    assert email.body_html == "\n<hr>\n"  # both HTML parts are empty


def test_stores_the_recipients_once_each(db, probe_templates):
    email = queue_email(template="probe", to=["b@umu.se", "", "a@umu.se", "b@umu.se"], context={})

    stored = OutgoingEmail.objects.get()
    assert stored.pk == email.pk
    assert stored.to == ["a@umu.se", "b@umu.se"]
    assert stored.template == "probe"
    assert (stored.sent_at, stored.attempts, stored.last_error) == (None, 0, "")


def test_sends_only_when_the_transaction_commits(
    db, probe_templates, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = queue_email(template="probe", to=["a@umu.se"], context={}, languages=["sv"])
        assert mail.outbox == []

    assert len(callbacks) == 1
    assert mail.outbox == []
    email.refresh_from_db()
    assert email.sent_at is None

    callbacks[0]()

    [sent] = mail.outbox
    assert (sent.subject, sent.to) == ("Subject sv", ["a@umu.se"])
    email.refresh_from_db()
    assert email.sent_at is not None


def test_nothing_is_stored_or_sent_when_the_transaction_rolls_back(
    db, probe_templates, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue_email(template="probe", to=["a@umu.se"], context={})
        raise RuntimeError("the change that caused the e-mail failed")

    assert callbacks == []
    assert not OutgoingEmail.objects.exists()
    assert mail.outbox == []


def test_a_user_gets_mail_in_the_language_of_their_profile(
    db, owner, colleague, probe_templates, settings
):
    settings.LANGUAGE_CODE = "sv"  # the site's own default, which the test suite sets to English
    owner.language = "en"
    owner.save()

    to_owner = queue_email_to_user(template="probe", user=owner, context={})
    to_colleague = queue_email_to_user(template="probe", user=colleague, context={})

    assert (to_owner.language, to_owner.to) == ("en", [owner.email])
    assert (to_colleague.language, to_colleague.subject) == ("sv", "Subject sv")


# --- The shipped templates -------------------------------------------------------------------

TEMPLATES = [
    "signoff-request",
    "signoff-approved",
    "signoff-declined",
    "komm-new-in-queue",
    "review-approved",
    "review-changes-requested",
    "review-rejected",
]


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_e_mail_renders_in_both_languages_without_html_escapes_in_text(
    template, draft, owner
):
    draft.name = 'R&D <Lab> "Ute"'
    draft.save()
    signoff = PrefectSignoff(
        pk=1,
        channel=draft,
        prefect_name="Petra Prefekt",
        prefect_email="petra.prefekt@umu.se",
        responsible=owner,
        requested_by=owner,
        expires_at=draft.created_at,
        decided_at=draft.created_at,
        reason="Too little time & money.",
    )
    review = KommReview(channel=draft, decision="approved", comment="Fine & dandy.", case_number="")
    context = {
        "channel": draft,
        "signoff": signoff,
        "review": review,
        "recipient": owner,
        "link": "http://testserver/the-link/",
    }

    email = queue_email(template=template, to=["x@umu.se"], context=context, languages=("sv", "en"))

    assert "R&D <Lab>" in email.subject
    assert "\n" not in email.subject
    assert "&amp;" not in email.body_text and "&lt;" not in email.body_text
    assert "R&D <Lab>" in email.body_text
    assert "R&amp;D &lt;Lab&gt;" in email.body_html
    assert '<div lang="sv"' in email.body_html and '<div lang="en"' in email.body_html
    assert "http://testserver/" in email.body_text  # every e-mail carries an absolute link
    assert 'href="http://testserver/' in email.body_html


def test_each_email_gets_its_message_id_when_it_is_queued(db, probe_templates, settings):
    settings.SITE_URL = "https://sociala.umu.se"
    first = queue_email(template="same", to=["a@umu.se"], context={})
    second = queue_email(template="same", to=["a@umu.se"], context={})

    assert first.message_id.endswith("@sociala.umu.se>")
    assert first.message_id != second.message_id
    assert OutgoingEmail.objects.get(pk=first.pk).message_id == first.message_id
