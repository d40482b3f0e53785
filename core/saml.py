"""Sign-in with the university's identity provider (SAML 2.0, djangosaml2 on pysaml2).

The backend keys people on eduPersonPrincipalName (`User.eppn`), the stable identifier. The first
sign-in of someone the portal does not know by eppn takes over the account with their address
that has no eppn yet (a pending person named as a deputy or responsible person before they ever
signed in, or a local account from before the university's sign-in), so the rights given to that
account are theirs at once. Only staff may sign in (eduPersonAffiliation); anyone else is refused
before an account is touched.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from djangosaml2.backends import Saml2Backend

from core.models import User

logger = logging.getLogger(__name__)


def affiliations(attributes: dict) -> set[str]:
    """The person's affiliations, scoped ones ("employee@umu.se") without their scope."""
    values = list(attributes.get("eduPersonAffiliation", []))
    values += [v.partition("@")[0] for v in attributes.get("eduPersonScopedAffiliation", [])]
    return {value.strip().lower() for value in values if value}


def is_staff_member(attributes: dict) -> bool:
    """Only members of staff may register channels (settings.SAML_STAFF_AFFILIATIONS)."""
    return bool(affiliations(attributes) & set(settings.SAML_STAFF_AFFILIATIONS))


def _first(attributes: dict, name: str) -> str:
    values = attributes.get(name) or [""]
    return str(values[0] or "").strip()


class UniversityBackend(Saml2Backend):
    """djangosaml2's backend, keyed on eppn, taking over pending people by their address."""

    def clean_attributes(self, attributes: dict, idp_entityid: str, **kwargs) -> dict:
        # Some identity providers send only displayName: split it into given name and surname.
        cleaned = dict(attributes)
        display = _first(attributes, "displayName")
        if display and not (_first(attributes, "givenName") or _first(attributes, "sn")):
            given, _, surname = display.partition(" ")
            cleaned["givenName"], cleaned["sn"] = [given], [surname]
        return cleaned

    def is_authorized(
        self,
        attributes: dict,
        attribute_mapping: dict,
        idp_entityid: str,
        assertion_info: dict,
        **kwargs,
    ) -> bool:
        if not is_staff_member(attributes):
            logger.info("SAML sign-in refused: affiliations %s", sorted(affiliations(attributes)))
            return False
        return True

    def clean_user_main_attribute(self, main_attribute: Any) -> Any:
        return str(main_attribute).strip().lower() if main_attribute else main_attribute

    def get_or_create_user(
        self,
        user_lookup_key: str,
        user_lookup_value: Any,
        create_unknown_user: bool,
        idp_entityid: str,
        attributes: dict,
        attribute_mapping: dict,
        request,
    ) -> tuple[User | None, bool]:
        email = _first(attributes, "mail").lower()
        user = User.objects.filter(eppn=user_lookup_value).first()
        if user is None and email:
            user = _take_over(email=email, eppn=user_lookup_value)
        if user is None:
            if not create_unknown_user:
                return None, False
            user = User(username=user_lookup_value, eppn=user_lookup_value)
            user.set_unusable_password()
            created = True
        else:
            created = False
        if email and email != user.email and _address_free(email, user):
            user.email = email
            if not created:
                user.save(update_fields=["email"])
        return user, created


def _take_over(*, email: str, eppn: str) -> User | None:
    """The account with this address that no sign-in has claimed yet, now claimed by `eppn`."""
    user = User.objects.filter(email__iexact=email, eppn__isnull=True).order_by("pk").first()
    if user is not None:
        user.eppn = eppn
        user.save(update_fields=["eppn"])
        logger.info("SAML sign-in of %s took over the account %s", eppn, user.pk)
    return user


def _address_free(email: str, user: User) -> bool:
    return not User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists()
