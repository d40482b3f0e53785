import pytest
from django.urls import reverse

from umusocial import views


@pytest.mark.django_db
def test_healthz_is_ok_when_database_and_broker_answer(client, monkeypatch):
    monkeypatch.setattr(views, "_broker_ok", lambda: True)
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_does_not_answer(client, monkeypatch):
    monkeypatch.setattr(views, "_broker_ok", lambda: False)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["broker"] == "error"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_the_language_switch_also_sets_a_users_email_language(client, owner):
    client.force_login(owner)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.language == "en"
    assert owner.email_language == "en"


@pytest.mark.django_db
def test_the_language_switch_ignores_a_language_the_site_does_not_have(client, owner):
    client.force_login(owner)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    owner.refresh_from_db()
    assert owner.language == ""


@pytest.mark.django_db
def test_the_language_switch_is_post_only(client):
    assert client.get(reverse("set_language")).status_code == 405
