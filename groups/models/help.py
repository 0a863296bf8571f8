"""Where to get help: an organisation's or a group's own list of services.

Shown on "Get help now" and on the thank-you page after the anonymous check; when
the lists are empty, groups.helplines.DEFAULTS (UK national services) stand in.
"""

import re
import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import Timestamped, changed_by_field
from .organisations import Group, Organisation


def dial_string(number: str) -> str:
    """What goes after tel: or sms: — a leading + and the digits, nothing else."""
    number = (number or "").strip()
    digits = re.sub(r"\D", "", number)
    return ("+" + digits) if number.startswith("+") and digits else digits


class HelpService(Timestamped):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="help_services",
        verbose_name=_("organisation"),
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="help_services",
        verbose_name=_("group"),
    )
    name = models.CharField(_("name"), max_length=80)
    what_for = models.CharField(
        _("what it is for"),
        max_length=200,
        help_text=_("For example: talking to someone when you are struggling, day or night."),
    )
    phone = models.CharField(
        _("phone number"),
        max_length=24,
        blank=True,
        help_text=_("People can tap it to call. For example: 0800 123 4567."),
    )
    text_number = models.CharField(
        _("text number"),
        max_length=24,
        blank=True,
        help_text=_("If people can send a text message instead. For example: 85258."),
    )
    hours = models.CharField(
        _("when it is open"),
        max_length=80,
        blank=True,
        help_text=_("For example: any time, or weekdays 9am to 5pm."),
    )
    website = models.URLField(_("website"), max_length=200, blank=True)
    changed_by = changed_by_field()

    class Meta:
        verbose_name = _("help service")
        verbose_name_plural = _("help services")
        ordering = ["created", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True, group__isnull=False)
                | Q(organisation__isnull=False, group__isnull=True),
                name="help_service_one_owner",
            ),
            models.CheckConstraint(
                condition=~Q(phone="", text_number="", website=""),
                name="help_service_has_a_way_to_reach",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def tel(self) -> str:
        return dial_string(self.phone)

    @property
    def sms(self) -> str:
        return dial_string(self.text_number)
