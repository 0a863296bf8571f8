"""Every URL's page spec, by URL name: what it is pointed at, what a POST sends, what a
200 page must show and what a successful action must have done."""

from tests.matrix.pages_accounts import ACCOUNT_PAGES
from tests.matrix.pages_being_heard import BEING_HEARD_PAGES
from tests.matrix.pages_dashboard import DASHBOARD_PAGES
from tests.matrix.pages_groundrules import RULES_PAGES
from tests.matrix.pages_groups import GROUP_PAGES
from tests.matrix.pages_second_factor import SECOND_FACTOR_PAGES
from tests.matrix.pages_venues import VENUE_PAGES

PAGES = {
    **ACCOUNT_PAGES,
    **SECOND_FACTOR_PAGES,
    **GROUP_PAGES,
    **RULES_PAGES,
    **DASHBOARD_PAGES,
    **VENUE_PAGES,
    **BEING_HEARD_PAGES,
}
