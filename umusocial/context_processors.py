from django.conf import settings

from channels.selectors import user_is_komm


def portal(request):
    """What every page needs: whether the user is in Komm, Komm's address, DEBUG tools."""
    return {
        "is_komm": user_is_komm(getattr(request, "user", None)),
        "komm_email": settings.KOMM_EMAIL,
        "debug_tools": settings.DEBUG,
    }
