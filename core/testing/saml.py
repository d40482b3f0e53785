"""An identity provider for tests, built with pysaml2: it signs real SAML responses that the
portal's ACS view (djangosaml2's) must check, as the university's identity provider would.

Keys and certificates are made afresh for every test run (`cryptography`), so no secret is kept
in the repository. The portal's SP configuration is the production one (core.saml_config).
"""

from __future__ import annotations

import base64
import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import saml2
import saml2.xmldsig
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2.config import IdPConfig, SPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_TRANSIENT, NameID
from saml2.server import Server

from core.saml_config import sp_config

IDP_ENTITY_ID = "https://idp.test.umu.se/idp/shibboleth"
IDP_SSO_URL = "https://idp.test.umu.se/idp/profile/SAML2/Redirect/SSO"
SP_ENTITY_ID = "http://testserver/saml2/metadata/"
ACS_URL = "http://testserver/saml2/acs/"
# Another service of the same federation: a response meant for it must not open the portal.
OTHER_SP_ENTITY_ID = "https://other-service.test.umu.se/saml2/metadata/"


def key_pair(folder: Path, name: str) -> tuple[str, str]:
    """A throwaway RSA key and a self-signed certificate for it, as PEM files."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = folder / f"{name}.key", folder / f"{name}.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(key_file), str(cert_file)


def _idp_config(key_file: str, cert_file: str, sp_metadata: list[str]) -> dict:
    config: dict = {
        "entityid": IDP_ENTITY_ID,
        "service": {
            "idp": {
                "name": "Test IdP",
                "endpoints": {
                    "single_sign_on_service": [(IDP_SSO_URL, saml2.BINDING_HTTP_REDIRECT)],
                },
                # Attributes by their urn:oid names, as SWAMID's identity providers send them.
                "policy": {"default": {"lifetime": {"minutes": 15}, "name_form": NAME_FORMAT_URI}},
                "name_id_format": [NAMEID_FORMAT_TRANSIENT],
            },
        },
        "key_file": key_file,
        "cert_file": cert_file,
    }
    if sp_metadata:
        config["metadata"] = {"inline": sp_metadata}
    return config


class FakeIdP:
    """The identity provider and the portal's SP configuration that trusts it."""

    def __init__(self, folder: Path) -> None:
        idp_key, idp_cert = key_pair(folder, "idp")
        sp_key, sp_cert = key_pair(folder, "sp")
        idp_metadata = folder / "idp-metadata.xml"
        bare_idp = IdPConfig().load(_idp_config(idp_key, idp_cert, []))
        idp_metadata.write_text(str(entity_descriptor(bare_idp)))
        self.sp_config = sp_config(
            entity_id=SP_ENTITY_ID,
            site_url="http://testserver",
            idp_metadata=str(idp_metadata),
            key_file=sp_key,
            cert_file=sp_cert,
        )
        other_sp = {**self.sp_config, "entityid": OTHER_SP_ENTITY_ID}
        sp_metadata = [
            str(entity_descriptor(SPConfig().load(c))) for c in (self.sp_config, other_sp)
        ]
        self.server = Server(config=IdPConfig().load(_idp_config(idp_key, idp_cert, sp_metadata)))

    def request_id(self, login_redirect: str) -> str:
        """The id of the AuthnRequest the portal sent, read from its redirect to the IdP."""
        query = parse_qs(urlparse(login_redirect).query)
        request = self.server.parse_authn_request(
            query["SAMLRequest"][0], saml2.BINDING_HTTP_REDIRECT
        )
        return request.message.id

    def response(self, *, in_response_to: str, attributes: dict, audience: str = SP_ENTITY_ID):
        """A response with a signed assertion, base64-encoded as the browser posts it."""
        xml = self.server.create_authn_response(
            identity=attributes,
            in_response_to=in_response_to,
            destination=ACS_URL,
            sp_entity_id=audience,
            name_id=NameID(format=NAMEID_FORMAT_TRANSIENT, text="transient-1"),
            authn={"class_ref": saml2.saml.AUTHN_PASSWORD_PROTECTED, "authn_auth": IDP_ENTITY_ID},
            sign_response=True,
            sign_assertion=True,
            sign_alg=saml2.xmldsig.SIG_RSA_SHA256,
            digest_alg=saml2.xmldsig.DIGEST_SHA256,
        )
        return encoded(str(xml))


def identity(**overrides) -> dict:
    """What the IdP asserts about a member of staff, by friendly names."""
    values = {
        "eduPersonPrincipalName": ["np1234@umu.se"],
        "mail": ["ny.person@umu.se"],
        "givenName": ["Ny"],
        "sn": ["Persson"],
        "displayName": ["Ny Persson"],
        "eduPersonAffiliation": ["employee", "member"],
    }
    values.update({key: value for key, value in overrides.items() if value is not None})
    return {key: value for key, value in values.items() if value != []}


def encoded(xml: str) -> str:
    return base64.b64encode(xml.encode()).decode()
