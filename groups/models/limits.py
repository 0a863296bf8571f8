from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import Timestamped


class SendQuota(Timestamped):
    """How many emails of one kind one sender (or to one recipient) caused in a window.

    The key is a keyed hash of the kind and who it counts, so no address is stored."""

    key = models.CharField(_("key hash"), max_length=64)
    window_start = models.DateTimeField(_("window start"))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("send quota")
        verbose_name_plural = _("send quotas")
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="send_quota_once"),
        ]

    def __str__(self):
        return f"{self.count} sent"
