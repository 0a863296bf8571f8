from django.conf import settings
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


class DownloadLink(Timestamped):
    """A single-use, expiring link to download one's own data. Only a hash of its token is
    stored; the token itself is shown once, on the page that made it. Used or expired
    links are deleted by `manage.py housekeeping`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    # The zip, built in the background (safespace/accounts/tasks.py); emptied when it is
    # downloaded, and deleted with the link by housekeeping once used or expired.
    content = models.BinaryField(null=True, editable=False)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("download link")
        verbose_name_plural = _("download links")

    def __str__(self):
        return "Download link"


class ScheduledRun(models.Model):
    """One day's run of one scheduled job, claimed by the server that runs it
    (`manage.py run_scheduled`): the unique day and job let only one server in."""

    job = models.CharField(_("job"), max_length=60)
    day = models.DateField(_("day"))
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [
            models.UniqueConstraint(fields=["job", "day"], name="scheduled_run_once_a_day"),
        ]

    def __str__(self):
        return f"{self.job} on {self.day}"
