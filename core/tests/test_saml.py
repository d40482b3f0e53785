"""The university's sign-in, a real SAML round trip: the portal sends an AuthnRequest, an
identity provider built with pysaml2 (core.testing.saml) answers with a signed assertion, and
the portal's ACS view (djangosaml2's, with core.saml's backend) consumes it. Whatever is refused
gets a page that says why, and no one is logged in."""

from __future__ import annotations

import base64
import datetime
import shutil

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import Client
from guardian.shortcuts import assign_perm

from core.models import User
from core.people import person_for_email
from core.testing.environment import need
from core.testing.factories import UserFactory
from core.testing.saml import OTHER_SP_ENTITY_ID, FakeIdP, encoded, identity

ACS = "/saml2/acs/"


@pytest.fixture
def idp(settings, tmp_path):
    need("xmlsec1", shutil.which("xmlsec1") is not None, "apt-get install xmlsec1")
    provider = FakeIdP(tmp_path)
    settings.SAML_ENABLED = True
    settings.SAML_CONFIG = provider.sp_config
    return provider


def _start(client, idp) -> str:
    """The portal's side of a sign-in up to the IdP: the id of its AuthnRequest."""
    response = client.get("/saml2/login/", {"next": "/channels/"})
    assert response.status_code == 302
    return idp.request_id(response["Location"])


def _sign_in(client, idp, **attributes):
    request_id = _start(client, idp)
    saml_response = idp.response(in_response_to=request_id, attributes=identity(**attributes))
    return client.post(ACS, {"SAMLResponse": saml_response, "RelayState": "/channels/"})


def _logged_in(client) -> bool:
    return SESSION_KEY in client.session


def _refused(response, text: str) -> None:
    assert response.status_code in (400, 403)
    page = response.content.decode()
    assert "You could not be logged in" in page
    assert text in page


@pytest.mark.django_db
def test_a_member_of_staff_signs_in_and_gets_an_account(client, idp):
    response = _sign_in(client, idp)
    assert response.status_code == 302
    assert response["Location"] == "/channels/"
    user = User.objects.get(eppn="np1234@umu.se")
    assert (user.email, user.first_name, user.last_name) == ("ny.person@umu.se", "Ny", "Persson")
    assert not user.has_usable_password()
    assert client.session[SESSION_KEY] == str(user.pk)


@pytest.mark.django_db
def test_a_known_person_is_found_by_eppn_and_updated(client, idp):
    user = UserFactory(username="np", eppn="np1234@umu.se", email="old@umu.se", last_name="Old")
    _sign_in(client, idp)
    user.refresh_from_db()
    assert (user.email, user.last_name) == ("ny.person@umu.se", "Persson")
    assert User.objects.filter(eppn__isnull=False).count() == 1
    assert client.session[SESSION_KEY] == str(user.pk)


@pytest.mark.django_db
def test_the_first_sign_in_takes_over_a_pending_person_with_their_rights(client, idp, draft):
    pending, created = person_for_email(email="Ny.Person@umu.se")
    assert created and pending.eppn is None
    assign_perm("channels.change_channel", pending, draft)
    _sign_in(client, idp)
    pending.refresh_from_db()
    assert pending.eppn == "np1234@umu.se"
    assert (pending.first_name, pending.last_name) == ("Ny", "Persson")
    assert User.objects.filter(email="ny.person@umu.se").count() == 1
    assert client.session[SESSION_KEY] == str(pending.pk)
    assert pending.has_perm("channels.change_channel", draft)


@pytest.mark.django_db
def test_only_a_display_name_is_enough_for_the_names(client, idp):
    _sign_in(client, idp, givenName=[], sn=[], displayName=["Nora Persson"])
    user = User.objects.get(eppn="np1234@umu.se")
    assert (user.first_name, user.last_name) == ("Nora", "Persson")


@pytest.mark.django_db
def test_a_student_is_refused_with_a_page_that_says_why(client, idp):
    response = _sign_in(client, idp, eduPersonAffiliation=["student", "member"])
    _refused(response, "not employed at Umeå University")
    assert "inte anställd" in response.content.decode()  # the page says it in Swedish too
    assert response.status_code == 403
    assert not _logged_in(client)
    assert not User.objects.filter(eppn="np1234@umu.se").exists()


@pytest.mark.django_db
def test_a_tampered_response_is_refused(client, idp):
    request_id = _start(client, idp)
    good = idp.response(in_response_to=request_id, attributes=identity())
    xml = base64.b64decode(good).decode()
    assert "np1234@umu.se" in xml
    forged = encoded(xml.replace("np1234@umu.se", "admin@umu.se"))
    response = client.post(ACS, {"SAMLResponse": forged})
    _refused(response, "could not be verified")
    assert not _logged_in(client)
    assert not User.objects.filter(eppn__isnull=False).exists()


@pytest.mark.django_db
def test_a_response_signed_by_another_key_is_refused(client, idp, tmp_path):
    (tmp_path / "impostor").mkdir()
    impostor = FakeIdP(tmp_path / "impostor")
    request_id = _start(client, idp)
    forged = impostor.response(in_response_to=request_id, attributes=identity())
    response = client.post(ACS, {"SAMLResponse": forged})
    _refused(response, "could not be verified")
    assert not _logged_in(client)


@pytest.mark.django_db
def test_a_response_meant_for_another_service_is_refused(client, idp):
    request_id = _start(client, idp)
    saml_response = idp.response(
        in_response_to=request_id, attributes=identity(), audience=OTHER_SP_ENTITY_ID
    )
    response = client.post(ACS, {"SAMLResponse": saml_response})
    _refused(response, "could not be verified")
    assert not _logged_in(client)
    assert not User.objects.filter(eppn__isnull=False).exists()


@pytest.mark.django_db
def test_an_expired_assertion_is_refused(client, idp):
    request_id = _start(client, idp)
    saml_response = idp.response(in_response_to=request_id, attributes=identity())
    later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=2)
    with time_machine.travel(later):
        response = client.post(ACS, {"SAMLResponse": saml_response})
    _refused(response, "too old or not yet valid")
    assert not _logged_in(client)


@pytest.mark.django_db
def test_an_assertion_not_yet_valid_is_refused(client, idp):
    request_id = _start(client, idp)
    later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=2)
    with time_machine.travel(later):
        saml_response = idp.response(in_response_to=request_id, attributes=identity())
    response = client.post(ACS, {"SAMLResponse": saml_response})
    _refused(response, "too old or not yet valid")
    assert not _logged_in(client)


@pytest.mark.django_db
def test_a_replayed_assertion_is_refused(client, idp):
    request_id = _start(client, idp)
    saml_response = idp.response(in_response_to=request_id, attributes=identity())
    assert client.post(ACS, {"SAMLResponse": saml_response}).status_code == 302
    client.logout()
    response = client.post(ACS, {"SAMLResponse": saml_response})
    _refused(response, "already been used")
    assert not _logged_in(client)


@pytest.mark.django_db
def test_a_response_to_a_request_never_made_is_refused(client, idp):
    _start(client, idp)
    saml_response = idp.response(in_response_to="id-the-portal-never-sent", attributes=identity())
    response = client.post(ACS, {"SAMLResponse": saml_response})
    _refused(response, "does not belong to a login started here")
    assert not _logged_in(client)


@pytest.mark.django_db
def test_an_unsolicited_response_is_refused(client, idp):
    saml_response = idp.response(in_response_to="id-1", attributes=identity())
    response = client.post(ACS, {"SAMLResponse": saml_response})
    _refused(response, "does not belong to a login started here")
    assert not _logged_in(client)


@pytest.mark.django_db
def test_the_sp_metadata_is_served(client, idp):
    response = client.get("/saml2/metadata/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "http://testserver/saml2/metadata/" in page
    assert "http://testserver/saml2/acs/" in page


@pytest.mark.django_db
def test_without_saml_its_endpoints_do_not_exist(client):
    for url in ("/saml2/login/", "/saml2/metadata/"):
        assert client.get(url).status_code == 404
    assert client.post(ACS, {"SAMLResponse": "x"}).status_code == 404


@pytest.mark.django_db
def test_the_login_page_offers_the_university_sign_in(client, idp):
    page = client.get("/accounts/login/").content.decode()
    assert "Log in with your university account" in page
    assert 'href="/saml2/login/' in page


@pytest.mark.django_db
def test_the_identity_providers_post_needs_no_csrf_token(idp):
    """The IdP posts the response from its own site: it cannot carry the portal's token."""
    client = Client(enforce_csrf_checks=True)
    response = _sign_in(client, idp)
    assert response.status_code == 302
    assert _logged_in(client)
