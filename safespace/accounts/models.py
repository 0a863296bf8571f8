from django.db import models
from django.utils.translation import gettext_lazy as _

from groups.models import Timestamped


class SignInThrottle(Timestamped):
    """Failed sign-in counts per account and per address, stored as hashes only."""

    key = models.CharField(_("key hash"), max_length=64, unique=True)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    blocked_until = models.DateTimeField(_("blocked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in throttle")
        verbose_name_plural = _("sign-in throttles")

    def __str__(self):
        return f"{self.failures} failed sign-ins"
