"""The coordinator's group safety dashboard, its CSV export and print view."""

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import AuditEvent
from groups.selectors import summaries_of
from groups.shortcuts import get_organisation

from .. import export, listing, services
from ..csv_export import csv_lines
from ..forms import DashboardFilterForm
from ..rows import SummaryRow

PAGE_SIZE = 50


def _rows(request, organisation):
    """The filtered, sorted groups (a queryset: nothing is read yet) and all of them."""
    form = DashboardFilterForm(request.GET or None)
    # The organisation was fetched for its coordinator: every group of it is theirs.
    everything = summaries_of(organisation).filter(group__archived_at__isnull=True)
    # The summary counts every group; search and filters only narrow the table.
    rows = listing.filtered(
        everything,
        search=form.value("q", "").strip(),
        attention=form.value("attention", False),
        reason=form.value("reason", ""),
        group_format=form.value("format", ""),
        facilitator=form.value("facilitator", ""),
    )
    sort, order = form.value("sort", listing.DEFAULT_SORT), form.value("order", "asc")
    rows = listing.ordered(rows, sort, order == "desc")
    return form, everything, rows, sort, order


def _shown(rows) -> list:
    """The dashboard's rows (in their order), from these summary rows."""
    rows = list(rows.select_related("group"))
    facilitators = export.facilitators([r.group_id for r in rows])
    return [SummaryRow(r, facilitators.get(r.group_id, [])) for r in rows]


def dashboard_page(request, slug):
    organisation = get_organisation(request, slug)
    form, everything, rows, sort, order = _rows(request, organisation)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _shown(page.object_list)
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
            "summary": listing.summary(everything),
            "shown": page.paginator.count,
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


def export_csv(request, slug):
    organisation = get_organisation(request, slug)
    _form, _all, rows, _sort, _order = _rows(request, organisation)
    services.note_export(
        organisation=organisation, by=request.user, action=AuditEvent.Action.DASHBOARD_CSV
    )
    response = StreamingHttpResponse(
        csv_lines(export.HEADER, export.lines(rows)), content_type="text/csv; charset=utf-8"
    )
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
            "rows": _shown(rows),
            "summary": listing.summary(everything),
            "today": timezone.localdate(),
        },
    )
