"""The coordinator's group safety dashboard, its CSV export and print view."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import AuditEvent
from groups.selectors import groups_for_user
from groups.shortcuts import get_organisation

from .. import services, table
from ..csv_export import to_csv
from ..forms import DashboardFilterForm

PAGE_SIZE = 50


def _rows(request, organisation):
    form = DashboardFilterForm(request.GET or None)
    groups = groups_for_user(request.user).filter(
        organisation=organisation, archived_at__isnull=True
    )
    # The summary counts every group; search and filters only narrow the table.
    everything = table.build_rows(groups, concerns_to="coordinators")
    search = form.value("q", "").strip().lower()
    rows = [r for r in everything if search in r.group.name.lower()] if search else everything
    rows = table.filter_rows(
        rows,
        attention=form.value("attention", False),
        reason=form.value("reason", ""),
        group_format=form.value("format", ""),
        facilitator=form.value("facilitator", ""),
    )
    sort, order = form.value("sort", table.DEFAULT_SORT), form.value("order", "asc")
    rows = table.sort_rows(rows, sort, order == "desc")
    return form, everything, rows, sort, order


def dashboard_page(request, slug):
    organisation = get_organisation(request, slug)
    form, everything, rows, sort, order = _rows(request, organisation)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    # Column headings set their own sort and order: keep only the filters for them.
    filters = params.copy()
    filters.pop("sort", None)
    filters.pop("order", None)
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "organisation": organisation,
            "form": form,
            "page": page,
            "summary": table.summary(everything),
            "shown": len(rows),
            "sort": sort,
            "order": order,
            "query": params.urlencode(),
            "filters": filters.urlencode(),
            "columns": COLUMNS,
            "today": timezone.localdate(),
        },
    )


COLUMNS = [
    ("name", _("Group")),
    ("format", _("Format")),
    ("members", _("Members")),
    ("rules", _("Ground rules")),
    ("review", _("Next review")),
    ("being", _("Being safe")),
    ("feeling", _("Feeling safe")),
    ("peers", _("Peers feel safe")),
    ("actions", _("Actions")),
    ("breaches", _("Breaches (90 days)")),
    ("attention", _("Needs attention")),
]


def _iso(value):
    return value.isoformat() if value else ""


def _blank(value):
    return "" if value is None else value


def export_csv(request, slug):
    organisation = get_organisation(request, slug)
    _form, _all, rows, _sort, _order = _rows(request, organisation)
    header = [
        "group",
        "format",
        "facilitators",
        "current_members",
        "rules_status",
        "current_version",
        "members_agreed",
        "round_answered",
        "next_review",
        "review_overdue",
        "being_safe_pct",
        "feeling_safe_pct",
        "last_assessed",
        "critical_flag",
        "critical_flag_at",
        "peers_feeling_safe_of_5",
        "peer_answers",
        "peer_answers_released_in",
        "open_actions",
        "overdue_actions",
        "breaches_90_days",
        "next_venue_check",
        "needs_attention",
    ]
    lines = []
    for r in rows:
        latest = r.venues.latest
        peers = r.venues.peers
        lines.append(
            [
                r.group.name,
                r.group.format,
                "; ".join(r.facilitators),
                r.members,
                r.rules.status,
                r.rules.current.number if r.rules.current else "",
                r.rules.agreed_current,
                r.rules.round_answered,
                _iso(r.rules.next_review),
                "yes" if r.rules.review_overdue else "no",
                # Where a group meets in several places: the lowest of their latest checks.
                _blank(r.venues.worst_being),
                _blank(r.venues.worst_feeling),
                _iso(timezone.localdate(latest.submitted_at)) if latest else "",
                "yes" if r.venues.critical_flag else "no",
                "; ".join(r.venues.critical_venues),
                # Only released answers, as on every page (docs/privacy.md).
                peers.score if peers else "",
                peers.count if peers else "",
                peers.period if peers else "",
                r.venues.open_actions,
                r.venues.overdue_actions,
                r.rules.breaches_90d,
                _iso(r.venues.next_check),
                "; ".join(str(x) for x in r.reason_labels),
            ]
        )
    services.note_export(
        organisation=organisation, by=request.user, action=AuditEvent.Action.DASHBOARD_CSV
    )
    response = HttpResponse(to_csv(header, lines), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="safety-dashboard-{stamp}.csv"'
    return response


def print_view(request, slug):
    organisation = get_organisation(request, slug)
    form, everything, rows, _sort, _order = _rows(request, organisation)
    services.note_export(
        organisation=organisation, by=request.user, action=AuditEvent.Action.DASHBOARD_PRINT
    )
    return render(
        request,
        "dashboard/dashboard_print.html",
        {
            "organisation": organisation,
            "rows": rows,
            "summary": table.summary(everything),
            "today": timezone.localdate(),
        },
    )
