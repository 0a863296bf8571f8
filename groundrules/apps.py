from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroundrulesConfig(AppConfig):
    name = "groundrules"
    verbose_name = _("Ground rules")

    def ready(self):
        # Its columns of each group's summary row (groups.summaries).
        from groups import summaries

        from .summary import summary_part

        summaries.register(summary_part)
