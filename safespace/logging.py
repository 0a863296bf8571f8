"""Logging filters: invitation links are capabilities and must never reach a log."""

import logging
import re

_INVITATION_PATH = re.compile(r"/invitations/[^/\s\"']+")


class RedactInvitationTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _INVITATION_PATH.sub("/invitations/[redacted]", message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
