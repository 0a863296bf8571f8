"""How a signed-in person is loaded on each request.

As Django's ModelBackend, with one thing more in the same query: whether any group they
belong to now wants the quick exit button (`user.quick_exit`), which base.html shows on
every page. One subquery in the user's own SELECT, so no page makes a query more; and
the query is prepared (prepared.py), as every request of someone signed in makes it.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from .models import Group, Membership
from .prepared import Prepared


def wants_quick_exit(user_ref):
    """True where the person (`user_ref`, e.g. OuterRef("pk")) is a current member of a
    group that shows the quick exit."""
    return Exists(
        Membership.objects.current()
        .filter(user=user_ref, group__archived_at__isnull=True)
        .filter(Group.quick_exit_shown("group__"))
    )


_signed_in = Prepared(
    lambda user: (
        get_user_model()
        ._default_manager.annotate(quick_exit=wants_quick_exit(OuterRef("pk")))
        .filter(pk=user)[:1]
    ),
    user=int,
)


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        user = _signed_in.first(user=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
