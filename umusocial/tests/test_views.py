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
