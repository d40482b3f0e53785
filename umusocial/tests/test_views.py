import pytest
from django.urls import reverse

from core.testing.html import page_title
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


# --- each person's start page ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "start"),
    [
        ("owner", "channels:my_channels"),
        ("komm", "approvals:queue"),
        ("admin_user", "approvals:queue"),
    ],
)
def test_home_sends_each_person_to_their_start_page(client, request, persona, start):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("home"))["Location"] == reverse(start)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "start"), [("owner", "channels:my_channels"), ("komm", "approvals:queue")]
)
def test_logging_in_lands_on_the_persons_start_page(client, request, persona, start):
    user = request.getfixturevalue(persona)
    user.set_password("pw-for-this-test")
    user.save()
    response = client.post(
        reverse("login"),
        {"username": user.get_username(), "password": "pw-for-this-test"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse(start)


@pytest.mark.django_db
def test_komms_queue_links_the_register(client, komm):
    client.force_login(komm)
    page = client.get(reverse("approvals:queue")).text
    assert f'href="{reverse("channels:register")}"' in page


@pytest.mark.django_db
def test_favicon_is_shipped_linked_and_found_at_the_usual_address(client):
    """No page logs a missing /favicon.ico: the icon is a static file every page links."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    icon.close()  # WhiteNoise streams the file
    assert f'<link rel="icon" href="{response["Location"]}"' in client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("sv", "Officiella kanaler i sociala medier – umusocial · Umeå universitet"),
        ("en", "Official social media channels – umusocial · Umeå University"),
    ],
)
def test_the_title_names_the_page_then_the_site(client, lang, title):
    """The permission matrix checks every page's title in English; here the words, in both."""
    page = client.get("/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert page_title(page) == title
