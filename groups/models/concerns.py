"""Being heard: a member tells someone privately, with their name.

A concern is never anonymous and is never linked to the anonymous "how safe do you
feel here" answers: it holds who sent it, to whom (the group's facilitators, or the
organisation's coordinators when the concern is about a facilitator), the words, and
who followed it up. It is deleted a retention period after its follow-up
(groups.services.purge_old_concerns, run by `manage.py housekeeping`).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import Timestamped
from .organisations import Group

CONCERN_LIMIT = 2000
FOLLOW_UP_LIMIT = 1000


class ConcernQuerySet(models.QuerySet):
    def open(self):
        return self.filter(followed_up_at__isnull=True)

    def followed_up(self):
        return self.filter(followed_up_at__isnull=False)


class Concern(Timestamped):
    class To(models.TextChoices):
        FACILITATORS = "facilitators", _("The group's facilitators")
        COORDINATORS = "coordinators", _("The organisation's coordinators")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="concerns", verbose_name=_("group")
    )
    # Kept when the sender deletes their account (shown as "a former member"), so the
    # people looking after it can still follow it up.
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("from"),
    )
    to = models.CharField(_("to"), max_length=16, choices=To)
    text = models.TextField(_("message"), max_length=CONCERN_LIMIT)
    followed_up_at = models.DateTimeField(_("followed up"), null=True, blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("followed up by"),
    )
    follow_up_note = models.TextField(_("follow-up note"), max_length=FOLLOW_UP_LIMIT, blank=True)

    objects = ConcernQuerySet.as_manager()

    class Meta:
        verbose_name = _("private message")
        verbose_name_plural = _("private messages")
        ordering = ["-created"]
        indexes = [
            models.Index(fields=["group", "to", "followed_up_at"], name="concern_group_open"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(followed_up_at__isnull=False)
                | Q(followed_up_by__isnull=True, follow_up_note=""),
                name="concern_follow_up_needs_date",
            ),
        ]

    def __str__(self):
        # Never the words or who sent it: this may end up in a log or the admin's history.
        return f"Private message ({self.get_to_display()})"

    @property
    def is_open(self) -> bool:
        return self.followed_up_at is None
