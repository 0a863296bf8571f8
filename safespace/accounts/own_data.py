"""What SafeSpace holds about one person, gathered for "download my data": a readable
HTML page and a JSON file in one zip.

One query (or two) per kind of thing, whatever the amount; each list is capped at
MAX_ROWS (the page says so when a list is cut short), so a download is built within the
request in bounded time and memory.
"""

import io
import json
import zipfile
from datetime import date, datetime

from django.db.models import Prefetch, Q
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from groundrules.models import Agreement, Breach, Proposal, ProposalComment, Review, Rule
from groups.models import AuditEvent, Concern, Coordinator, Invitation, Membership
from venues.models import Action, Assessment, FeedbackReceipt

MAX_ROWS = 5000

# Said in the download itself: what is deliberately not there, and why.
NOT_INCLUDED = [
    _(
        'Your anonymous answers to "how safe do you feel here". They are kept with no link '
        "to you (no id, time or order), so nobody, not even SafeSpace, can find which are "
        "yours. The download only says in which quarters you answered."
    ),
    _(
        "Your password and second-factor secrets and recovery codes: only what is needed to "
        "check them is kept, and handing them out would put your account at risk."
    ),
    _(
        "What breach records say. You are listed as the person who wrote some down, but "
        "their words are about the group and stay with it (no one is named in them)."
    ),
    _(
        "Email addresses of people you invited, and what others wrote. They are other "
        "people's data."
    ),
    _(
        "Counts of failed sign-ins and of emails sent, which are kept only as keyed hashes "
        "that say nothing about you on their own, for a few days."
    ),
    _("Copies of emails SafeSpace sent you: they are not kept."),
]


def _when(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _rows(queryset, build):
    items = list(queryset[: MAX_ROWS + 1])
    return {"items": [build(x) for x in items[:MAX_ROWS]], "cut_short": len(items) > MAX_ROWS}


def gather(user) -> dict:
    """Everything SafeSpace keeps about `user`, in plain values (for JSON and the page)."""
    # Translated once: get_action_display() would translate every choice again per row.
    actions = {value: str(label) for value, label in AuditEvent.Action.choices}
    rules_of_version = Prefetch("version__rules", queryset=Rule.objects.order_by("position", "pk"))
    data = {
        "made": _when(timezone.now()),
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "created": _when(user.created),
            "last_sign_in": _when(user.last_login),
            "site_admin": user.is_staff,
        },
        "groups": _rows(
            Membership.objects.filter(user=user)
            .select_related("group__organisation")
            .order_by("joined_at"),
            lambda m: {
                "group": m.group.name,
                "organisation": m.group.organisation.name,
                "role": m.get_role_display(),
                "joined": _when(m.joined_at),
                "left": _when(m.left_at),
                "how_it_ended": m.get_ending_display() if m.ending else "",
            },
        ),
        "coordinator_of": _rows(
            Coordinator.objects.filter(user=user).select_related("organisation").order_by("pk"),
            lambda c: {"organisation": c.organisation.name, "since": _when(c.created)},
        ),
        "agreements": _rows(
            Agreement.objects.filter(user=user)
            .select_related("version__group")
            .prefetch_related(rules_of_version)
            .order_by("created"),
            lambda a: {
                "group": a.version.group.name,
                "version": a.version.number,
                "version_status": a.version.get_status_display(),
                "answer": a.get_answer_display(),
                "comment": a.comment,
                "comment_visible_to": a.get_visibility_display() if a.comment else "",
                "answered": _when(a.created),
                "text_unchanged_since": a.content_hash == a.version.content_hash,
                "rules_agreed": [
                    {
                        "rule": r.text,
                        "why": r.why,
                        "category": r.get_category_display(),
                        "if_broken": r.if_broken,
                    }
                    for r in a.version.rules.all()
                ],
            },
        ),
        "suggestions": _rows(
            Proposal.objects.filter(proposed_by=user).select_related("group").order_by("created"),
            lambda p: {
                "group": p.group.name,
                "kind": p.get_kind_display(),
                "rule_as_it_was": p.target_text,
                "rule": p.text,
                "why": p.why,
                "reason": p.reason,
                "status": p.get_status_display(),
                "made": _when(p.created),
                "decided": _when(p.decided_at),
            },
        ),
        "comments": _rows(
            ProposalComment.objects.filter(author=user)
            .select_related("proposal__group")
            .order_by("created"),
            lambda c: {
                "group": c.proposal.group.name,
                "on_suggestion": c.proposal.text or c.proposal.target_text,
                "comment": c.text,
                "written": _when(c.created),
            },
        ),
        "reviews_recorded": _rows(
            Review.objects.filter(recorded_by=user).select_related("group").order_by("held_on"),
            lambda r: {
                "group": r.group.name,
                "held_on": _when(r.held_on),
                "people_taking_part": r.participants,
                "outcome": r.get_outcome_display(),
                "notes": r.notes,
            },
        ),
        "breach_records_written": _rows(
            Breach.objects.filter(recorded_by=user).select_related("group").order_by("created"),
            lambda b: {"group": b.group.name, "recorded": _when(b.created)},
        ),
        "venue_checks": _rows(
            Assessment.objects.filter(Q(started_by=user) | Q(submitted_by=user))
            .select_related("group", "venue")
            .order_by("created"),
            lambda a: {
                "group": a.group.name,
                "venue": a.venue.name,
                "started": _when(a.created),
                "submitted": _when(a.submitted_at),
                "you_submitted_it": a.submitted_by_id == user.pk,
            },
        ),
        "actions": _rows(
            Action.objects.filter(Q(owner=user) | Q(created_by=user))
            .select_related("group", "venue")
            .order_by("created"),
            lambda a: {
                "group": a.group.name,
                "venue": a.venue.name,
                "what": a.what,
                "due": _when(a.due_on),
                "status": a.get_status_display(),
                "you_own_it": a.owner_id == user.pk,
                "you_opened_it": a.created_by_id == user.pk,
                "closed": _when(a.closed_at),
                "closing_note": a.closing_note,
            },
        ),
        "private_messages_sent": _rows(
            Concern.objects.filter(sender=user).select_related("group").order_by("created"),
            lambda c: {
                "group": c.group.name,
                "to": c.get_to_display(),
                "message": c.text,
                "sent": _when(c.created),
                "followed_up": _when(c.followed_up_at),
            },
        ),
        "invitations_sent": _rows(
            Invitation.objects.filter(invited_by=user)
            .select_related("organisation", "group")
            .order_by("created"),
            lambda i: {
                "to": i.group.name if i.group else i.organisation.name,
                "role": i.get_role_display(),
                "sent": _when(i.created),
                "accepted": _when(i.accepted_at),
                "withdrawn": _when(i.revoked_at),
            },
        ),
        "venue_check_answered_in": _rows(
            FeedbackReceipt.objects.filter(user=user)
            .select_related("group", "venue")
            .order_by("period"),
            lambda r: {"group": r.group.name, "venue": r.venue.name, "quarter": r.period},
        ),
        "second_factor": _second_factor(user),
        "sign_in_and_security_events": _rows(
            AuditEvent.objects.filter(
                Q(subject=user, action__in=AuditEvent.PERSONAL)
                | Q(actor=user, action__in=AuditEvent.PERSONAL)
            ).order_by("created"),
            lambda e: {
                "what": actions[e.action],
                "detail": e.target,
                "when": _when(e.created),
            },
        ),
        "things_you_did_on_the_audit_trail": _rows(
            AuditEvent.objects.filter(actor=user)
            .exclude(action__in=AuditEvent.PERSONAL)
            .select_related("group", "organisation")
            .order_by("created"),
            lambda e: {
                "what": actions[e.action],
                "detail": e.target,
                "group": e.group.name if e.group else "",
                "organisation": e.organisation.name if e.organisation else "",
                "when": _when(e.created),
            },
        ),
        "not_included": [str(line) for line in NOT_INCLUDED],
    }
    return data


def _second_factor(user) -> dict:
    return {
        "authenticator_apps": [
            {"name": d.name, "confirmed": d.confirmed}
            for d in TOTPDevice.objects.filter(user=user).order_by("pk")
        ],
        "passkeys": [
            {"name": c.name, "added": _when(c.created_at)}
            for c in WebAuthnCredential.objects.filter(user=user).order_by("pk")
        ],
        "has_recovery_codes": StaticDevice.objects.filter(user=user).exists(),
    }


TITLES = {
    "groups": _("Groups you belong or belonged to"),
    "coordinator_of": _("Organisations you coordinate"),
    "agreements": _("Your answers to ground rules, with the exact rules you answered"),
    "suggestions": _("Suggestions you made"),
    "comments": _("Comments you wrote on suggestions"),
    "reviews_recorded": _("Reviews of the ground rules you recorded"),
    "breach_records_written": _("Breach records you wrote down (not what they say)"),
    "venue_checks": _("Venue checks you started or submitted"),
    "actions": _("Follow-up actions you own or opened"),
    "private_messages_sent": _("Private messages you sent"),
    "invitations_sent": _("Invitations you sent"),
    "venue_check_answered_in": _('When you answered "how safe do you feel here" (not what)'),
    "sign_in_and_security_events": _("Failed sign-ins and second-factor changes"),
    "things_you_did_on_the_audit_trail": _("What you did that is on the audit trail"),
}


def _cell(value):
    """One table cell's HTML (escaped): the rules of a version as a numbered list."""
    if isinstance(value, list):
        lines = (
            " — ".join(part for part in (r["rule"], r["why"], r["if_broken"]) if part)
            for r in value
        )
        return format_html(
            "<ol>{}</ol>", format_html_join("", "<li>{}</li>", ((x,) for x in lines))
        )
    if isinstance(value, bool):
        return "yes" if value else "no"
    return linebreaksbr("" if value is None else str(value), autoescape=True)


def _tables(data):
    tables = []
    for key, title in TITLES.items():
        items = data[key]["items"]
        headers = list(items[0]) if items else []
        tables.append(
            {
                "title": title,
                "headers": [h.replace("_", " ").capitalize() for h in headers],
                # Built here, not in the template: thousands of rows render in a blink.
                "body": format_html_join(
                    "\n",
                    "<tr>{}</tr>",
                    (
                        (format_html_join("", "<td>{}</td>", ((_cell(item[h]),) for h in headers)),)
                        for item in items
                    ),
                ),
                "cut_short": data[key]["cut_short"],
            }
        )
    return tables


def as_zip(user) -> bytes:
    """The download: index.html (to read) and data.json (for other software)."""
    data = gather(user)
    folder = f"safespace-data-{timezone.localdate().isoformat()}"
    page = render_to_string(
        "accounts/own_data_file.html",
        {"data": data, "tables": _tables(data), "max_rows": MAX_ROWS},
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{folder}/index.html", page)
        archive.writestr(
            f"{folder}/data.json", json.dumps(data, indent=2, ensure_ascii=False, default=str)
        )
    return buffer.getvalue()
