"""The public registry: the directory and "is this account official?", without logging in."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from channels.models import Channel, Unit
from channels.testing.factories import ChannelFactory, UnitFactory, platform

pytestmark = pytest.mark.django_db
S = Channel.State


@pytest.fixture
def faculty():
    return UnitFactory(name="Teknat", name_en="Science and Technology", kind=Unit.Kind.FACULTY)


@pytest.fixture
def physics(faculty):
    return UnitFactory(name="Fysik", name_en="Physics", parent=faculty, public_email="fysik@umu.se")


@pytest.fixture
def register(owner, physics, faculty):
    """One channel in each state the public may or may not see."""

    def make(name, state, address, unit=physics, **extra):
        return ChannelFactory(
            name=name,
            state=state,
            address=address,
            created_by=owner,
            sender_unit=unit,
            platform=platform(extra.pop("slug", "instagram")),
            **extra,
        )

    return {
        "active": make(
            "Fysik på Instagram",
            S.ACTIVE,
            "https://www.instagram.com/umu_fysik",
            address_is_planned=False,
            language="en",
        ),
        "approved": make(
            "Teknat på LinkedIn",
            S.APPROVED,
            "https://www.linkedin.com/company/umu-teknat",
            unit=faculty,
            slug="linkedin",
        ),
        "closed": make(
            "Humanistdagen",
            S.CLOSED,
            "https://x.com/umu_humanistdagen",
            slug="x",
            closed_at=timezone.make_aware(datetime.datetime(2025, 3, 1, 12)),
        ),
        "draft": make("Hemligt utkast", S.DRAFT, "https://www.instagram.com/umu_draft"),
        "pending": make("Väntande kanal", S.AWAITING_KOMM, "https://www.instagram.com/umu_wait"),
        "rejected": make("Avslagen kanal", S.REJECTED, "https://www.instagram.com/umu_nej"),
    }


def test_directory_shows_official_and_closed_channels_only(client, register, owner):
    response = client.get(reverse("public:directory"))
    assert response.status_code == 200
    text = response.content.decode()
    for name in ("Fysik på Instagram", "Teknat på LinkedIn", "Humanistdagen"):
        assert name in text
    for name in ("Hemligt utkast", "Väntande kanal", "Avslagen kanal"):
        assert name not in text
    assert "Closed since 2025-03-01" in text
    assert 'href="https://www.instagram.com/umu_fysik" rel="noopener"' in text
    # Nothing of people: no names, addresses or phone numbers of the channel's people.
    assert owner.email not in text and owner.display_name not in text
    assert "090-786" not in text and "petra.prefekt" not in text
    # The unit's functional address; a unit without one has its parent's or Komm's.
    assert "fysik@umu.se" in text and "komm@umu.se" in text


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({"platform": "linkedin"}, {"Teknat på LinkedIn"}),
        ({"language": "en"}, {"Fysik på Instagram"}),
        ({"q": "humanist"}, {"Humanistdagen"}),
        ({"q": "@umu_fysik"}, {"Fysik på Instagram"}),
        ({"q": "instagram.com/UMU_FYSIK/"}, {"Fysik på Instagram"}),
        (
            {"platform": "no-such-platform"},
            {"Fysik på Instagram", "Teknat på LinkedIn", "Humanistdagen"},
        ),
    ],
)
def test_directory_filters(client, register, query, shown):
    page = client.get(reverse("public:directory"), query)
    names = {e["channel"].name for e in page.context["entries"]}
    assert names == shown


def test_directory_unit_filter_includes_sub_units(client, register, faculty, physics):
    url = reverse("public:directory")
    by_faculty = client.get(url, {"unit": faculty.pk}).context["entries"]
    assert {e["channel"].name for e in by_faculty} == {
        "Fysik på Instagram",
        "Teknat på LinkedIn",
        "Humanistdagen",
    }
    by_physics = client.get(url, {"unit": physics.pk}).context["entries"]
    assert "Teknat på LinkedIn" not in {e["channel"].name for e in by_physics}


def test_a_units_new_contact_address_shows_at_once(client, register, physics, faculty):
    """The contacts are kept with the register's version, which a unit's change renews."""
    url = reverse("public:directory")

    def contacts() -> set[str]:
        return {entry["contact"] for entry in client.get(url).context["entries"]}

    assert "fysik@umu.se" in contacts()
    physics.public_email = ""
    physics.save()
    faculty.public_email = "teknat@umu.se"
    faculty.save()

    assert "fysik@umu.se" not in contacts()
    assert "teknat@umu.se" in contacts()  # the parent's, now that the unit has none


def test_directory_is_paginated_with_a_constant_number_of_queries(client, register, owner, physics):
    url = reverse("public:directory")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(30):
        ChannelFactory(
            name=f"Kanal {n:02}",
            state=S.ACTIVE,
            address_is_planned=False,
            created_by=owner,
            sender_unit=physics,
        )
    # The page, its count, the units' contacts and the ETag's fingerprint: no query per entry
    # (platform, unit or contact), so 3 entries or 25 cost the same. Both with nothing kept:
    # the list of units is kept until a unit changes (channels.selectors.unit_choices).
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert len(many) == len(few) <= 12
    assert len(page.context["entries"]) == 25
    assert client.get(url, {"page": 2}).context["page_obj"].number == 2


def test_directory_caches_and_answers_a_conditional_get_with_304(client, register):
    url = reverse("public:directory")
    first = client.get(url)
    assert "max-age=300" in first["Cache-Control"] and "public" in first["Cache-Control"]
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    # A change of the register makes the old ETag stale.
    register["active"].name = "Fysik, nytt namn"
    register["active"].save()
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_the_registers_version_and_total_are_read_once_until_it_changes(client, register, physics):
    url = reverse("public:directory")
    client.get(url)
    with CaptureQueriesContext(connection) as steady:
        client.get(url)
    assert not [q for q in steady if "COUNT(" in q["sql"].upper()]  # kept with the version

    physics.name_en = "Department of Physics, renamed"
    physics.save()  # a unit has no timestamp: its values are in the version
    with CaptureQueriesContext(connection) as changed:
        page = client.get(url)
    assert [q for q in changed if "COUNT(" in q["sql"].upper()]
    assert "Department of Physics, renamed" in page.content.decode()


def test_a_signed_in_persons_page_is_cached_privately(client, register, owner):
    client.force_login(owner)
    response = client.get(reverse("public:directory"))
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("typed", "verdict", "name"),
    [
        ("https://www.instagram.com/umu_fysik", "official", "Fysik på Instagram"),
        ("instagram.com/UMU_Fysik/?hl=sv", "official", "Fysik på Instagram"),
        ("@umu_fysik", "official", "Fysik på Instagram"),
        ("linkedin.com/school/UMU-Teknat/", "official", "Teknat på LinkedIn"),
        ("https://twitter.com/umu_humanistdagen", "closed", "Humanistdagen"),
        ("https://www.instagram.com/umu_draft", "unknown", None),
        ("https://www.instagram.com/umu_wait", "unknown", None),
        ("https://www.instagram.com/umu_nej", "unknown", None),
        ("https://www.instagram.com/umu_fake", "unknown", None),
    ],
)
def test_verify(client, register, typed, verdict, name):
    response = client.get(reverse("public:verify"), {"url": typed})
    assert response.status_code == 200
    assert response.context["verdict"].kind == verdict
    entries = response.context["entries"]
    assert [e["channel"].name for e in entries] == ([name] if name else [])


def test_verify_page_without_a_question_shows_the_form(client, register):
    response = client.get(reverse("public:verify"))
    assert response.context["verdict"] is None
    assert 'name="url"' in response.content.decode()


def test_verify_says_closed_since_when(client, register):
    text = client.get(reverse("public:verify"), {"url": "x.com/umu_humanistdagen"}).content
    assert "no longer speaks" in text.decode() and "Closed since 2025-03-01" in text.decode()


def test_the_home_page_links_the_directory_and_verify(client):
    text = client.get(reverse("home")).content.decode()
    assert reverse("public:directory") in text and reverse("public:verify") in text


def test_the_api_docs_page_lists_every_endpoint_of_the_served_schema(client, owner):
    active = ChannelFactory(state=S.ACTIVE, address_is_planned=False, created_by=owner)
    page = client.get(reverse("public:api_docs"))
    assert page.status_code == 200
    served = client.get("/api/v1/openapi.json").json()["paths"]
    endpoints = page.context["endpoints"]
    assert [e.path for e in endpoints] == list(served)
    channels = next(e for e in endpoints if e.path == "/api/v1/channels")
    parameters = {p.name: p for p in channels.parameters}
    assert set(parameters) == {"q", "platform", "unit", "language", "page", "after"}
    assert "“next”" in parameters["after"].text  # each parameter is explained
    assert ("results", "list[ChannelOut]") in channels.fields
    assert ("next", "string | null") in channels.fields
    text = page.content.decode()
    assert "/api/v1/verify?url=https://twitter.com/umu_humanistdagen" in text
    assert f'href="/api/v1/channels/{active.pk}"' in text  # an example that answers
    assert page["ETag"]
    swedish = client.get(reverse("public:api_docs"), HTTP_ACCEPT_LANGUAGE="sv")
    assert "Det öppna API:et" in swedish.content.decode()
