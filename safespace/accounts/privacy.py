"""The public privacy page: what SafeSpace holds, why, who sees it, for how long (read
from the settings and defaults that are enforced: tests/accounts/test_privacy_page.py holds
them equal), and the person's rights and how to use them here."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from groups.models import Organisation
from groups.tasks import FAILED_EMAIL_DAYS


def _months(n) -> str:
    return ngettext("%(n)d month", "%(n)d months", n) % {"n": n}


def _default(field) -> int:
    return Organisation._meta.get_field(field).default


def retention_periods() -> list[tuple[str, str]]:
    """(what, how long) for everything SafeSpace keeps, read from the settings and model
    defaults that `manage.py housekeeping` and the apps enforce (a test holds them equal)."""
    idle = int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60)
    most = int(settings.SESSION_MAX_AGE.total_seconds() // 3600)
    reset = int(settings.PASSWORD_RESET_TIMEOUT // 3600)
    return [
        (_("Your account: email address and display name"), _("Until you delete your account.")),
        (
            _("Which groups you are or were in, your role and the dates"),
            _('Until you delete your account; then only "a former member" remains.'),
        ),
        (
            _("The email address an invitation was sent to"),
            ngettext(
                "Until the invitation is used or withdrawn, or expires after %(n)d day.",
                "Until the invitation is used or withdrawn, or expires after %(n)d days.",
                settings.INVITATION_DAYS,
            )
            % {"n": settings.INVITATION_DAYS},
        ),
        (
            _("Records of broken ground rules (the breach log)"),
            _("%(period)s after they are written, unless your organisation chose another period.")
            % {"period": _months(_default("breach_retention_months"))},
        ),
        (
            _("Private messages to facilitators or coordinators"),
            _(
                "%(period)s after someone follows them up, unless your organisation chose "
                "another period. Open ones are kept until they are followed up."
            )
            % {"period": _months(_default("concern_retention_months"))},
        ),
        (
            _("The audit trail of privileged and sensitive actions"),
            _("%(period)s.") % {"period": _months(settings.AUDIT_RETENTION_MONTHS)},
        ),
        (
            _("Being signed in (your session)"),
            _(
                "You are signed out after %(idle)d minutes without use, and always %(most)d "
                "hours after you signed in; the record goes a day later."
            )
            % {"idle": idle, "most": most},
        ),
        (
            _("Counts of failed sign-ins (kept as keyed hashes)"),
            _("A day after the last attempt."),
        ),
        (_("Counts of emails sent (kept as keyed hashes)"), _("Two days.")),
        (
            _("Emails waiting to be sent to you"),
            _(
                "Until they are sent, usually within a minute. One the mail server keeps "
                "refusing is kept without its words, with your address, for %(n)d days."
            )
            % {"n": FAILED_EMAIL_DAYS},
        ),
        (
            _("Password reset links"),
            ngettext("They work for %(n)d hour.", "They work for %(n)d hours.", reset)
            % {"n": reset},
        ),
        (
            _("Links to download your data"),
            ngettext(
                "They work once, for %(n)d minute.",
                "They work once, for %(n)d minutes.",
                settings.DATA_DOWNLOAD_MINUTES,
            )
            % {"n": settings.DATA_DOWNLOAD_MINUTES},
        ),
        (
            _(
                "Ground rules, your answers to them, suggestions, comments, reviews, venue checks "
                "and actions"
            ),
            _(
                "As long as the group keeps its records. If you delete your account, the "
                'group keeps what it needs credited to "a former member".'
            ),
        ),
        (
            _('Anonymous "how safe do you feel here" answers'),
            _("With the group's results. They were never linked to you."),
        ),
    ]


@login_not_required
@require_safe
def privacy(request):
    """Public: what SafeSpace holds, why, who sees it, for how long, and your rights here."""
    return render(request, "accounts/privacy.html", {"periods": retention_periods()})
