from .base import Timestamped
from .memberships import Invitation, Membership
from .organisations import Coordinator, Group, GroupNeed, Organisation
from .people import User, UserManager

__all__ = [
    "Coordinator",
    "Group",
    "GroupNeed",
    "Invitation",
    "Membership",
    "Organisation",
    "Timestamped",
    "User",
    "UserManager",
]
