import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from groups.models import Timestamped

from .versions import COMMENT_LIMIT, SHORT_LIMIT, Agreement, Rule, Version


class TalkRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(talked_about_at__isnull=True)


class TalkRequest(Timestamped):
    """A member's "I'd like to talk about this": about one rule of a version, or the whole
    version. It stays open until someone who runs the round marks it talked about, with a
    short note of what came of it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(
        Version, on_delete=models.CASCADE, related_name="talk_requests", verbose_name=_("version")
    )
    rule = models.ForeignKey(
        Rule,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="talk_requests",
        verbose_name=_("rule"),
        help_text=_("Empty when it is about the whole version."),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="rule_talk_requests",
        verbose_name=_("member"),
    )
    comment = models.TextField(_("what they would like to talk about"), max_length=COMMENT_LIMIT)
    visibility = models.CharField(
        _("who can read the comment"),
        max_length=12,
        choices=Agreement.Visibility,
        default=Agreement.Visibility.FACILITATORS,
    )
    talked_about_at = models.DateTimeField(_("talked about"), null=True, blank=True)
    talked_about_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked talked about by"),
    )
    note = models.TextField(_("what came of it"), max_length=SHORT_LIMIT, blank=True)

    objects = TalkRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("talk request")
        verbose_name_plural = _("talk requests")
        ordering = ["created", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(comment=""), name="talk_request_has_comment"),
            models.CheckConstraint(
                condition=Q(talked_about_at__isnull=True, note="")
                | (Q(talked_about_at__isnull=False) & ~Q(note="")),
                name="talk_request_talked_about_has_note",
            ),
        ]

    def __str__(self):
        return self.comment[:40]

    @property
    def is_open(self) -> bool:
        return self.talked_about_at is None
