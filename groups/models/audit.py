"""The audit trail: who did what to which object, and when. Never what a breach record or a
private message says, and never a name or an email address: people are linked (and so shown
as "a former member" once they delete their account), objects are named by their kind and
a short label that holds no content. Written only through groups.audit.record; purged after
AUDIT_RETENTION_MONTHS by `manage.py housekeeping`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import Timestamped
from .organisations import Group, Organisation


class AuditEvent(Timestamped):
    class Action(models.TextChoices):
        INVITATION_SENT = "invitation_sent", _("Invitation sent")
        INVITATION_REVOKED = "invitation_revoked", _("Invitation withdrawn")
        INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
        ROLE_CHANGED = "role_changed", _("Role changed")
        MEMBER_REMOVED = "member_removed", _("Member removed")
        BREACH_LOG_READ = "breach_log_read", _("Breach log opened")
        BREACH_RECORDED = "breach_recorded", _("Breach record made")
        BREACH_DELETED = "breach_deleted", _("Breach record deleted")
        VERSION_ADOPTED = "version_adopted", _("Ground rules adopted")
        ROUND_WITHDRAWN = "round_withdrawn", _("Ground rules withdrawn from the group")
        TEMPLATE_CHANGED = "template_changed", _("Question template changed")
        DASHBOARD_CSV = "dashboard_csv", _("Dashboard downloaded as CSV")
        DASHBOARD_PRINT = "dashboard_print", _("Dashboard print view opened")
        DATA_EXPORTED = "data_exported", _("Own data downloaded")
        ACCOUNT_DELETED = "account_deleted", _("Account deleted")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        SECOND_FACTOR_ADDED = "second_factor_added", _("Second factor added")
        SECOND_FACTOR_REMOVED = "second_factor_removed", _("Second factor removed")
        RECOVERY_CODES_MADE = "recovery_codes_made", _("New recovery codes made")

    # Reading, not changing: the only events a GET may write.
    READS = frozenset({Action.BREACH_LOG_READ, Action.DASHBOARD_CSV, Action.DASHBOARD_PRINT})
    # About a person alone, in no organisation: on site admins' trail only.
    PERSONAL = frozenset(
        {
            Action.DATA_EXPORTED,
            Action.ACCOUNT_DELETED,
            Action.SIGN_IN_FAILED,
            Action.SECOND_FACTOR_ADDED,
            Action.SECOND_FACTOR_REMOVED,
            Action.RECOVERY_CODES_MADE,
        }
    )

    action = models.CharField(_("action"), max_length=32, choices=Action)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # The person acted on (a role changed, a member removed), if any.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("whom"),
    )
    # Whose trail it is: the organisation's coordinators see it. Events about a person
    # alone (signing in, the second factor, their own data) have none: site admins only.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("group"),
    )
    target = models.CharField(_("what"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "-created"], name="audit_org_time"),
            models.Index(fields=["created"], name="audit_time"),
        ]

    def __str__(self):
        return str(self.get_action_display())
