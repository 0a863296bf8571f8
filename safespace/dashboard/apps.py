from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "safespace.dashboard"
    label = "dashboard"
    verbose_name = _("Safety dashboard and home pages")

    def ready(self):
        # Each group's summary row keeps its urgency for a coordinator (groups.summaries).
        from groups import summaries

        from .rows import derive

        summaries.register_derived(derive)
