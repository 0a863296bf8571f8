"""Row locks taken by the ground-rules services, always in the same order."""

from groups.models import Group

from ..models import Version


class RulesError(Exception):
    """A change that cannot be made; `message` says why in plain words."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def lock_version(version, *statuses) -> Version:
    """The version's row, locked; RulesError unless it is in one of `statuses`."""
    locked = Version.objects.select_for_update().get(pk=version.pk)
    if statuses and locked.status not in statuses:
        raise RulesError(
            "This version can no longer be changed: it has been put to the group or replaced."
        )
    return locked


def lock_group_versions(group_id) -> None:
    """Lock the group row, then every version row of the group (always in that order).

    The group row is what serialises a group with no versions yet; FOR NO KEY UPDATE
    does not hold up inserts of rows that point at the group.
    """
    list(Group.objects.select_for_update(no_key=True).filter(pk=group_id).values_list("pk"))
    list(Version.objects.select_for_update().filter(group=group_id).values_list("pk"))
