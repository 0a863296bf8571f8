"""The drill's organisation: groups with a facilitator and peers, rules put to each group,
a venue check in progress, built through the app's own services."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from groundrules import services as rule_services
from groundrules.models import Category
from groups.models import Coordinator, Group, Membership, Organisation, User
from venues import services as venue_services
from venues.models import Venue, VenueUse

PASSWORD = "drill-password-not-secret"
RULES = ["We keep what is said here to ourselves.", "Phones on silent, please."]


@dataclass
class Cast:
    coordinator: str = ""
    org: str = ""
    # per group: {"slug", "facilitator", "peers", "version", "venue", "assessment"}
    groups: list = field(default_factory=list)


def build(groups: int, peers: int) -> Cast:
    hashed = make_password(PASSWORD)
    long_ago = timezone.now() - timedelta(days=400)
    cast = Cast(coordinator="coordinator@drill.test", org="drill")

    def person(email, name):
        return User.objects.create(email=email, display_name=name, password=hashed)

    with transaction.atomic():
        org = Organisation.objects.create(name="Drill Peer Support", slug=cast.org)
        Coordinator.objects.create(organisation=org, user=person(cast.coordinator, "Cora"))
        for g in range(groups):
            group = Group.objects.create(
                organisation=org, name=f"Drill group {g + 1}", slug=f"drill-{g + 1}"
            )
            facilitator = person(f"facilitator{g + 1}@drill.test", f"Fay {g + 1}")
            Membership.objects.create(
                group=group, user=facilitator, role=Membership.Role.FACILITATOR, joined_at=long_ago
            )
            emails = []
            for p in range(peers):
                email = f"peer{g + 1}-{p + 1}@drill.test"
                Membership.objects.create(group=group, user=person(email, f"Pat {g + 1}.{p + 1}"))
                emails.append(email)
            Membership.objects.filter(group=group).update(joined_at=long_ago)
            version = rule_services.start_draft(group=group, by=facilitator)
            version.rules.all().delete()
            for text in RULES:
                rule_services.add_rule(
                    version=version,
                    fields={"text": text, "why": "", "category": Category.OTHER, "if_broken": ""},
                )
            version = rule_services.open_round(
                version=version, by=facilitator, link="https://drill.invalid/"
            )
            venue = Venue.objects.create(
                organisation=org,
                kind=Venue.Kind.PHYSICAL,
                name=f"Drill hall {g + 1}",
                address=f"{g + 1} Drill Street",
                postcode="AB1 2CD",
            )
            VenueUse.objects.create(venue=venue, group=group)
            check = venue_services.start_assessment(group=group, venue=venue, by=facilitator)
            cast.groups.append(
                {
                    "slug": group.slug,
                    "facilitator": facilitator.email,
                    "peers": emails,
                    "version": version.number,
                    "version_id": version.pk,
                    "venue": str(venue.uuid),
                    "assessment": str(check.uuid),
                }
            )
    return cast
