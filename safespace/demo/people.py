"""The demo's people, organisations and groups, and the order everything is loaded in."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from groups.models import Coordinator, Group, GroupNeed, Membership, Organisation

from . import ground_rules, venue_checks

DEMO_PASSWORD = "safe-space-demo"

PEOPLE = {
    # email: display name
    "coordinator@example.org": "Sam (coordinator)",
    "facilitator@example.org": "Alex",
    "facilitator2@example.org": "Priya",
    "peer@example.org": "Jo",
    "peer2@example.org": "Kit",
    "peer3@example.org": "Morgan",
    "peer4@example.org": "Rowan",
    "peer5@example.org": "Taylor",
    "peer6@example.org": "Bea",
    "peer7@example.org": "Chris",
    "peer8@example.org": "Dee",
    "peer9@example.org": "Eli",
    "peer10@example.org": "Frankie",
    "other-coordinator@example.org": "Robin (coordinator)",
    "other-facilitator@example.org": "Casey",
    "other-peer@example.org": "Jamie",
}

GROUPS = [
    {
        "org": "riverside",
        "slug": "demo-wednesday",
        "name": "Wednesday Evening Circle",
        "purpose": "A women-only peer support group for women who have experienced abuse.",
        "format": Group.Format.IN_PERSON,
        "meeting_time": "Wednesdays, 6:30pm to 8pm",
        "meeting_place": "Riverside Community Centre, Room 2",
        "upheld_by": Group.UpheldBy.FACILITATORS,
        "needs": [GroupNeed.Need.WOMEN_ONLY, GroupNeed.Need.QUIET_ROOM],
        # A survivors' group: its members see the quick exit on every page.
        "for_survivors": True,
        "facilitators": ["facilitator@example.org"],
        "peers": [
            "peer@example.org",
            "peer2@example.org",
            "peer3@example.org",
            "peer4@example.org",
        ],
    },
    {
        "org": "riverside",
        "slug": "demo-online",
        "name": "Thursday Online Recovery",
        "purpose": "Online peer support for people recovering from problems with alcohol.",
        "format": Group.Format.ONLINE,
        "meeting_time": "Thursdays, 7pm to 8pm",
        "meeting_place": "Video call (link sent by the facilitator)",
        "upheld_by": Group.UpheldBy.MODERATORS,
        "needs": [GroupNeed.Need.CAPTIONS],
        "facilitators": ["facilitator2@example.org"],
        "peers": [
            "peer@example.org",
            "peer5@example.org",
            "peer6@example.org",
            "peer7@example.org",
        ],
    },
    {
        "org": "riverside",
        "slug": "demo-carers",
        "name": "Carers' Saturday Group",
        "purpose": "A space for unpaid carers to share what helps, in the room or online.",
        "format": Group.Format.HYBRID,
        "meeting_time": "First Saturday of the month, 10am to 12pm",
        "meeting_place": "Riverside Library, community room, and online",
        "upheld_by": Group.UpheldBy.EVERYONE,
        "needs": [GroupNeed.Need.STEP_FREE, GroupNeed.Need.ALCOHOL_FREE],
        "facilitators": ["facilitator@example.org", "facilitator2@example.org"],
        "peers": ["peer8@example.org", "peer9@example.org", "peer10@example.org"],
    },
    {
        "org": "northgate",
        "slug": "demo-northgate",
        "name": "Northgate Hearing Voices Group",
        "purpose": "Peer support for people who hear voices.",
        "format": Group.Format.IN_PERSON,
        "meeting_time": "Mondays, 2pm to 3:30pm",
        "meeting_place": "Northgate Community Hub",
        "upheld_by": Group.UpheldBy.EVERYONE,
        "needs": [],
        "facilitators": ["other-facilitator@example.org"],
        "peers": ["other-peer@example.org"],
    },
]

ORGANISATIONS = {
    "riverside": ("Riverside Peer Support", ["coordinator@example.org"]),
    "northgate": ("Northgate Wellbeing Network", ["other-coordinator@example.org"]),
}


def load():
    """People, organisations and groups; then each app's demo history."""
    user_model = get_user_model()
    users = {}
    for email, name in PEOPLE.items():
        user = user_model.objects.filter(email=email).first()
        if user is None:
            user = user_model.objects.create_user(email, DEMO_PASSWORD, display_name=name)
        users[email] = user
    orgs = {}
    for key, (name, coordinators) in ORGANISATIONS.items():
        org, _ = Organisation.objects.get_or_create(slug=key, defaults={"name": name})
        orgs[key] = org
        for email in coordinators:
            Coordinator.objects.get_or_create(organisation=org, user=users[email])
    groups = {}
    # Everyone has belonged for months: long enough to count towards the release of
    # peers' anonymous answers this quarter.
    joined = timezone.now() - timedelta(days=360)
    for spec in GROUPS:
        fields = {
            k: spec[k]
            for k in ("name", "purpose", "format", "meeting_time", "meeting_place", "upheld_by")
        }
        fields["for_survivors"] = spec.get("for_survivors", False)
        group, _ = Group.objects.get_or_create(
            slug=spec["slug"], defaults={"organisation": orgs[spec["org"]], **fields}
        )
        groups[spec["slug"]] = group
        # Set up a little over a year ago: the trends page has a year to show.
        Group.objects.filter(pk=group.pk).update(created=joined - timedelta(days=30))
        for need in spec["needs"]:
            GroupNeed.objects.get_or_create(group=group, need=need)
        for role, emails in (
            (Membership.Role.FACILITATOR, spec["facilitators"]),
            (Membership.Role.PEER, spec["peers"]),
        ):
            for email in emails:
                Membership.objects.get_or_create(
                    group=group,
                    user=users[email],
                    left_at=None,
                    defaults={"role": role, "joined_at": joined},
                )
    ground_rules.load(groups)
    ground_rules.load_reviews(groups)
    venue_checks.load(groups)
