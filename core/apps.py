from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The base every app uses: people (the user model), the e-mail outbox, reminder bookkeeping
    and reading settings from the environment. It imports no other app of the portal."""

    name = "core"
    verbose_name = _("Portal")
