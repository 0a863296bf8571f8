from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Timestamped(models.Model):
    """When a row was made and last changed: every model of ours has both."""

    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


def changed_by_field():
    """Who last changed a row people edit together: named when a later save is refused
    (groups.conflicts). Kept when they leave; an erased account reads "a former member"."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("last changed by"),
    )
