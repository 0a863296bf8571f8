"""Emails waiting to be sent. Every email SafeSpace sends is written here first, in the
transaction that decided to send it, and sent by a background task (groups.tasks): a
slow or failing mail server never holds a request, and nothing is sent for a change that
was rolled back. A row is deleted as its email is sent; one that keeps failing is kept,
without its words, for the operator, until housekeeping forgets it."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import Timestamped


class OutgoingEmail(Timestamped):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    to = models.EmailField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), max_length=20000)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    failed_at = models.DateTimeField(_("given up"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")

    def __str__(self):
        return "Outgoing email"
