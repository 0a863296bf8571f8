"""Ground rules' part of deleting someone's account (safespace.accounts.erasure).

What the group needs stays, credited to "a former member" (the emptied account): answers
to versions the group adopted (they counted), suggestions and comments, reviews and breach
records they wrote down, drafts they started. What only they needed goes: answers to
versions never adopted (they are no longer a member, so those no longer count), and the
words of every answer they gave.
"""

from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone
from django.utils.translation import gettext

from ..models import Agreement, Version
from ..summary import refresh as refresh_summary

KEPT = (Version.Status.ADOPTED, Version.Status.SUPERSEDED)


@transaction.atomic
def forget_member(user) -> None:
    mine = Agreement.objects.filter(user=user)
    touched = set(mine.values_list("version__group_id", flat=True))
    mine.exclude(version__status__in=KEPT).delete()
    refresh_summary(touched)
    # A "let's talk" answer must say something: it says why its words are gone.
    removed = gettext("Removed when this member deleted their account.")
    mine.update(
        comment=Case(When(answer=Agreement.Answer.AGREE, then=Value("")), default=Value(removed)),
        updated=timezone.now(),
    )
