"""People named by their university address before they have ever signed in.

Naming a deputy or a responsible person must not wait for them to log in once: a person named
by an address no account has yet becomes a *pending person*, a user with that address, no
password and no `eppn`. Rights are given to that user at once; the first sign-in with the
university's identity provider that asserts the address takes the user over (`core.saml`), so
the rights are already in place. Channels and approvals both name people, so this lives in core.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

User = get_user_model()


def person_for_email(*, email: str):
    """The active user with this address, or a new pending person for it.

    The caller has checked that the address is a university one (settings.STAFF_EMAIL_DOMAINS).
    Returns (user, created).
    """
    address = email.strip().lower()
    user = User.objects.filter(email__iexact=address).order_by("pk").first()
    if user is not None:
        return user, False
    first, _, last = address.partition("@")[0].replace("_", ".").partition(".")
    user = User(
        username=address,
        email=address,
        first_name=first.capitalize(),
        last_name=last.replace(".", " ").title(),
    )
    user.set_unusable_password()
    user.save()
    return user, True


def person_is_pending(user) -> bool:
    """True for someone named by address who has never signed in (so no account they use)."""
    return (
        user.pk is not None
        and not user.eppn
        and user.last_login is None
        and not user.has_usable_password()
    )
