"""Sessions, kept in the database as Django keeps them, read by a prepared query: the
session is the first thing every request reads, and building that query through the ORM
each time cost more than the database's answer (groups.prepared)."""

import datetime

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from groups.prepared import Prepared

_live = Prepared(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now)[:1],
    key=str,
    now=datetime.datetime,
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        # As Django's own: an unknown or expired session is none, and a new key is made.
        found = _live.first(key=self.session_key, now=timezone.now())
        if found is None:
            self._session_key = None
        return found
