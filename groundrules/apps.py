from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroundrulesConfig(AppConfig):
    name = "groundrules"
    verbose_name = _("Ground rules")
