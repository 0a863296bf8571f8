from .audit import AuditEvent
from .base import Timestamped
from .concerns import CONCERN_LIMIT, FOLLOW_UP_LIMIT, Concern
from .help import HelpService, dial_string
from .limits import SendQuota
from .memberships import Invitation, InvitationProblem, Membership, hash_token
from .organisations import Coordinator, Group, GroupNeed, Organisation
from .outbox import OutgoingEmail
from .people import User, UserManager, normalise_email
from .summaries import GroupSummary

__all__ = [
    "AuditEvent",
    "CONCERN_LIMIT",
    "FOLLOW_UP_LIMIT",
    "Concern",
    "HelpService",
    "dial_string",
    "Coordinator",
    "Group",
    "GroupSummary",
    "GroupNeed",
    "Invitation",
    "InvitationProblem",
    "Membership",
    "Organisation",
    "OutgoingEmail",
    "SendQuota",
    "Timestamped",
    "User",
    "UserManager",
    "hash_token",
    "normalise_email",
]
