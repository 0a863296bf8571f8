"""Two apps change one group at the same moment: its summary row keeps both changes.

A ground-rules write and a venue write each work out their own app's columns and take
the others from the summary row, read under its lock (groups.summaries.refresh with
`only`). Here the first to refresh lingers with the row locked before writing; the
second waits for the lock, then must read the row as the first left it, or it would
write back the first one's columns as they were.
"""

import pytest
from django.db import transaction

from groundrules import summary as rules_summary
from groundrules.models import Agreement
from groups import summaries
from groups.models import GroupSummary
from tests import builders
from tests.builders import kept_and_rebuilt
from tests.concurrency import linger_after, run_together
from venues import summary as venue_summary
from venues.models import VenueUse

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_a_rules_answer_and_a_new_venue_at_once_are_both_kept(monkeypatch):
    fay, pat = builders.people("Fay Facilitator", "Pat Peer")
    org = builders.make_organisation("Race summaries")
    group = builders.group(org, "Both", facilitators=[fay], peers=[pat])
    version = builders.put_to_group(group, fay)
    hall = builders.venue(org, "Hall")
    before = GroupSummary.objects.get(group=group)
    assert (before.round_answered, before.venues) == (0, 0)
    linger_after(monkeypatch, summaries, "_work_out")

    # Each change as its app's services make it, reduced to the write and the refresh.
    def answer():
        with transaction.atomic():
            Agreement.objects.create(
                version=version, user=pat, answer="agree", content_hash=version.content_hash
            )
            rules_summary.refresh([group.pk])

    def meet_in_hall():
        with transaction.atomic():
            VenueUse.objects.create(group=group, venue=hall)
            venue_summary.refresh([group.pk])

    results = run_together(rules=answer, venues=meet_in_hall)

    assert all(error is None for _value, error in results.values()), results
    after = GroupSummary.objects.get(group=group)
    assert (after.round_answered, after.venues) == (1, 1)
    kept, rebuilt = kept_and_rebuilt([group.pk])
    assert kept == rebuilt
