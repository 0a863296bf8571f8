"""Reset someone's second factor when they have lost it and their recovery codes.

For site admins only (it runs on the server). It removes the person's authenticator
apps, passkeys and recovery codes and ends every session of theirs; if they must use
a second factor, they set up a new one when they next sign in. Check it really is
them (by a way you already know, not a number in the message asking) before you run it.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from safespace.accounts.second_factor import services


class Command(BaseCommand):
    help = (
        "Remove a person's authenticator apps, passkeys and recovery codes, and sign them "
        "out everywhere, so that they set up a second factor again at their next sign-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="the email address the person signs in with")

    def handle(self, *args, email, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError("No account has that email address. Nothing was changed.")
        removed = services.reset_second_factor(user)
        # The email address is not repeated: output may end up in a log.
        self.stdout.write(
            self.style.SUCCESS(
                f"Removed {removed} second-factor device(s) and ended the account's sessions. "
                "At the next sign-in they will be asked to set up a second factor again "
                "(if they must use one)."
            )
        )
