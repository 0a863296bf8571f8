"""The coordinator's group safety dashboard, its CSV export and print view."""

from types import SimpleNamespace

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from groups.models import AuditEvent
from groups.selectors import summaries_of
from groups.shortcuts import get_organisation

from .. import export, listing, services
from ..csv_export import csv_lines
from ..forms import DashboardFilterForm
from ..rows import SummaryRow

PAGE_SIZE = 50


def _filters(request):
    """The filter form, the filters (`listing.matching`'s arguments), the sort and order."""
    form = DashboardFilterForm(request.GET or None)
    # The organisation was fetched for its coordinator: every group of it is theirs.
    # The summary counts every group; search and filters only narrow the table.
    filters = {
        "search": form.value("q", "").strip(),
        "attention": form.value("attention", False),
        "reason": form.value("reason", ""),
        "group_format": form.value("format", ""),
        "facilitator": form.value("facilitator", ""),
    }
    sort, order = form.value("sort", listing.DEFAULT_SORT), form.value("order", "asc")
    return form, filters, sort, order


def _rows(request, organisation):
    """The filtered, sorted groups, all of them (a queryset: nothing is read yet)."""
    _form, filters, sort, order = _filters(request)
    wanted = summaries_of(organisation).filter(listing.matching(**filters))
    return listing.ordered(wanted, sort, order == "desc")


def _shown(rows) -> list:
    """The dashboard's rows (in their order), from these summary rows read as plain values
    (dicts), each summary's columns as attributes (building 50 model objects of 40 fields
    was a tenth of the page)."""
    rows = [SimpleNamespace(**row) for row in rows]
    facilitators = export.facilitators([r.group_id for r in rows])
    return [SummaryRow(r, facilitators.get(r.group_id, [])) for r in rows]


# A row's HTML is kept by what it says (SummaryRow.content_key), so it is rendered once
# per content and language, whoever looks and whatever page it is on.
ROW_SECONDS = 24 * 60 * 60


def _with_html(rows) -> list:
    """The rows, each with its <tr> as `html`: from the cache or rendered and kept."""
    language = get_language()
    keys = [f"dashboard-row:{language}:{row.content_key}" for row in rows]
    kept = cache.get_many(keys)
    rendered = {}
    for key, row in zip(keys, rows, strict=True):
        row.html = kept.get(key) or rendered.get(key)
        if row.html is None:
            row.html = rendered[key] = render_to_string(
                "dashboard/_fragments.html#row", {"row": row}
            )
    cache.set_many(rendered, ROW_SECONDS)
    return rows


def dashboard_page(request, slug):
    organisation = get_organisation(request, slug)
    form, filters, sort, order = _filters(request)
    summary = listing.summary(organisation, filters)
    # The summary's count says how many groups the filters leave: the pages are numbered
    # from it, and only the page shown is read.
    page = Paginator(range(summary["shown"]), PAGE_SIZE).get_page(request.GET.get("page"))
    start = (page.number - 1) * PAGE_SIZE
    shown = listing.page_of(organisation, filters, sort, order == "desc", start, PAGE_SIZE)
    page.object_list = _with_html(_shown(shown))
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
            "summary": summary,
            "shown": summary["shown"],
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
    rows = _rows(request, organisation)
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
    rows = _rows(request, organisation)
    services.note_export(
        organisation=organisation, by=request.user, action=AuditEvent.Action.DASHBOARD_PRINT
    )
    return render(
        request,
        "dashboard/dashboard_print.html",
        {
            "organisation": organisation,
            "rows": _shown(rows.values()),
            "summary": listing.summary(organisation),
            "today": timezone.localdate(),
        },
    )
