from django.db import models
from django.utils.translation import gettext_lazy as _

from groups.models import Organisation, Timestamped


class TrendMonth(Timestamped):
    """An organisation's figures for one month that has ended, as they stood at the
    month's end: the ground-rules share, the venue checks submitted and their average
    scores, the actions opened and closed. Kept once by the daily job
    (`snapshot_trends`), so the trends page reads twelve rows instead of working a year
    out from history on every view."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    month = models.DateField(_("month"), help_text=_("Its first day."))
    groups = models.PositiveIntegerField(_("active groups"))
    good = models.PositiveIntegerField(_("groups with agreed, in-date rules"))
    # The month's venue checks and actions: None in a month kept before these were (the
    # job fills them in on its next run).
    checks = models.PositiveIntegerField(_("venue checks submitted"), null=True, blank=True)
    being = models.FloatField(_("average being-safe score"), null=True, blank=True)
    feeling = models.FloatField(_("average feeling-safe score"), null=True, blank=True)
    opened = models.PositiveIntegerField(_("actions opened"), null=True, blank=True)
    closed = models.PositiveIntegerField(_("actions closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("month of trends")
        verbose_name_plural = _("months of trends")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "month"], name="trend_month_unique"),
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.month:%Y-%m}"
