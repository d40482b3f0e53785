"""Between the dry run and the confirmation the file is kept nowhere on the server: the dry
run's page carries its text in a signed token (salted with the user, so only whoever uploaded
it can confirm it; timed, so an old page cannot be confirmed), and the confirmation checks the
rows again against the register as it is then."""

from __future__ import annotations

from django.core import signing
from django.utils.translation import gettext as _

from channels.register.importing.parse import ImportFileError, decode

TOKEN_MAX_AGE_SECONDS = 60 * 60


def _salt(user) -> str:
    return f"channels.register.import:{user.pk}"


def import_token(*, data: bytes | str, user) -> str:
    text = decode(data) if isinstance(data, bytes) else data
    return signing.dumps(text, salt=_salt(user), compress=True)


def import_text_from_token(*, token: str, user) -> str:
    """The file's text, or ImportFileError when the token is not this user's, altered or old."""
    try:
        return signing.loads(token, salt=_salt(user), max_age=TOKEN_MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        raise ImportFileError(
            _("The dry run is more than an hour old: upload the file again.")
        ) from None
    except signing.BadSignature:
        raise ImportFileError(
            _("The dry run could not be confirmed: upload the file again.")
        ) from None
