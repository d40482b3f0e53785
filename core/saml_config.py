"""The pysaml2 configuration of the portal as a service provider, built from the environment.

Settings import this module, so it imports nothing of Django's models: only pysaml2's constants.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import saml2
import saml2.saml
import saml2.xmldsig
from django.core.exceptions import ImproperlyConfigured

# What the backend reads from the identity provider's assertion, by pysaml2's friendly names.
# The backend fills in the e-mail address itself (it must not clash with another account).
ATTRIBUTE_MAPPING = {
    "eduPersonPrincipalName": ("eppn",),
    "givenName": ("first_name",),
    "sn": ("last_name",),
    "employeeNumber": ("employee_id",),
}


def sp_config(
    *,
    entity_id: str,
    site_url: str,
    idp_metadata: str,
    key_file: str,
    cert_file: str,
    attribute_map_dir: str = "",
    name: str = "umusocial",
) -> dict:
    """pysaml2's SP configuration: signed assertions required, POST binding to the ACS.

    `idp_metadata` is a file or an http(s) URL. Without `attribute_map_dir`, pysaml2's own maps
    are used; they know the urn:oid names SWAMID's identity providers send.
    """
    if idp_metadata.startswith(("https://", "http://")):
        metadata: dict = {"remote": [{"url": idp_metadata}]}
    else:
        metadata = {"local": [idp_metadata]}
    config: dict = {
        "xmlsec_binary": shutil.which("xmlsec1") or "/usr/bin/xmlsec1",
        "entityid": entity_id,
        "service": {"sp": _sp_service(site_url=site_url, name=name)},
        "metadata": metadata,
        "key_file": key_file,
        "cert_file": cert_file,
        "encryption_keypairs": [{"key_file": key_file, "cert_file": cert_file}],
        # Seconds of clock difference with the identity provider that are tolerated.
        "accepted_time_diff": 60,
    }
    if attribute_map_dir:
        config["attribute_map_dir"] = attribute_map_dir
    for path in (key_file, cert_file, *metadata.get("local", [])):
        if not Path(path).is_file():
            raise ImproperlyConfigured(f"SAML: the file {path} does not exist.")
    return config


def _sp_service(*, site_url: str, name: str) -> dict:
    """Signed requests out; signed assertions in, to the ACS by POST; no unsolicited answers."""
    return {
        "name": name,
        "name_id_format": saml2.saml.NAMEID_FORMAT_TRANSIENT,
        "endpoints": {
            "assertion_consumer_service": [(f"{site_url}/saml2/acs/", saml2.BINDING_HTTP_POST)],
        },
        "allow_unsolicited": False,
        "signing_algorithm": saml2.xmldsig.SIG_RSA_SHA256,
        "digest_algorithm": saml2.xmldsig.DIGEST_SHA256,
        "authn_requests_signed": True,
        "want_assertions_signed": True,
        "want_response_signed": False,
        "required_attributes": ["eduPersonPrincipalName", "mail", "eduPersonAffiliation"],
        "optional_attributes": ["givenName", "sn", "displayName", "employeeNumber"],
    }
