from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UmusocialConfig(AppConfig):
    """The project: settings, URLs, the Celery app and the portal-wide pages (home, health, the
    language switch, the development mailbox). The top layer: nothing imports it."""

    name = "umusocial"
    verbose_name = _("umusocial")
