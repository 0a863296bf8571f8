from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.shortcuts import get_organisation

from .. import charts, trends


def trends_page(request, slug):
    organisation = get_organisation(request, slug)
    today = timezone.localdate()
    months = trends.last_months(today)
    kept = trends.kept_months(organisation, months)
    waiting = trends.waiting_months(organisation, months, kept)
    now = trends.this_month(organisation, today)
    share = trends.kept_rules_share(organisation, months, kept, waiting)
    scores = trends.kept_venue_scores(months, kept, now, waiting)
    actions = trends.kept_action_counts(months, kept, now, waiting)
    return render(
        request,
        "dashboard/trends.html",
        {
            "organisation": organisation,
            "waiting": sorted(waiting),
            "share": share,
            "scores": scores,
            "actions": actions,
            "share_chart": charts.bar_chart(
                share, [("value", _("Groups with agreed, in-date rules (%)"), "bar-a")], 100
            ),
            "score_chart": charts.bar_chart(
                scores,
                [
                    ("being", _("Being safe (%)"), "bar-a"),
                    ("feeling", _("Feeling safe (%)"), "bar-b"),
                ],
                100,
            ),
            "action_chart": charts.bar_chart(
                actions,
                [
                    ("opened", _("Actions opened"), "bar-a"),
                    ("closed", _("Actions closed"), "bar-b"),
                ],
            ),
        },
    )
