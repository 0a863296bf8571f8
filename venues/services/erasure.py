"""Venues' part of deleting someone's account."""

from django.db import transaction

from ..models import FeedbackReceipt


@transaction.atomic
def forget_member(user) -> None:
    """Venues' part of deleting someone's account (safespace.accounts.erasure). Their
    receipts ("answered this quarter") go: only they needed them. Their anonymous answers
    stay where they are, as nothing ties them to anyone. Checks they made and actions they
    own or opened stay with the group, credited to "a former member"."""
    FeedbackReceipt.objects.filter(user=user).delete()
