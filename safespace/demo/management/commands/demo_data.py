"""Create (or bring up to date) the demo organisations, people and groups.

Safe to run again: everything is looked up by a stable key first. Refuses to
run with DEBUG off, so it can never touch a production database.
"""

from contextlib import contextmanager
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from groups import summaries
from safespace.demo import people


@contextmanager
def no_mail():
    """Send the emails of what happens inside to nowhere (on-commit ones included)."""
    saved = settings.MAILERS
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
    try:
        yield
    finally:
        settings.MAILERS = saved


def second_factor_line() -> str:
    """Say plainly whether the demo's accounts will be asked for a second factor."""
    required = settings.MFA_REQUIRED_FOR
    if not required:
        return (
            "  Second factor: OFF for this demo (MFA_REQUIRED_FOR is empty), so the demo "
            "accounts sign in with email and password alone. Anyone may still add one on "
            "their account page."
        )
    return (
        f"  Second factor: REQUIRED for {', '.join(required)} (MFA_REQUIRED_FOR). The demo's "
        "coordinators will be asked to set one up when they sign in; set MFA_REQUIRED_FOR= "
        "(empty) to turn it off, as `make run` does."
    )


class Command(BaseCommand):
    help = "Load the demo data (development only). Safe to run more than once."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_data only runs with DEBUG on: it must never touch real data.")
        # The demo's made-up history is not emailed to anyone.
        with no_mail(), transaction.atomic():
            people.load()
            # The demo's history is written partly past the services (back-dated): every
            # group's summary row is worked out once it is all there.
            summaries.refresh_all()
            # The trends page reads the months kept by the daily job: keep the demo's year.
            call_command("snapshot_trends", stdout=StringIO())
        self.stdout.write(
            self.style.SUCCESS("Demo data is ready. Sign in at http://127.0.0.1:8000/")
        )
        self.stdout.write(f"  password for every demo account: {people.DEMO_PASSWORD}")
        self.stdout.write(second_factor_line())
        for email in (
            "coordinator@example.org",
            "facilitator@example.org",
            "peer@example.org",
            "other-coordinator@example.org",
            "other-peer@example.org",
        ):
            self.stdout.write(f"  {email}")
