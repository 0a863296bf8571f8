from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "safespace.accounts"
    label = "accounts"
    verbose_name = _("Accounts and sign-in")

    def ready(self):
        # Connects the sign-in receiver that starts a session's clocks.
        from . import middleware  # noqa: F401
