from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UmusocialConfig(AppConfig):
    """Cross-cutting pieces of the portal: the e-mail outbox, user profiles, health."""

    name = "umusocial"
    verbose_name = _("Portal")
