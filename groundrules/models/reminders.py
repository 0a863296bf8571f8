from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from groups.models import Timestamped

from .versions import Version


class RoundReminder(Timestamped):
    """One reminder to one member to answer a version that is with the group: sent by a
    facilitator (`sent_by`) or automatically (no one)."""

    version = models.ForeignKey(
        Version, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("version")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("member reminded"),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
        help_text=_("Empty when it was sent automatically."),
    )

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created"]
        indexes = [models.Index(fields=["version", "member"], name="reminder_version_member")]

    def __str__(self):
        return f"Reminder ({self.version})"
