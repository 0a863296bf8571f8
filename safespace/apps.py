from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafespaceConfig(AppConfig):
    name = "safespace"
    verbose_name = _("SafeSpace")
