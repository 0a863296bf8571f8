from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenuesConfig(AppConfig):
    name = "venues"
    verbose_name = _("Venue assessments")

    def ready(self):
        # Its columns of each group's summary row (groups.summaries).
        from groups import summaries

        from .summary import summary_part

        summaries.register(summary_part)
