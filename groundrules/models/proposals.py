"""Suggestions to change a group's rules, and the comments on them."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from groups.models import Group, Timestamped

from .versions import COMMENT_LIMIT, RULE_PARTS, SHORT_LIMIT, TEXT_LIMIT, Category


class Proposal(Timestamped):
    class Kind(models.TextChoices):
        ADD = "add", _("Add a rule")
        CHANGE = "change", _("Change a rule")
        REMOVE = "remove", _("Remove a rule")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted into the draft")
        DECLINED = "declined", _("Declined")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="rule_proposals", verbose_name=_("group")
    )
    kind = models.CharField(_("what you propose"), max_length=8, choices=Kind)
    target_lineage = models.UUIDField(_("rule"), null=True, blank=True)
    target_text = models.TextField(_("the rule as it was"), max_length=TEXT_LIMIT, blank=True)
    target_why = models.TextField(_("why we have it, as it was"), max_length=TEXT_LIMIT, blank=True)
    target_category = models.CharField(
        _("category, as it was"), max_length=20, choices=Category, blank=True
    )
    target_if_broken = models.TextField(
        _("what happens if it is broken, as it was"), max_length=SHORT_LIMIT, blank=True
    )
    text = models.TextField(_("the rule"), max_length=TEXT_LIMIT, blank=True)
    why = models.TextField(_("why we would have it"), max_length=TEXT_LIMIT, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category, blank=True)
    if_broken = models.TextField(
        _("what happens if it is broken"), max_length=SHORT_LIMIT, blank=True
    )
    reason = models.TextField(_("your reason"), max_length=COMMENT_LIMIT)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(
        _("reason for the decision"), max_length=COMMENT_LIMIT, blank=True
    )

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="add", target_lineage__isnull=True)
                | (~Q(kind="add") & Q(target_lineage__isnull=False)),
                name="proposal_target_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind="remove") | ~Q(text=""), name="proposal_has_text"
            ),
        ]

    def __str__(self):
        return self.get_kind_display()

    def before(self) -> dict:
        """The rule as it was when the change was suggested."""
        return {part: getattr(self, f"target_{part}") for part in RULE_PARTS}

    def after(self) -> dict:
        return {part: getattr(self, part) for part in RULE_PARTS}

    def changed_parts(self) -> list:
        """The parts of the rule a suggested change would change, and only those."""
        if self.kind != self.Kind.CHANGE:
            return []
        if not self.target_category:
            # Suggested before each part of the rule was kept with the suggestion: it
            # stood for the whole rule.
            return list(RULE_PARTS)
        before = self.before()
        return [part for part, value in self.after().items() if value != before[part]]


class ProposalComment(Timestamped):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="comments", verbose_name=_("proposal")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"), max_length=COMMENT_LIMIT)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created", "id"]

    def __str__(self):
        return self.text[:40]
