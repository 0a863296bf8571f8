from .base import Timestamped
from .limits import SendQuota
from .memberships import Invitation, InvitationProblem, Membership, hash_token
from .organisations import Coordinator, Group, GroupNeed, Organisation
from .people import User, UserManager, normalise_email

__all__ = [
    "Coordinator",
    "Group",
    "GroupNeed",
    "Invitation",
    "InvitationProblem",
    "Membership",
    "Organisation",
    "SendQuota",
    "Timestamped",
    "User",
    "UserManager",
    "hash_token",
    "normalise_email",
]
